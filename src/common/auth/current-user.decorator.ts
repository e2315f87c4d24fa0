import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is making the request; only the id is carried, services load what they need. */
export interface AuthUser {
  id: string;
}

export interface AuthenticatedRequest extends Request {
  user?: AuthUser;
}

/** The signed-in user. Throws if the session guard did not run for this route. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.user) {
    throw new Error('@CurrentUser() used on a route the session guard did not authenticate (is it @Public()?)');
  }
  return request.user;
});
