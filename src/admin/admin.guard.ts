import { applyDecorators, createParamDecorator, Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiNotFoundResponse } from '@nestjs/swagger';
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

/**
 * Lets administrators through; anyone else signed in gets the answer of a
 * route that does not exist (404). The role is read from the database on
 * every request, so a demotion counts at once. Runs after the session guard
 * (no session: 401 as on every route).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly users: UsersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    if (!request.user) throw noSuchRoute(request);
    const user = await this.users.find(request.user.id);
    if (!user || user.role !== 'admin' || user.disabledAt) throw noSuchRoute(request);
    request.admin = { actor: { id: user.id, email: user.email }, address: request.ip ?? '' };
    return true;
  }
}

/** The one mark of an administrators' controller (every route under /api/admin/ carries it). */
export const AdminOnly = () => applyDecorators(UseGuards(AdminGuard), ApiNotFoundResponse({ description: 'Not an administrator' }));

/** The administrator making the request and the address it comes from (for the audit log). */
export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): Acting => {
  const admin = context.switchToHttp().getRequest<AdminRequest>().admin;
  if (!admin) throw new Error('@CurrentAdmin() used on a route without @AdminOnly()');
  return admin;
});
