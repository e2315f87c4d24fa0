import type { Response } from 'express';
import { DomainError, type ErrorCode, type ErrorDetail } from './domain-error.js';

export interface ErrorEnvelope {
  error: string;
  code: ErrorCode | string;
  details?: ErrorDetail[];
  requestId?: string;
  [extra: string]: unknown;
}

export function envelopeOf(error: DomainError, requestId?: string): ErrorEnvelope {
  const body: ErrorEnvelope = { ...error.extra, error: error.message, code: error.code };
  if (error.details && error.details.length > 0) body.details = error.details;
  if (requestId && error.status >= 500) body.requestId = requestId;
  return body;
}

/** Writes the error envelope, unless a (streamed) response has already begun. */
export function sendError(response: Response, error: DomainError, requestId?: string): void {
  if (response.headersSent) {
    if (!response.writableEnded) response.end();
    return;
  }
  // Read by the refusal gate (common/http/refusal-gate.ts) once the answer is sent.
  response.locals.errorCode = error.code;
  if (error.retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  response.status(error.status).json(envelopeOf(error, requestId));
}
