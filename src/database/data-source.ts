import type pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { TypeOrmLogger } from './typeorm-logger.js';

/**
 * The one description of the database connection, shared by the application
 * and the migration command line. The schema only changes through migrations.
 */
export function dataSourceOptions(config: AppConfig, logger?: TypeOrmLogger): DataSourceOptions {
  if (!config.database.url) {
    throw new Error('the database URL is resolved before the data source is built');
  }
  return {
    type: 'postgres',
    url: config.database.url,
    entities: ENTITIES,
    namingStrategy: new SnakeNamingStrategy(),
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension has to be installed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize: config.database.poolSize,
    connectTimeoutMS: config.database.connectTimeoutMs,
    applicationName: 'assistants-platform',
    logger,
    poolErrorHandler: (error: Error) => logger?.logPoolError(error),
    extra: {
      // Bounds every statement so a stuck query cannot hold a request forever.
      statement_timeout: config.database.statementTimeoutMs || undefined,
      // Every statement here is short: compiling one with JIT (when the planner's estimate of a search crosses
      // jit_above_cost) takes tens of milliseconds and never pays back.
      options: '-c jit=off',
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    },
  };
}

export function createDataSource(config: AppConfig, logger?: TypeOrmLogger): DataSource {
  return new DataSource(dataSourceOptions(config, logger));
}

/** The pg pool behind the data source, shared with the session store. */
export function poolOf(dataSource: DataSource): pg.Pool {
  return (dataSource.driver as unknown as { master: pg.Pool }).master;
}
