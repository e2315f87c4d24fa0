import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';

declare global {
  // eslint-disable-next-line no-var
  var __embeddedTestPostgres: EmbeddedPostgres | undefined;
  // eslint-disable-next-line no-var
  var __embeddedTestPostgresDir: string | undefined;
}

/** Whether a live PostgreSQL server runs on the data folder. */
async function inUse(dir: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
  // Another test run may be using the usual folder: then this run gets its own, removed afterwards.
  let dir = resolve(process.env.TEST_EMBEDDED_POSTGRES_DIR ?? '.data/test-postgres');
  const shared = !(await inUse(dir));
  if (!shared) dir = `${dir}-${process.pid}`;
  const server = new EmbeddedPostgres({ dir, port: await freePort(), database: 'postgres' });
  const url = await server.start();
  globalThis.__embeddedTestPostgres = server;
  globalThis.__embeddedTestPostgresDir = shared ? undefined : dir;
  if (shared) await dropLeftoverDatabases(url);
  process.env.TEST_ADMIN_DATABASE_URL = url;
}
