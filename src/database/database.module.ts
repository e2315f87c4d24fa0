import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import type { AppLogger } from '../common/logging/logger.js';
import { NOTIFICATION_CHANNELS } from '../common/notifications/notification-channels.js';
import { dataSourceOptions } from './data-source.js';
import { DatabaseNotifications } from './notifications.js';
import { Sql, Transactions } from './sql.js';
import { runMigrationsLocked } from './migrations.js';
import { TypeOrmLogger } from './typeorm-logger.js';

@Module({})
export class DatabaseModule {
  /**
   * The data source is built from the same options as the migration command
   * line; pending migrations are applied before the application serves
   * requests, unless deployments migrate separately.
   */
  static forRoot(config: AppConfig, logger: AppLogger): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [DatabaseNotifications, { provide: NOTIFICATION_CHANNELS, useExisting: DatabaseNotifications }, Sql, Transactions],
      exports: [DatabaseNotifications, NOTIFICATION_CHANNELS, Sql, Transactions],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(config, new TypeOrmLogger(logger)),
            retryAttempts: 2,
            retryDelay: 1_000,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            if (config.database.runMigrationsOnStart) {
              const applied = await runMigrationsLocked(dataSource, {
                language: config.search.language,
                rebuilt: (tables) => logger.warn({ tables, language: config.search.language }, 'search indexes rebuilt for SEARCH_LANGUAGE'),
              });
              if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
