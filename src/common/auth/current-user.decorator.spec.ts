import type { ExecutionContext } from '@nestjs/common';
import { currentUserOf, type AuthenticatedRequest } from './current-user.decorator.js';

const contextOf = (request: Partial<AuthenticatedRequest>): ExecutionContext =>
  ({ switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;

describe('CurrentUser', () => {
  it('gives the user the session guard put on the request', () => {
    expect(currentUserOf(contextOf({ user: { id: 'user-1' } }))).toEqual({ id: 'user-1' });
  });

  it('fails loudly on a route the guard did not authenticate', () => {
    expect(() => currentUserOf(contextOf({}))).toThrow(/session guard did not authenticate/);
  });
});
