import pg from 'pg';
import request from 'supertest';
import { MIGRATIONS } from '../../migrations/index.js';
import { loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { MIGRATION_LOCK_ID, runMigrationsLocked } from '../../src/database/migrations.js';
import { eventually } from '../support/platform-api.js';
import { query } from '../support/query.js';
import { startTestApp, testEnv, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

const MIGRATION_NAMES = MIGRATIONS.map((migration) => migration.name);

/** Sessions of this database waiting for the migration lock. */
async function migrationLockWaiters(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND ((classid::bigint << 32) | objid::bigint) = $1`,
    [MIGRATION_LOCK_ID],
  );
  return rows[0].waiting;
}

async function publicTables(url: string): Promise<string[]> {
  const rows = await query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
  return rows.map((row: { table_name: string }) => row.table_name);
}

/** The migrations an instance reported applying at start. */
function appliedAtStart(app: TestApp): string[] {
  return app.logs
    .entries()
    .filter((entry) => entry.msg === 'migrations applied')
    .flatMap((entry) => entry.migrations as string[]);
}

describe('schema migrations', () => {
  it('are applied exactly once when two instances start together on a fresh database', async () => {
    const database = await createTestDatabase();
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    let starting: Promise<PromiseSettledResult<TestApp>[]> | undefined;
    try {
      // While the lock is held here, both instances queue for it: released, they race for the same pending migrations.
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      starting = Promise.allSettled([startTestApp({ database }), startTestApp({ database })]);
      let waiting = 0;
      // Two applications starting in one process take seconds on a busy machine before they reach the lock.
      await eventually(async () => ((waiting = await migrationLockWaiters(holder)) === 2 ? true : undefined), {
        timeoutMs: 40_000,
        describe: () => ({ waiting }),
      });
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
      const apps = (await starting).map((outcome) => {
        if (outcome.status === 'rejected') throw outcome.reason;
        return outcome.value;
      });

      const { rows } = await holder.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(rows.map((row) => row.name)).toEqual(MIGRATION_NAMES);
      const applied = apps.map(appliedAtStart).sort((a, b) => a.length - b.length);
      expect(applied).toEqual([[], MIGRATION_NAMES]);
      for (const app of apps) await request(app.baseUrl).get('/health').expect(200);
    } finally {
      // Ending this session releases the lock, should a failure have left it held.
      await holder.end();
      for (const outcome of (await starting) ?? []) {
        if (outcome.status === 'fulfilled') await outcome.value.app.close();
      }
      await database.drop();
    }
  }, 90_000);

  it('are not run at start with MIGRATIONS_RUN_ON_START=false: an empty database stays empty', async () => {
    const app = await startTestApp({ env: { MIGRATIONS_RUN_ON_START: 'false' } });
    try {
      await request(app.baseUrl).get('/health').expect(200);
      expect(appliedAtStart(app)).toEqual([]);
      expect(await publicTables(app.database.url)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('build the schema that the entities describe', async () => {
    const database = await createTestDatabase();
    const dataSource = createDataSource(loadConfig(testEnv(database.url)));
    try {
      await dataSource.initialize();
      expect(await runMigrationsLocked(dataSource)).toEqual(MIGRATION_NAMES);
      const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
      // An entity change without its migration shows here as the SQL `npm run migration:generate` would write.
      expect(upQueries.map(({ query: sql }) => sql)).toEqual([]);
      // Counting a request writes no WAL (no flush to wait for); every other table is crash-safe.
      const unlogged = await dataSource.query(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relpersistence = 'u' ORDER BY relname",
      );
      expect(unlogged.map((row: { relname: string }) => row.relname)).toEqual(['rate_limit_counters']);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    }
  });
});
