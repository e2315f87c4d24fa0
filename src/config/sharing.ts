import type { EnvReader } from './env-reader.js';

export interface SharesConfig {
  /** Share links a user may have at once. */
  maxPerUser: number;
  /** Messages a shared snapshot may hold (a longer conversation cannot be shared). */
  maxMessages: number;
  /** Characters of message text a shared snapshot may hold. */
  maxChars: number;
  /** Reads of shared links per minute from one address (the public route needs no session). */
  readsPerMinute: number;
}

export interface FeedbackConfig {
  /** Characters of the comment that may go with a rating. */
  maxCommentChars: number;
}

export function readSharesConfig(env: EnvReader): SharesConfig {
  return {
    maxPerUser: env.integer('SHARE_MAX_PER_USER', { default: 100, min: 1, max: 100_000 }),
    maxMessages: env.integer('SHARE_MAX_MESSAGES', { default: 1_000, min: 1, max: 100_000 }),
    maxChars: env.integer('SHARE_MAX_CHARS', { default: 1_000_000, min: 1_000, max: 50_000_000 }),
    readsPerMinute: env.integer('SHARE_READS_PER_MINUTE', { default: 60, min: 1, max: 100_000 }),
  };
}

export function readFeedbackConfig(env: EnvReader): FeedbackConfig {
  return {
    maxCommentChars: env.integer('FEEDBACK_MAX_COMMENT_CHARS', { default: 2_000, min: 1, max: 100_000 }),
  };
}
