import type { AppConfig } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { Sql } from './sql.js';

/** Sql for a command line that runs outside the application (its own pool, closed by `close`). */
export interface StandaloneSql {
  sql: Sql;
  close(): Promise<void>;
}

/** Connects to the configured database the way the application does; `config.database.url` must be resolved. */
export async function openStandaloneSql(config: AppConfig): Promise<StandaloneSql> {
  const dataSource = await createDataSource(config).initialize();
  return { sql: new Sql(dataSource, config), close: () => dataSource.destroy() };
}
