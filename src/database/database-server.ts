import type { AppConfig } from '../config/config.js';
import type { AppLogger } from '../common/logging/logger.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export interface ResolvedDatabase {
  /** The configuration with the database URL filled in. */
  config: AppConfig;
  /** Stops the embedded server, if one was started. */
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = 'assistants';

/** Uses DATABASE_URL when given; otherwise starts the embedded PostgreSQL under the data folder. */
export async function resolveDatabase(config: AppConfig, logger: AppLogger): Promise<ResolvedDatabase> {
  if (config.database.url) return { config, stop: async () => undefined };
  const log = logger.child({ component: 'embedded-postgres' });
  const server = new EmbeddedPostgres({
    dir: config.database.embedded.dir,
    port: config.database.embedded.port,
    database: EMBEDDED_DATABASE_NAME,
    log: (message) => log.info(message),
  });
  const started = Date.now();
  const url = await server.start();
  log.info({ port: config.database.embedded.port, durationMs: Date.now() - started }, 'embedded PostgreSQL ready');
  return {
    config: { ...config, database: { ...config.database, url } },
    stop: () => server.stop(),
  };
}
