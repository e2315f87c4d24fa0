import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AppConfig } from '../../config/config.js';
import { InjectConfig } from '../../config/config.module.js';
import { RateLimiterService, type RateLimitRule } from '../rate-limit/rate-limiter.service.js';
import type { AuthenticatedRequest } from './current-user.decorator.js';

/** A general request budget per signed-in user, shared by every instance. */
@Injectable()
export class UserRateLimitGuard implements CanActivate {
  private readonly rule: RateLimitRule;

  constructor(
    private readonly limiter: RateLimiterService,
    @InjectConfig() config: AppConfig,
  ) {
    this.rule = { scope: 'user-requests', limit: config.rateLimits.requestsPerMinute, windowSeconds: 60 };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) return true;
    await this.limiter.consumeBatched(this.rule, user.id, 'Too many requests; slow down and try again shortly');
    return true;
  }
}
