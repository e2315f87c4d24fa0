import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import {
  rateLimited,
  RateLimiterService,
  type RateLimitHit,
  type RateLimitRule,
  type RateLimitState,
} from '../common/rate-limit/rate-limiter.service.js';

const TOO_MANY_FAILURES = 'Too many failed sign-ins; wait before trying again';
const TOO_MANY_FROM_ADDRESS = 'Too many sign-ins from this address; wait before trying again';
const TOO_MANY_FOR_ACCOUNT = 'Too many sign-ins to this account; wait before trying again';

/** The back-off's first step; every further failure on the e-mail doubles it, up to LOGIN_BACKOFF_MAX_MS. */
const BACKOFF_STEP_MS = 250;

/** How long a sign-in waits when its e-mail has seen `failures` failed passwords (from every address) lately. */
export function backoffDelayMs(failures: number, afterFailures: number, maxMs: number): number {
  if (failures < afterFailures) return 0;
  return Math.min(maxMs, BACKOFF_STEP_MS * 2 ** Math.min(failures - afterFailures, 20));
}

export interface LoginAttempt {
  email: string;
  address: string;
  /** How long to wait before the password is checked (the e-mail's back-off). */
  delayMs: number;
}

/**
 * The counters around a password sign-in, all in PostgreSQL so they hold
 * across instances. A lock-out must only hurt the one guessing:
 * - failed passwords are limited per (e-mail, address) and per address: the
 *   attacker's addresses get locked, never the e-mail itself, so its owner
 *   still signs in from anywhere else;
 * - across all addresses, failures on one e-mail only slow its sign-ins down
 *   (a delay before the check, doubling per failure, bounded), never refuse
 *   them: guessing from many addresses gets slower while the owner pays a few
 *   seconds at most;
 * - successful sign-ins are limited per address and per account, so correct
 *   passwords cannot be used to burn CPU.
 * Each attempt is counted before its password is checked (a parallel burst
 * cannot all pass under a limit) and the counts that turned out not to apply
 * are given back afterwards. The account's sign-in count is only read before
 * and added to on success: counting it up front would let anyone with wrong
 * passwords in flight hold the owner's budget.
 */
@Injectable()
export class LoginLimits {
  private readonly failuresPerAddress: RateLimitRule;
  private readonly failuresPerEmailAndAddress: RateLimitRule;
  private readonly signInsPerAddress: RateLimitRule;
  private readonly signInsPerAccount: RateLimitRule;
  private readonly emailBackoff: RateLimitRule;
  private readonly backoffAfter: number;
  private readonly backoffMaxMs: number;

  constructor(
    private readonly limiter: RateLimiterService,
    @InjectConfig() config: AppConfig,
  ) {
    const { loginFailuresPerWindow, loginWindowSeconds } = config.rateLimits;
    const signIn = config.signIn;
    this.failuresPerAddress = { scope: 'login-ip', limit: loginFailuresPerWindow, windowSeconds: loginWindowSeconds };
    this.failuresPerEmailAndAddress = { scope: 'login-email-ip', limit: loginFailuresPerWindow, windowSeconds: loginWindowSeconds };
    this.signInsPerAddress = { scope: 'signin-ip', limit: signIn.signInsPerAddress, windowSeconds: signIn.signInWindowSeconds };
    this.signInsPerAccount = { scope: 'signin-account', limit: signIn.signInsPerAccount, windowSeconds: signIn.signInWindowSeconds };
    // Never refuses: its count only sets the delay.
    this.emailBackoff = { scope: 'login-backoff', limit: Number.MAX_SAFE_INTEGER, windowSeconds: signIn.backoffWindowSeconds };
    this.backoffAfter = signIn.backoffAfterFailures;
    this.backoffMaxMs = signIn.backoffMaxMs;
  }

  /** Counts an attempt; refuses it (429) when one of its limits is reached. */
  async begin(email: string, address: string): Promise<LoginAttempt> {
    const hits = this.hitsOf(email, address);
    const [states, account] = await Promise.all([
      this.limiter.hitAll(hits.map(([hit]) => hit)),
      this.limiter.peek(this.signInsPerAccount, email),
    ]);
    const refusals: Array<{ message: string; state: RateLimitState }> = [];
    hits.forEach(([hit, message], index) => {
      if (states[index].count > hit.rule.limit) refusals.push({ message, state: states[index] });
    });
    if (account.count >= this.signInsPerAccount.limit) refusals.push({ message: TOO_MANY_FOR_ACCOUNT, state: account });
    if (refusals.length > 0) {
      // A refused attempt takes nothing from the limits it was within.
      await this.limiter.releaseAll(hits.filter(([hit], index) => states[index].count <= hit.rule.limit).map(([hit]) => hit));
      const longest = refusals.reduce((a, b) => (b.state.retryAfterSeconds > a.state.retryAfterSeconds ? b : a));
      throw rateLimited(longest.message, longest.state);
    }
    const failuresBefore = states[hits.length - 1].count - 1;
    return { email, address, delayMs: backoffDelayMs(failuresBefore, this.backoffAfter, this.backoffMaxMs) };
  }

  /** The password was right: the failure counts give the attempt back, the account's sign-ins count it. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await Promise.all([
      this.limiter.releaseAll([
        { rule: this.failuresPerAddress, subject: attempt.address },
        { rule: this.emailBackoff, subject: attempt.email },
      ]),
      this.limiter.reset(this.failuresPerEmailAndAddress, this.pair(attempt)),
    ]);
    const account = await this.limiter.hit(this.signInsPerAccount, attempt.email);
    if (account.count > this.signInsPerAccount.limit) throw rateLimited(TOO_MANY_FOR_ACCOUNT, account);
  }

  /** The password was wrong: it was no sign-in. */
  async failed(attempt: LoginAttempt): Promise<void> {
    await this.limiter.release(this.signInsPerAddress, attempt.address);
  }

  /** The password was never checked (the server was busy): the attempt counts nowhere. */
  async abandoned(attempt: LoginAttempt): Promise<void> {
    await this.limiter.releaseAll(this.hitsOf(attempt.email, attempt.address).map(([hit]) => hit));
  }

  /** The counters an attempt takes before its check, each with its refusal; the back-off comes last. */
  private hitsOf(email: string, address: string): Array<[RateLimitHit, string]> {
    return [
      [{ rule: this.failuresPerAddress, subject: address }, TOO_MANY_FAILURES],
      [{ rule: this.failuresPerEmailAndAddress, subject: this.pair({ email, address }) }, TOO_MANY_FAILURES],
      [{ rule: this.signInsPerAddress, subject: address }, TOO_MANY_FROM_ADDRESS],
      [{ rule: this.emailBackoff, subject: email }, TOO_MANY_FAILURES],
    ];
  }

  private pair({ email, address }: { email: string; address: string }): string {
    return `${email}\u0000${address}`;
  }
}
