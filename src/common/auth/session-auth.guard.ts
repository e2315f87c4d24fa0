import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error.js';
import type { AuthenticatedRequest } from './current-user.decorator.js';
import { ALLOWED_BEFORE_PASSWORD_CHANGE } from './password-change.decorator.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * Every route needs a signed-in user unless it is marked @Public(). A
 * session signed in with a password an administrator asked to change only
 * reaches the routes marked @AllowedBeforePasswordChange() until it changes.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const userId = request.session?.userId;
    if (!userId) throw new DomainError('not_authenticated', 'Sign in first (POST /api/login)');
    if (request.session.passwordChangeRequired && !this.marked(context, ALLOWED_BEFORE_PASSWORD_CHANGE)) {
      throw new DomainError('password_change_required', 'Change your password first (POST /api/user/password)');
    }
    request.user = { id: userId };
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.marked(context, IS_PUBLIC);
  }

  private marked(context: ExecutionContext, key: string): boolean {
    return this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) === true;
  }
}
