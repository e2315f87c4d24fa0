import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { EnvReader } from './env-reader.js';

export interface DatabaseConfig {
  /** Unset: the embedded PostgreSQL is started and its URL used. */
  url: string | undefined;
  poolSize: number;
  connectTimeoutMs: number;
  /** Upper bound for one statement; keeps a stuck query from holding a request forever. */
  statementTimeoutMs: number;
  runMigrationsOnStart: boolean;
  embedded: { dir: string; port: number };
}

/**
 * Connections per process unless configured: twice the machine's cores, at
 * least 4. More statements running at once than the cores can serve only
 * share them: every statement then takes longer (a search's p99 at 10
 * concurrent clients on 2 cores was 45–50 ms with 10 connections, 40–46 ms
 * with 3–4), while the rest wait in the pool's queue in order.
 */
export function defaultPoolSize(cores = availableParallelism()): number {
  return Math.max(4, 2 * cores);
}

export function readDatabaseConfig(env: EnvReader, dataDir: string): DatabaseConfig {
  return {
    url: env.url('DATABASE_URL'),
    // Two at least: migrations hold an advisory lock on one connection while they run on another.
    poolSize: env.integer('DATABASE_POOL_SIZE', { default: defaultPoolSize(), min: 2, max: 500 }),
    connectTimeoutMs: env.integer('DATABASE_CONNECT_TIMEOUT_MS', { default: 5_000, min: 100, max: 120_000 }),
    statementTimeoutMs: env.integer('DATABASE_STATEMENT_TIMEOUT_MS', { default: 30_000, min: 0, max: 3_600_000 }),
    runMigrationsOnStart: env.boolean('MIGRATIONS_RUN_ON_START', true),
    embedded: {
      dir: resolve(env.string('EMBEDDED_POSTGRES_DIR', join(dataDir, 'postgres'))),
      port: env.integer('EMBEDDED_POSTGRES_PORT', { default: 54329, min: 1, max: 65535 }),
    },
  };
}
