import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../common/logging/logger.js';
import { createDataSource } from './data-source.js';
import { resolveDatabase } from './database-server.js';
import { runMigrationsLocked } from './migrations.js';
import { TypeOrmLogger } from './typeorm-logger.js';

const USAGE = 'usage: migration-cli run | revert | show | generate <Name>';
const MIGRATIONS_DIR = 'migrations';

function escapeForTemplate(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

type Query = { query: string; parameters?: unknown[] };

/**
 * TypeORM records generated columns in typeorm_metadata under the database's
 * name; the migration looks that name up when it runs instead of keeping the
 * name of the database it was generated against.
 */
function statements(queries: Query[], databaseName: string): string {
  return queries
    .map(({ query, parameters }) => {
      const values = (parameters ?? []).map((value) =>
        query.includes('typeorm_metadata') && value === databaseName ? 'database' : JSON.stringify(value),
      );
      const params = values.length > 0 ? `, [${values.join(', ')}]` : '';
      return `    await queryRunner.query(\`${escapeForTemplate(query)}\`${params});`;
    })
    .join('\n');
}

const CURRENT_DATABASE_HELPER = `
/** TypeORM records generated columns per database name; use the one being migrated. */
async function currentDatabase(queryRunner: QueryRunner): Promise<string> {
  const [row] = (await queryRunner.query('SELECT current_database() AS name')) as Array<{ name: string }>;
  return row.name;
}
`;

/** Writes a migration holding the difference between the entities and the database, and lists it. */
async function generate(name: string, databaseName: string, upQueries: Query[], downQueries: Query[]) {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('the migration name must be PascalCase, e.g. AddThreadSummary');
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const file = `${timestamp}-${name}`;
  const usesMetadata = [...upQueries, ...downQueries].some(({ query }) => query.includes('typeorm_metadata'));
  const lookup = usesMetadata ? '    const database = await currentDatabase(queryRunner);\n' : '';
  const source = `import type { MigrationInterface, QueryRunner } from 'typeorm';
${usesMetadata ? CURRENT_DATABASE_HELPER : ''}
export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lookup}${statements(upQueries, databaseName)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lookup}${statements([...downQueries].reverse(), databaseName)}
  }
}
`;
  await writeFile(join(MIGRATIONS_DIR, `${file}.ts`), source);
  const indexPath = join(MIGRATIONS_DIR, 'index.ts');
  const index = await readFile(indexPath, 'utf8');
  const importLine = `import { ${className} } from './${file}.js';`;
  const lines = index.split('\n');
  const lastImport = lines.reduce((last, line, position) => (line.startsWith('import ') ? position : last), -1);
  if (lastImport >= 0) lines.splice(lastImport + 1, 0, importLine);
  else lines.unshift(importLine, '');
  const withImport = lines.join('\n');
  const updated = withImport.replace(/(export const MIGRATIONS: Function\[\] = \[)([\s\S]*?)(\];)/, (_match, open, body: string, close) => {
    const entries = body.trim().length > 0 ? `${body.trimEnd()}\n  ${className},\n` : `\n  ${className},\n`;
    return `${open}${entries}${close}`;
  });
  await writeFile(indexPath, updated);
  return `${MIGRATIONS_DIR}/${file}.ts`;
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (!command || !['run', 'revert', 'show', 'generate'].includes(command)) throw new Error(USAGE);
  const baseConfig = loadConfig();
  const logger = createLogger(baseConfig.logLevel === 'info' ? 'warn' : baseConfig.logLevel);
  const database = await resolveDatabase(baseConfig, logger);
  const dataSource = createDataSource(database.config, new TypeOrmLogger(logger));
  await dataSource.initialize();
  try {
    switch (command) {
      case 'run': {
        const applied = await runMigrationsLocked(dataSource, {
          language: database.config.search.language,
          rebuilt: (tables) => process.stdout.write(`search indexes of ${tables.join(', ')} rebuilt for SEARCH_LANGUAGE=${database.config.search.language}\n`),
        });
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'no pending migrations\n');
        break;
      }
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        process.stdout.write('reverted the last migration\n');
        break;
      case 'show':
        process.stdout.write((await dataSource.showMigrations()) ? 'pending migrations exist\n' : 'up to date\n');
        break;
      case 'generate': {
        if (!name) throw new Error(USAGE);
        const applied = await runMigrationsLocked(dataSource);
        if (applied.length) process.stdout.write(`applied pending migrations first: ${applied.join(', ')}\n`);
        const sql = await dataSource.driver.createSchemaBuilder().log();
        if (sql.upQueries.length === 0) {
          process.stdout.write('the entities match the database: nothing to generate\n');
          break;
        }
        const [{ name: databaseName }] = (await dataSource.query('SELECT current_database() AS name')) as Array<{ name: string }>;
        const file = await generate(name, databaseName, sql.upQueries, sql.downQueries);
        process.stdout.write(`wrote ${file} (review it before committing)\n`);
        break;
      }
    }
  } finally {
    await dataSource.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `Configuration error: ${error.message}` : String((error as Error)?.message ?? error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
