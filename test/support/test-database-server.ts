import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';

declare global {
  // eslint-disable-next-line no-var
  var __embeddedTestPostgres: EmbeddedPostgres | undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function dropLeftoverDatabases(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'",
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL or DATABASE_URL
 * when set, otherwise an embedded one under .data/. Each test file creates
 * (and drops) its own database on it, so files can run in parallel.
 */
export async function setupTestDatabaseServer(): Promise<void> {
  const configured = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (configured) {
    const client = new pg.Client({ connectionString: configured });
    await client.connect();
    await client.end();
    process.env.TEST_ADMIN_DATABASE_URL = configured;
    return;
  }
  const server = new EmbeddedPostgres({
    dir: resolve(process.env.TEST_EMBEDDED_POSTGRES_DIR ?? '.data/test-postgres'),
    port: await freePort(),
    database: 'postgres',
  });
  const url = await server.start();
  globalThis.__embeddedTestPostgres = server;
  await dropLeftoverDatabases(url);
  process.env.TEST_ADMIN_DATABASE_URL = url;
}
