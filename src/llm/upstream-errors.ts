import OpenAI from 'openai';
import { DomainError } from '../common/errors/domain-error.js';

const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 20;
const DEFAULT_QUOTA_WAIT_SECONDS = 3600;

function retryAfterSeconds(headers: Headers | undefined, fallback: number): number {
  const value = headers?.get('retry-after');
  if (!value) return fallback;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? fallback : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

/**
 * OpenAI no longer has a file the request referred to (an image's copy that
 * expired or was deleted there). Still an upstream_bad_request to anyone who
 * does not look closer; a caller that made the copies can make them again.
 */
export class UpstreamFileMissing extends DomainError {
  constructor(detail: string) {
    super('upstream_bad_request', `OpenAI refused the request: ${detail}`);
    this.name = 'UpstreamFileMissing';
  }
}

/** The API's words for a file id it does not know ("No such File object", "File … not found", "does not exist"). */
const MISSING_FILE = /\bfile\b.*\b(not found|does not exist|no such|not exist)|\bno such file\b/i;

/** The retry rule lives in retry-rule.ts; background jobs find it here too. */
export { isRetryable } from './retry-rule.js';

/**
 * Translates what the OpenAI SDK throws into the platform's error codes. The
 * provider's message is kept only where it helps the user (a bad request).
 */
export function toUpstreamError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new DomainError('upstream_timeout', 'OpenAI did not answer in time; try again');
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new DomainError('upstream_unavailable', 'OpenAI could not be reached; try again shortly');
  }
  if (error instanceof OpenAI.AuthenticationError) {
    return new DomainError(
      'api_key_invalid',
      'OpenAI rejected the API key; check it and save a valid key in settings (POST /api/settings/apikey)',
    );
  }
  if (error instanceof OpenAI.RateLimitError) {
    const quota = error.code === 'insufficient_quota' || (error.error as { type?: string } | undefined)?.type === 'insufficient_quota';
    return quota
      ? new DomainError(
          'upstream_quota_exceeded',
          'The OpenAI account behind this API key has run out of quota; check its plan and billing',
          undefined,
          retryAfterSeconds(error.headers, DEFAULT_QUOTA_WAIT_SECONDS),
        )
      : new DomainError(
          'upstream_rate_limited',
          'OpenAI is rate limiting this API key; wait a moment and try again',
          undefined,
          retryAfterSeconds(error.headers, DEFAULT_RATE_LIMIT_WAIT_SECONDS),
        );
  }
  if (error instanceof OpenAI.BadRequestError || error instanceof OpenAI.NotFoundError || error instanceof OpenAI.UnprocessableEntityError) {
    const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
    if (!(error instanceof OpenAI.UnprocessableEntityError) && MISSING_FILE.test(detail)) return new UpstreamFileMissing(detail);
    return new DomainError('upstream_bad_request', `OpenAI refused the request: ${detail}`);
  }
  if (error instanceof OpenAI.PermissionDeniedError) {
    return new DomainError('upstream_error', 'OpenAI refused access for this API key (permission denied)');
  }
  if (error instanceof OpenAI.APIError) {
    // No HTTP status: an error event inside a stream that had already begun.
    if (error.status === undefined) {
      return new DomainError('upstream_error', `OpenAI reported an error while writing the reply${error.code ? ` (${error.code})` : ''}`);
    }
    return new DomainError('upstream_unavailable', 'OpenAI failed to answer; try again shortly');
  }
  // Compared by name: fetch's errors can come from another realm (e.g. under a test runner's VM).
  const name = (error as { name?: unknown } | null)?.name;
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  if (name === 'TypeError' && /terminated|fetch failed|socket|other side closed/i.test(message)) {
    return new DomainError('upstream_unavailable', 'The connection to OpenAI was lost; try again');
  }
  return new DomainError('upstream_error', 'The call to OpenAI failed');
}
