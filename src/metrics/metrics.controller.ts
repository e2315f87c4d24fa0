import { Controller, Get, Headers, Res, type OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { Public } from '../common/auth/public.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { MetricsService } from './metrics.service.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus scrape endpoint: outside the session auth, behind a bearer token
 * when one is set. Production serves it only with a token: the figures tell
 * strangers how busy the platform is and what fails. Without one the route
 * answers 404 and the start logs a warning, so an instance that nobody scrapes
 * still starts as before.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  private readonly served: boolean;

  constructor(
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {
    this.served = !config.isProduction || config.metrics.token !== undefined;
  }

  onModuleInit(): void {
    if (!this.served) this.logger.warn('METRICS_TOKEN is not set: /metrics is not served in production (answers 404) until it is');
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    if (!this.served) throw new DomainError('not_found', 'Metrics are served in production only with METRICS_TOKEN set');
    const token = this.config.metrics.token;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new DomainError('not_authenticated', 'The metrics need the configured bearer token');
    }
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.send(await this.metrics.registry.metrics());
  }
}
