import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

/** How a route treats requests that carry a personal API token instead of a session. */
export type TokenAccess = 'session-only' | 'hidden' | 'chat';

export const TOKEN_ACCESS = 'tokenAccess';

/** Token management, the OpenAI key, the password and the account: a token answers 403 `session_required`. */
export const SessionOnly = () => SetMetadata(TOKEN_ACCESS, 'session-only' satisfies TokenAccess);

/** Routes a token answers as if they did not exist (404): administration. */
export const HiddenFromTokens = () => SetMetadata(TOKEN_ACCESS, 'hidden' satisfies TokenAccess);

/** Routes that start or follow a model's reply: a token needs the `chat` scope. */
export const ChatScope = () => SetMetadata(TOKEN_ACCESS, 'chat' satisfies TokenAccess);

/** A token's owner and what it may do, as resolved from its hash. */
export interface ResolvedToken {
  id: string;
  userId: string;
  scopes: string[];
}

/** Resolves a presented token (undefined: unknown, revoked, expired, or its user is disabled). */
export abstract class BearerTokens {
  abstract resolve(token: string): Promise<ResolvedToken | undefined>;
}

const BEARER = /^Bearer[ \t]+(\S*)[ \t]*$/i;

/**
 * The token of an `Authorization: Bearer …` header; undefined when the
 * request has no such header (tokens are never read from the query string).
 * An empty value is returned as '' so that it is refused, not ignored.
 */
export function bearerTokenOf(request: Pick<Request, 'headers'>): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = BEARER.exec(header);
  if (match) return match[1];
  return /^Bearer$/i.test(header.trim()) ? '' : undefined;
}
