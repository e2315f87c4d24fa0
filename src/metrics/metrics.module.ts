import { Global, Module } from '@nestjs/common';
import { SESSION_LOOKUP_COUNTER } from '../common/auth/session-lookups.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, { provide: SESSION_LOOKUP_COUNTER, useExisting: MetricsService }],
  exports: [MetricsService, SESSION_LOOKUP_COUNTER],
})
export class MetricsModule {}
