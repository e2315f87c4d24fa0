import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { sendError } from '../errors/error-envelope.js';
import { toDomainError } from '../errors/error-mapping.js';
import { jsonShapeProblem } from './json-shape.js';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A UTF-16 surrogate without its pair: no Unicode text holds one (I-JSON, RFC 7493, forbids them). */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Routes that take a few short fields (credentials, a name): their small body
 * limit keeps a sign-in flood cheap to refuse. Held as the router matches
 * paths: without regard to case, with or without a trailing slash.
 */
const AUTH_ROUTES = new Set(['POST /api/register', 'POST /api/login', 'POST /api/user/password', 'DELETE /api/user']);

/** A body refused for its shape while it is read (before it is parsed). */
class BodyShapeError extends Error {
  readonly type = 'entity.shape.refused';
}

/** A body in another encoding than UTF-8, which the shape check reads (RFC 8259 asks for UTF-8 too). */
class BodyCharsetError extends Error {
  readonly type = 'charset.unsupported';
}

/** Text that is not valid Unicode, in a value or a key, or undefined. The shape check bounds this walk. */
function unicodeProblem(body: unknown): string | undefined {
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'string' && LONE_SURROGATE.test(current)) return 'The request body holds text that is not valid Unicode (an unpaired surrogate)';
    if (current === null || typeof current !== 'object') continue;
    for (const [key, child] of Object.entries(current)) pending.push(key, child);
  }
  return undefined;
}

function isAuthRoute(request: Request): boolean {
  return AUTH_ROUTES.has(`${request.method} ${request.path.toLowerCase().replace(/\/+$/, '')}`);
}

/** A request that says it carries a body (a length above zero, or a chunked one). */
export function carriesBody(request: Request): boolean {
  if (!METHODS_WITH_BODY.has(request.method)) return false;
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * JSON body parsing with the configured limits. Parse failures become the
 * error envelope here, because they happen before any route is chosen. A body
 * that is neither JSON nor multipart is refused (415): no route reads one, and
 * refusing form encodings also keeps cross-site HTML forms out. A body over
 * the shape limits is refused before it is parsed (400 `body_too_complex`).
 */
export function jsonBodyParser(http: Pick<AppConfig['http'], 'jsonBodyLimitBytes' | 'authBodyLimitBytes' | 'jsonShape'>): RequestHandler {
  const verify = (_request: Request, _response: Response, body: Buffer, encoding: string) => {
    if (encoding !== 'utf-8') throw new BodyCharsetError('Send the request body as UTF-8');
    const problem = jsonShapeProblem(body, http.jsonShape);
    if (problem) throw new BodyShapeError(problem);
  };
  const parser = (limit: number) =>
    express.json({ limit, strict: true, type: ['application/json', 'application/*+json'], verify });
  const parse = parser(http.jsonBodyLimitBytes);
  const parseAuth = parser(Math.min(http.authBodyLimitBytes, http.jsonBodyLimitBytes));
  return (request: Request, response: Response, next: NextFunction) => {
    if (!carriesBody(request)) return next();
    const contentType = (request.headers['content-type'] ?? '').toLowerCase();
    if (contentType.startsWith('multipart/form-data')) return next();
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(contentType)) {
      return sendError(
        response,
        new DomainError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json)'),
        request.id,
      );
    }
    (isAuthRoute(request) ? parseAuth : parse)(request, response, (error?: unknown) => {
      if (!error) {
        const problem = unicodeProblem(request.body);
        return problem ? sendError(response, new DomainError('bad_request', problem), request.id) : next();
      }
      const mapped =
        error instanceof BodyShapeError
          ? new DomainError('body_too_complex', error.message)
          : (toDomainError(error) ?? new DomainError('bad_request', 'The request body could not be read'));
      // The rest of an oversized body is not read; close the connection after replying.
      if (mapped.code === 'payload_too_large') response.setHeader('Connection', 'close');
      sendError(response, mapped, request.id);
    });
  };
}
