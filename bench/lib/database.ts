import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { BENCH_DIR, freePort } from './processes.js';

export interface BenchDatabase {
  /** The fresh database the platform uses for this run. */
  url: string;
  /** "DATABASE_URL" or "embedded". */
  server: string;
  serverVersion: string;
  /** A pool for seeding and EXPLAIN. */
  client: pg.Pool;
  /** The pid of the embedded server's postmaster (undefined for DATABASE_URL). */
  postmasterPid: number | undefined;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh database per bench run: on the server of DATABASE_URL when it is
 * set, else on an embedded PostgreSQL under .data/bench (never the dev data).
 */
export async function openBenchDatabase(options: { keep: boolean; settings?: Record<string, string> }): Promise<BenchDatabase> {
  let adminUrl: string;
  let server: string;
  let embedded: EmbeddedPostgres | undefined;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
    server = 'DATABASE_URL';
  } else {
    const port = Number(process.env.BENCH_EMBEDDED_POSTGRES_PORT ?? (await freePort()));
    embedded = new EmbeddedPostgres({ dir: join(BENCH_DIR, 'postgres'), port, database: 'postgres' });
    adminUrl = await embedded.start();
    server = 'embedded';
  }
  const name = `bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  // --pg-set=NAME=VALUE: per-database settings (experiments such as synchronous_commit=off).
  for (const [setting, value] of Object.entries(options.settings ?? {})) {
    await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(name)} SET ${admin.escapeIdentifier(setting)} = ${admin.escapeLiteral(value)}`);
  }
  const serverVersion = ((await admin.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
  await admin.end();

  const url = withDatabase(adminUrl, name);
  const client = new pg.Pool({ connectionString: url, max: 4 });
  const postmasterPid = embedded
    ? Number((await readFile(join(BENCH_DIR, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0])
    : undefined;
  return {
    postmasterPid,
    url,
    server: `${server} (PostgreSQL ${serverVersion})`,
    serverVersion,
    client,
    async close() {
      await client.end().catch(() => undefined);
      if (!options.keep) {
        const dropper = new pg.Client({ connectionString: adminUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${dropper.escapeIdentifier(name)} WITH (FORCE)`).catch(() => undefined);
        await dropper.end();
      }
      await embedded?.stop();
    },
  };
}
