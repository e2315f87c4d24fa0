import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';
import type { AppLogger } from './logger.js';

export const APP_LOGGER = Symbol('APP_LOGGER');

export const InjectLogger = () => Inject(APP_LOGGER);

@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: AppLogger): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: APP_LOGGER, useValue: logger }],
      exports: [APP_LOGGER],
    };
  }
}
