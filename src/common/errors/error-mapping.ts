import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorCode } from './domain-error.js';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'not_authenticated',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'database_unavailable',
};

/** Connection-level failures of PostgreSQL: the database is down or restarting. */
const DATABASE_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const DATABASE_DOWN_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const DATABASE_DOWN_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'the database system is starting up',
  'the database system is shutting down',
  'Client was closed and is not queryable',
];

/** TypeORM's errors for a transaction whose connection died under it. */
const DATABASE_DOWN_ERROR_NAMES = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/** PostgreSQL refuses the text itself: a NUL character, which no text column can hold, or one the encoding lacks. */
const UNSTORABLE_TEXT_SQLSTATES = new Set(['22021', '22P05']);

/** What the error checks below read of an error and of each error it wraps. */
interface ErrorLink {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/** True when the error, or one it wraps (TypeORM's driverError, a cause; a few levels deep), matches. */
function anyInChain(error: unknown, matches: (link: ErrorLink) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    if (matches(current as ErrorLink)) return true;
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return false;
}

const messageIncludes = (link: ErrorLink, text: string): boolean => typeof link.message === 'string' && link.message.includes(text);

function isUnstorableText(error: unknown): boolean {
  return anyInChain(error, (link) => typeof link.code === 'string' && UNSTORABLE_TEXT_SQLSTATES.has(link.code));
}

/**
 * No connection could be had at all (the pool stayed busy, or the server
 * refused it): nothing was sent, so the work can safely be tried again.
 */
export function isConnectionUnavailable(error: unknown): boolean {
  return anyInChain(error, (link) => link.code === 'ECONNREFUSED' || messageIncludes(link, 'timeout exceeded when trying to connect'));
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return anyInChain(
    error,
    (link) =>
      (typeof link.name === 'string' && DATABASE_DOWN_ERROR_NAMES.has(link.name)) ||
      (typeof link.code === 'string' && (DATABASE_DOWN_CODES.has(link.code) || DATABASE_DOWN_SQLSTATES.has(link.code))) ||
      DATABASE_DOWN_MESSAGES.some((text) => messageIncludes(link, text)),
  );
}

/** Framework and library errors that have a meaning for the client. */
export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (error instanceof HttpException) return fromHttpException(error);
  if (error && typeof error === 'object') {
    const candidate = error as { type?: unknown; status?: unknown; code?: unknown; message?: unknown };
    switch (candidate.type) {
      case 'entity.too.large':
        return new DomainError('payload_too_large', 'The request body is larger than the server accepts');
      case 'entity.parse.failed':
        return new DomainError('invalid_json', 'The request body is not valid JSON');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new DomainError('unsupported_media_type', 'The request body uses an unsupported encoding');
      case 'request.aborted':
        return new DomainError('bad_request', 'The request was aborted by the client');
      default:
        break;
    }
  }
  if (isUnstorableText(error)) {
    return new DomainError('bad_request', 'The request holds text that cannot be stored (such as a NUL character)');
  }
  if (isDatabaseUnavailable(error)) {
    return new DomainError('database_unavailable', 'The database is unavailable; try again shortly', undefined, 5);
  }
  return undefined;
}

function fromHttpException(error: HttpException): DomainError {
  const status = error.getStatus();
  const code = STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
  const response = error.getResponse();
  let message = error.message;
  if (typeof response === 'object' && response !== null) {
    const body = response as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
    else if (Array.isArray(body.message)) message = body.message.join('; ');
  }
  if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(message)) {
    message = `No route for ${message.replace(/^Cannot /, '')}`;
  }
  return new DomainError(code, message);
}
