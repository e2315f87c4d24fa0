import type { Logger as OrmLogger } from 'typeorm';
import type { AppLogger } from '../common/logging/logger.js';

/** Routes TypeORM's messages into the application log; queries are not logged. */
export class TypeOrmLogger implements OrmLogger {
  constructor(private readonly logger: AppLogger) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ err: errorMessage(error), query: query.slice(0, 500) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ durationMs: time, query: query.slice(0, 500) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug({ message }, 'schema');
  }

  logMigration(message: string): void {
    this.logger.info({ message }, 'migration');
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ message: String(message) }, 'database');
    else this.logger.debug({ message: String(message) }, 'database');
  }

  logPoolError(error: Error): void {
    this.logger.warn({ err: error.message }, 'database connection lost');
  }
}

function errorMessage(error: string | Error): string {
  return typeof error === 'string' ? error : error.message;
}
