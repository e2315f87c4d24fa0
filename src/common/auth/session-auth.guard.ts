import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error.js';
import { BearerTokens, bearerTokenOf, TOKEN_ACCESS, type TokenAccess } from './bearer.js';
import type { AuthenticatedRequest } from './current-user.decorator.js';
import { ALLOWED_BEFORE_PASSWORD_CHANGE } from './password-change.decorator.js';
import { IS_PUBLIC } from './public.decorator.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every route needs a signed-in user unless it is marked @Public(). A
 * request carries either a session or a personal API token (`Authorization:
 * Bearer`); with a token, the session is not looked at, and the token's
 * scopes decide: reads need `read`, other methods `write`, routes that run
 * the model `chat`. A session signed in with a password an administrator
 * asked to change only reaches the routes marked
 * @AllowedBeforePasswordChange() until it changes.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: BearerTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request);
    if (token !== undefined) return this.authenticateToken(context, request, token);
    const userId = request.session?.userId;
    if (!userId) throw new DomainError('not_authenticated', 'Sign in first (POST /api/login)');
    if (request.session.passwordChangeRequired && !this.marked(context, ALLOWED_BEFORE_PASSWORD_CHANGE)) {
      throw new DomainError('password_change_required', 'Change your password first (POST /api/user/password)');
    }
    request.user = { id: userId };
    return true;
  }

  private async authenticateToken(context: ExecutionContext, request: AuthenticatedRequest, token: string): Promise<boolean> {
    const resolved = await this.tokens.resolve(token);
    if (!resolved) throw new DomainError('invalid_api_token', 'The API token is unknown, revoked or expired');
    const access = this.reflector.getAllAndOverride<TokenAccess | undefined>(TOKEN_ACCESS, [context.getHandler(), context.getClass()]);
    if (access === 'hidden') throw new DomainError('not_found', `No route for ${request.method} ${request.originalUrl ?? request.url}`);
    if (access === 'session-only') throw new DomainError('session_required', 'This needs a signed-in session; API tokens cannot use it');
    const needed = access === 'chat' ? 'chat' : READ_METHODS.has(request.method) ? 'read' : 'write';
    if (!resolved.scopes.includes(needed)) {
      throw new DomainError('insufficient_scope', `This API token lacks the "${needed}" scope`, [{ field: 'scopes', message: `needs ${needed}` }]);
    }
    request.user = { id: resolved.userId, tokenId: resolved.id };
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.marked(context, IS_PUBLIC);
  }

  private marked(context: ExecutionContext, key: string): boolean {
    return this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) === true;
  }
}
