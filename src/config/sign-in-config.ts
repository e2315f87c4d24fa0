import { availableParallelism } from 'node:os';
import type { EnvReader } from './env-reader.js';

/** What signing in may cost: password hashing admission, sign-in limits, failed-password back-off, sessions. */
export interface SignInConfig {
  /** bcrypt computations running at once (each holds a libuv pool thread and a CPU). */
  bcryptConcurrency: number;
  /** bcrypt computations that may wait for a slot, all clients together; beyond it the answer is 503 server_busy. */
  bcryptQueueLength: number;
  /** Longest wait for a slot before the answer is 503 server_busy. */
  bcryptQueueWaitMs: number;
  /** Scheduling priority (nice, 0–19) of the hashing threads: higher yields the CPU to everything else. */
  bcryptThreadNice: number;
  /** Successful sign-ins per client address per window. */
  signInsPerAddress: number;
  /** Successful sign-ins per account per window. */
  signInsPerAccount: number;
  signInWindowSeconds: number;
  /** Failed passwords on one e-mail, from all addresses, before every sign-in to it is slowed down. */
  backoffAfterFailures: number;
  backoffWindowSeconds: number;
  /** The longest the back-off delays one sign-in. */
  backoffMaxMs: number;
  /** Sessions one user may hold; signing in past it ends the oldest. */
  maxSessionsPerUser: number;
}

export function readSignInConfig(env: EnvReader): SignInConfig {
  return {
    // One CPU fewer than the machine has: a burst of sign-ins leaves the event loop and the database a core.
    bcryptConcurrency: env.integer('BCRYPT_CONCURRENCY', { default: Math.max(1, availableParallelism() - 1), min: 1, max: 64 }),
    bcryptQueueLength: env.integer('BCRYPT_QUEUE_LENGTH', { default: 32, min: 0, max: 100_000 }),
    bcryptQueueWaitMs: env.integer('BCRYPT_QUEUE_WAIT_MS', { default: 5_000, min: 1, max: 600_000 }),
    bcryptThreadNice: env.integer('BCRYPT_THREAD_NICE', { default: 10, min: 0, max: 19 }),
    signInsPerAddress: env.integer('RATE_LIMIT_SIGNINS_PER_ADDRESS', { default: 30, min: 1 }),
    signInsPerAccount: env.integer('RATE_LIMIT_SIGNINS_PER_ACCOUNT', { default: 10, min: 1 }),
    signInWindowSeconds: env.integer('RATE_LIMIT_SIGNIN_WINDOW_SECONDS', { default: 15 * 60, min: 1 }),
    backoffAfterFailures: env.integer('LOGIN_BACKOFF_AFTER_FAILURES', { default: 5, min: 0 }),
    backoffWindowSeconds: env.integer('LOGIN_BACKOFF_WINDOW_SECONDS', { default: 60 * 60, min: 1 }),
    backoffMaxMs: env.integer('LOGIN_BACKOFF_MAX_MS', { default: 10_000, min: 0, max: 60_000 }),
    maxSessionsPerUser: env.integer('SESSION_MAX_PER_USER', { default: 10, min: 1, max: 10_000 }),
  };
}
