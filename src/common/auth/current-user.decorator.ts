import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is making the request; only the id is carried, services load what they need. */
export interface AuthUser {
  id: string;
  /** Set when the request authenticated with a personal API token rather than a session. */
  tokenId?: string;
}

export interface AuthenticatedRequest extends Request {
  user?: AuthUser;
}

/** The signed-in user of a request. Throws if the session guard did not run for its route. */
export function currentUserOf(context: ExecutionContext): AuthUser {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.user) {
    throw new Error('@CurrentUser() used on a route the session guard did not authenticate (is it @Public()?)');
  }
  return request.user;
}

/** The signed-in user (see currentUserOf). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => currentUserOf(context));
