import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { sendError } from '../errors/error-envelope.js';
import { toDomainError } from '../errors/error-mapping.js';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Far deeper than any request body the API takes; deeper ones would only exhaust recursive code (validation). */
const MAX_JSON_DEPTH = 32;
/** A UTF-16 surrogate without its pair: no Unicode text holds one (I-JSON, RFC 7493, forbids them). */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a parsed body is refused before any route sees it (checked without recursion), or undefined. */
function bodyProblem(body: unknown): string | undefined {
  const pending: Array<[unknown, number]> = [[body, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [current, depth] = item;
    if (typeof current === 'string' && LONE_SURROGATE.test(current)) return 'The request body holds text that is not valid Unicode (an unpaired surrogate)';
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`;
    for (const [key, child] of Object.entries(current)) pending.push([key, depth], [child, depth + 1]);
  }
  return undefined;
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * JSON body parsing with the configured limit. Parse failures become the
 * error envelope here, because they happen before any route is chosen. A body
 * that is neither JSON nor multipart is refused (415): no route reads one, and
 * refusing form encodings also keeps cross-site HTML forms out.
 */
export function jsonBodyParser(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (request: Request, response: Response, next: NextFunction) => {
    if (!METHODS_WITH_BODY.has(request.method) || !hasBody(request)) return next();
    const contentType = (request.headers['content-type'] ?? '').toLowerCase();
    if (contentType.startsWith('multipart/form-data')) return next();
    if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(contentType)) {
      return sendError(
        response,
        new DomainError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json)'),
        request.id,
      );
    }
    parse(request, response, (error?: unknown) => {
      if (!error) {
        const problem = bodyProblem(request.body);
        return problem ? sendError(response, new DomainError('bad_request', problem), request.id) : next();
      }
      const mapped = toDomainError(error) ?? new DomainError('bad_request', 'The request body could not be read');
      // The rest of an oversized body is not read; close the connection after replying.
      if (mapped.code === 'payload_too_large') response.setHeader('Connection', 'close');
      sendError(response, mapped, request.id);
    });
  };
}
