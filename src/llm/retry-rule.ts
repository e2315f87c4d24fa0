import type { DomainError } from '../common/errors/domain-error.js';

/**
 * What failed: a plain call (an upload, a title, a background job), or a
 * streamed reply. A reply's timeout is its wait for the first token
 * (OPENAI_FIRST_TOKEN_TIMEOUT_MS) or a silence mid-stream: trying again
 * would make the user wait that long once more, so a reply is not retried
 * for a timeout, while a plain call is.
 */
export type UpstreamCall = 'call' | 'reply';

export interface RetryBudget {
  /** Tries after the first (OPENAI_MAX_RETRIES). */
  maxRetries: number;
  /** The longest all the waits may add up to (OPENAI_MAX_RETRY_WAIT_MS); none: no cap. */
  maxTotalWaitMs?: number;
}

const MAX_BACKOFF_MS = 60_000;

/** Exponential backoff with ±25% jitter: attempt 1 waits about baseMs, each next one twice as long (at most a minute). */
export function backoffMs(attempt: number, baseMs = 500): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.75 + Math.random() * 0.5));
}

/**
 * The one rule for trying an OpenAI call again: what waiting can fix (the
 * service unreachable or failing, a rate limit), and a timeout unless the
 * call is a streamed reply (see UpstreamCall). Everything else (a refused
 * key, a bad request, a used-up quota) fails at once.
 */
export function isRetryable(error: DomainError, call: UpstreamCall = 'call'): boolean {
  switch (error.code) {
    case 'upstream_unavailable':
    case 'upstream_rate_limited':
      return true;
    case 'upstream_timeout':
      return call === 'call';
    default:
      return false;
  }
}

/**
 * How long to wait before the next try, or null when the failure is not
 * tried again: not retryable, the tries used up, or the wait would pass the
 * budget. The wait is the backoff or the provider's Retry-After, the longer.
 * @param retries tries made after the first so far
 * @param waitedMs what earlier retries of the same call already waited
 */
export function retryWaitMs(error: DomainError, call: UpstreamCall, retries: number, waitedMs: number, budget: RetryBudget): number | null {
  if (!isRetryable(error, call) || retries >= budget.maxRetries) return null;
  const wait = Math.max(backoffMs(retries + 1), (error.retryAfterSeconds ?? 0) * 1000);
  if (budget.maxTotalWaitMs !== undefined && waitedMs + wait > budget.maxTotalWaitMs) return null;
  return wait;
}
