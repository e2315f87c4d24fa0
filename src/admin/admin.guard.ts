import { applyDecorators, createParamDecorator, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiNotFoundResponse } from '@nestjs/swagger';
import { HiddenFromTokens } from '../common/auth/bearer.js';
import type { AuthenticatedRequest } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { UsersService } from '../auth/users.service.js';
import type { Acting } from '../auth/signup-policy.service.js';

interface AdminRequest extends AuthenticatedRequest {
  admin?: Acting;
}

/** What a route that does not exist answers (see error-mapping.ts): an administrator's route looks the same to anyone else. */
function noSuchRoute(request: AdminRequest): DomainError {
  return new DomainError('not_found', `No route for ${request.method} ${request.originalUrl ?? request.url}`);
}

const ADMIN_ONLY = 'adminOnly';

/**
 * On the routes marked @AdminOnly(): lets administrators through; anyone
 * else signed in gets the answer of a route that does not exist (404). The
 * role is read from the database on every request, so a demotion counts at
 * once. An application guard installed after the session guard (no session:
 * 401 as on every route) and before the check of query parameters, so that
 * nothing about the route shows before the role is known.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly users: UsersService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [context.getHandler(), context.getClass()]) !== true) return true;
    const request = context.switchToHttp().getRequest<AdminRequest>();
    if (!request.user || request.user.tokenId) throw noSuchRoute(request);
    const user = await this.users.find(request.user.id);
    if (!user || user.role !== 'admin' || user.disabledAt) throw noSuchRoute(request);
    request.admin = { actor: { id: user.id, email: user.email }, address: request.ip ?? '' };
    return true;
  }
}

/** The one mark of an administrators' controller (every route under /api/admin/ carries it). */
export const AdminOnly = () => applyDecorators(SetMetadata(ADMIN_ONLY, true), HiddenFromTokens(), ApiNotFoundResponse({ description: 'Not an administrator' }));

/** The administrator making the request and the address it comes from (for the audit log). */
export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): Acting => {
  const admin = context.switchToHttp().getRequest<AdminRequest>().admin;
  if (!admin) throw new Error('@CurrentAdmin() used on a route without @AdminOnly()');
  return admin;
});
