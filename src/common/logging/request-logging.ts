import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AppLogger } from './logger.js';
import { isSensitiveName, REDACTED } from './redact.js';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Paths whose last segment is a credential: a share link's token. */
const SECRET_PATH = /^(\/api\/shared\/)[^/?]+/;

/** Path plus query string, with credentials in the path and query values under credential-like names masked. */
function loggedUrl(request: Request): string {
  const url = request.originalUrl.replace(SECRET_PATH, `$1${REDACTED}`);
  const separator = url.indexOf('?');
  if (separator < 0) return url;
  const params = new URLSearchParams(url.slice(separator + 1));
  for (const name of [...params.keys()]) if (isSensitiveName(name)) params.set(name, REDACTED);
  return `${url.slice(0, separator)}?${params.toString()}`;
}

/** Gives each request an id (kept from X-Request-Id when well-formed) and logs one line when it ends. */
export function requestLogging(logger: AppLogger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const incoming = request.headers['x-request-id'];
    request.id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', request.id);
    const started = process.hrtime.bigint();
    const done = () => {
      response.off('finish', done);
      response.off('close', done);
      const status = response.statusCode;
      // Below the configured level nothing is written: the line's fields are not worth building.
      if (!logger.isLevelEnabled(status >= 500 ? 'error' : 'info')) return;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        requestId: request.id,
        method: request.method,
        url: loggedUrl(request),
        status,
        durationMs: Math.round(durationMs * 10) / 10,
        userId: (request as Request & { session?: { userId?: string } }).session?.userId,
        aborted: !response.writableFinished,
      };
      if (status >= 500) logger.error(fields, 'request failed');
      else logger.info(fields, 'request');
    };
    response.on('finish', done);
    response.on('close', done);
    next();
  };
}
