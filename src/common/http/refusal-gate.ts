import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, type ErrorCode } from '../errors/domain-error.js';
import { sendError } from '../errors/error-envelope.js';
import { carriesBody } from './body-parsing.js';
import { closeAfterAnswer } from './lingering-close.js';

/** Answers that refuse a body for its size, shape or kind: each was work spent on bytes nobody keeps. */
export const REFUSAL_CODES: ReadonlySet<ErrorCode | string> = new Set<ErrorCode>([
  'invalid_json',
  'body_too_complex',
  'payload_too_large',
  'too_many_files',
  'file_count_exceeded',
  'storage_quota_exceeded',
  'attachments_too_large',
  'unsupported_media_type',
]);

export interface RefusalGateLimits {
  /** Refused bodies a client may send in one window before its bodies are refused unread; 0 turns the gate off. */
  perClient: number;
  /** The same for all clients of one address together (a client that changes cookies still has one address). */
  perAddress: number;
  windowSeconds: number;
  /** Clients and addresses remembered at once; the oldest window is forgotten first. */
  maxTracked: number;
}

interface Window {
  startedAt: number;
  refused: number;
}

/** A session cookie is about 80 characters; a forged longer one is known by its start (bounds each key's memory). */
const MAX_KEY_CHARS = 128;

/** The session cookie's value as sent (not looked up: a forged one only names a client of its own). */
function sessionCookie(header: string | undefined, patterns: readonly RegExp[]): string | undefined {
  if (!header) return undefined;
  for (const pattern of patterns) {
    const value = pattern.exec(header)?.[1];
    if (value) return value;
  }
  return undefined;
}

/**
 * Refuses, before a byte of it is read, the body of a client that keeps
 * sending bodies the platform refuses (too large, too complex, not JSON, past
 * a file limit). Each such refusal is cheap, but a flood of them still takes
 * the one event loop from everyone else; past `perClient` refusals in a
 * window, the client's further bodies get 429 with Retry-After and the
 * connection closes. A client is its session cookie, or its address when it
 * has none; an address has a larger bound of its own. Reads (GET) are never
 * refused here, and another client behind the same address keeps its own
 * count. Counts are kept in this instance's memory: the gate is about this
 * process's CPU.
 */
export class RefusalGate {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly cookiePatterns: RegExp[];

  constructor(
    private readonly limits: RefusalGateLimits,
    cookieNames: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = limits.windowSeconds * 1000;
    this.cookiePatterns = cookieNames.map((name) => new RegExp(`(?:^|;)\\s*${name.replace(/[^\w-]/g, '\\$&')}=([^;]*)`));
  }

  middleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      if (this.limits.perClient === 0 || !carriesBody(request)) return next();
      const address = `address ${request.ip ?? request.socket.remoteAddress ?? ''}`;
      const cookie = sessionCookie(request.headers.cookie, this.cookiePatterns);
      const client = cookie ? `session ${cookie.slice(0, MAX_KEY_CHARS)}` : address;
      const now = this.now();
      const wait = Math.max(this.waitFor(client, this.limits.perClient, now), this.waitFor(address, this.limits.perAddress, now));
      if (wait > 0) {
        closeAfterAnswer(request, response);
        return sendError(
          response,
          new DomainError('rate_limited', 'Too many refused requests from this client: send smaller or valid bodies after the pause', undefined, wait),
          request.id,
        );
      }
      response.once('finish', () => {
        if (!REFUSAL_CODES.has(response.locals.errorCode as string)) return;
        const finished = this.now();
        this.count(client, finished);
        if (client !== address) this.count(address, finished);
      });
      next();
    };
  }

  /** Seconds until the key may send bodies again, or 0. */
  private waitFor(key: string, limit: number, now: number): number {
    const window = this.windows.get(key);
    if (!window || window.refused < limit) return 0;
    const left = window.startedAt + this.windowMs - now;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  private count(key: string, now: number): void {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      window = { startedAt: now, refused: 0 };
      // A new window goes to the end of the map's order: the first entry is the oldest.
      while (this.windows.size >= this.limits.maxTracked) this.windows.delete(this.windows.keys().next().value as string);
      this.windows.set(key, window);
    }
    window.refused++;
  }

  /** Keys tracked now (for tests of the bound). */
  get tracked(): number {
    return this.windows.size;
  }
}
