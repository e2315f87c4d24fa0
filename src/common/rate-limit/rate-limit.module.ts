import { Global, Module } from '@nestjs/common';
import { RateLimiterService } from './rate-limiter.service.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

@Global()
@Module({ providers: [RateLimitsRepository, RateLimiterService], exports: [RateLimiterService] })
export class RateLimitModule {}
