import { DomainError, type ErrorCode } from '../common/errors/domain-error.js';
import { backoffMs, isRetryable, retryWaitMs } from './retry-rule.js';
import { isRetryable as isRetryableFromErrors } from './upstream-errors.js';

const failure = (code: ErrorCode, retryAfterSeconds?: number) => new DomainError(code, code, undefined, retryAfterSeconds);

describe('the retry rule for OpenAI calls', () => {
  it('retries what waiting can fix, for calls and replies alike', () => {
    for (const code of ['upstream_unavailable', 'upstream_rate_limited'] as const) {
      expect(isRetryable(failure(code), 'call')).toBe(true);
      expect(isRetryable(failure(code), 'reply')).toBe(true);
    }
  });

  it('retries a timed-out call, but not a reply that timed out waiting for its text', () => {
    expect(isRetryable(failure('upstream_timeout'), 'call')).toBe(true);
    expect(isRetryable(failure('upstream_timeout'), 'reply')).toBe(false);
    expect(isRetryable(failure('upstream_timeout'))).toBe(true);
  });

  it('never retries what waiting cannot fix', () => {
    for (const code of ['api_key_invalid', 'upstream_bad_request', 'upstream_quota_exceeded', 'upstream_error', 'internal_error'] as const) {
      expect(isRetryable(failure(code), 'call')).toBe(false);
      expect(isRetryable(failure(code), 'reply')).toBe(false);
    }
  });

  it('is the rule background jobs read from the upstream errors', () => {
    expect(isRetryableFromErrors).toBe(isRetryable);
  });

  it('waits the backoff or the Retry-After, whichever is longer, within the tries and the total wait', () => {
    const budget = { maxRetries: 2, maxTotalWaitMs: 3_000 };
    const first = retryWaitMs(failure('upstream_unavailable'), 'reply', 0, 0, budget)!;
    expect(first).toBeGreaterThanOrEqual(375);
    expect(first).toBeLessThanOrEqual(625);
    expect(retryWaitMs(failure('upstream_rate_limited', 2), 'reply', 0, 0, budget)).toBe(2_000);
    // The tries used up.
    expect(retryWaitMs(failure('upstream_unavailable'), 'reply', 2, 0, budget)).toBeNull();
    // A wait past the budget (what was waited included) is not taken.
    expect(retryWaitMs(failure('upstream_rate_limited', 30), 'reply', 0, 0, budget)).toBeNull();
    expect(retryWaitMs(failure('upstream_rate_limited', 2), 'reply', 1, 1_500, budget)).toBeNull();
    // Without a cap only the tries count.
    expect(retryWaitMs(failure('upstream_rate_limited', 30), 'call', 0, 0, { maxRetries: 1 })).toBe(30_000);
    expect(retryWaitMs(failure('upstream_timeout'), 'reply', 0, 0, budget)).toBeNull();
  });

  it('doubles the backoff per attempt, with jitter, up to a minute', () => {
    for (let i = 0; i < 20; i++) {
      expect(backoffMs(3)).toBeGreaterThanOrEqual(1_500);
      expect(backoffMs(3)).toBeLessThanOrEqual(2_500);
      expect(backoffMs(30)).toBeLessThanOrEqual(75_000);
    }
  });
});
