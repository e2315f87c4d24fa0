import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

export interface RateLimitRule {
  /** Names the counter family, e.g. "login-email". */
  scope: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitState {
  count: number;
  retryAfterSeconds: number;
}

/** One event to count: a rule and whom it is about (an e-mail, an address, a user id). */
export interface RateLimitHit {
  rule: RateLimitRule;
  subject: string;
}

/** The answer to an event over its limit. */
export function rateLimited(message: string, state: RateLimitState): DomainError {
  return new DomainError('rate_limited', message, undefined, Math.max(1, state.retryAfterSeconds));
}

const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;
const FLUSH_INTERVAL_MS = 200;
/** Below this share of a limit, batched hits are only counted in memory until the next flush. */
const EXACT_FROM = 0.8;
const MAX_REMEMBERED_KEYS = 10_000;

/** The port the limiter needs of its repository. */
export type RateLimitCounters = Pick<RateLimitsRepository, keyof RateLimitsRepository>;

interface LocalCount {
  windowSeconds: number;
  /** Epoch milliseconds when the window (as last seen in PostgreSQL) ends. */
  resetAt: number;
  /** The shared count at the last write. */
  known: number;
  /** Hits counted here and not written yet. */
  pending: number;
}

/**
 * Fixed-window counters in PostgreSQL, so a limit holds across every instance
 * sharing the database. A hit is an upsert that restarts the window when it
 * has run out. For the busy per-request budget, hits far below the limit are
 * counted in memory and written in batches; near the limit every hit is
 * decided in PostgreSQL, so the limit stays exact where it matters.
 */
@Injectable()
export class RateLimiterService implements OnModuleInit, OnModuleDestroy {
  private cleanupTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly local = new Map<string, LocalCount>();
  /** Keys computed lately (one is needed on every signed-in request). */
  private readonly keys = new Map<string, string>();

  constructor(@Inject(RateLimitsRepository) private readonly counters: RateLimitCounters) {}

  onModuleInit(): void {
    this.cleanupTimer = setInterval(() => void this.removeExpired().catch(() => undefined), CLEANUP_INTERVAL_MS);
    this.cleanupTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.cleanupTimer);
    clearTimeout(this.flushTimer);
    await this.flush().catch(() => undefined);
  }

  /** Counts one event and returns the state after it. */
  async hit(rule: RateLimitRule, subject: string): Promise<RateLimitState> {
    return this.add(this.key(rule, subject), rule.windowSeconds, 1);
  }

  /** Counts one event on each rule (each rule and subject at most once), in one statement; the states are in the order of `hits`. */
  async hitAll(hits: RateLimitHit[]): Promise<RateLimitState[]> {
    const keys = hits.map((hit) => this.key(hit.rule, hit.subject));
    const rows = await this.counters.add(hits.map((hit, index) => ({ key: keys[index], increment: 1, windowSeconds: hit.rule.windowSeconds })));
    const byKey = new Map(rows.map((row) => [row.key, { count: row.count, retryAfterSeconds: Math.ceil(row.remaining) }]));
    return keys.map((key) => byKey.get(key) ?? { count: 0, retryAfterSeconds: 0 });
  }

  /** The state of a counter, without counting anything. */
  async peek(rule: RateLimitRule, subject: string): Promise<RateLimitState> {
    const row = await this.counters.find(this.key(rule, subject));
    return row ? { count: row.count, retryAfterSeconds: Math.ceil(row.remaining) } : { count: 0, retryAfterSeconds: 0 };
  }

  /** Counts one event and refuses it once the window's limit is exceeded. */
  async consume(rule: RateLimitRule, subject: string, message: string): Promise<void> {
    const state = await this.hit(rule, subject);
    if (state.count > rule.limit) throw rateLimited(message, state);
  }

  /** Like consume(), but cheap for frequent events: see the class comment. */
  async consumeBatched(rule: RateLimitRule, subject: string, message: string): Promise<void> {
    const key = this.key(rule, subject);
    const now = Date.now();
    let entry = this.local.get(key);
    if (!entry || (entry.resetAt <= now && entry.pending === 0)) {
      entry = { windowSeconds: rule.windowSeconds, resetAt: now + rule.windowSeconds * 1000, known: 0, pending: 0 };
      this.local.set(key, entry);
    }
    if (entry.known + entry.pending + 1 <= rule.limit * EXACT_FROM) {
      entry.pending++;
      this.scheduleFlush();
      return;
    }
    const increment = entry.pending + 1;
    entry.pending = 0;
    const state = await this.add(key, rule.windowSeconds, increment);
    entry.known = state.count;
    entry.resetAt = now + state.retryAfterSeconds * 1000;
    if (state.count > rule.limit) throw rateLimited(message, state);
  }

  /**
   * Gives back one event counted by consume(): an attempt that turned out not
   * to count (a sign-in with the right password). Counting first and giving
   * back later keeps a burst of parallel attempts from all passing the check
   * before any of them is counted.
   */
  async release(rule: RateLimitRule, subject: string): Promise<void> {
    await this.releaseAll([{ rule, subject }]);
  }

  /** release() for several counters, in one statement. */
  async releaseAll(hits: RateLimitHit[]): Promise<void> {
    if (hits.length === 0) return;
    await this.counters.release(hits.map((hit) => this.key(hit.rule, hit.subject)));
  }

  async reset(rule: RateLimitRule, subject: string): Promise<void> {
    await this.counters.delete(this.key(rule, subject));
  }

  private async add(key: string, windowSeconds: number, increment: number): Promise<RateLimitState> {
    const [row] = await this.counters.add([{ key, increment, windowSeconds }]);
    return { count: row.count, retryAfterSeconds: Math.ceil(row.remaining) };
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush().catch(() => undefined);
    }, FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
  }

  /** Writes the hits counted in memory, in one statement, and learns the shared counts. */
  private async flush(): Promise<void> {
    const batch = [...this.local.entries()].filter(([, entry]) => entry.pending > 0);
    const now = Date.now();
    for (const [key, entry] of this.local) if (entry.pending === 0 && entry.resetAt <= now) this.local.delete(key);
    if (batch.length === 0) return;
    const increments = batch.map(([, entry]) => entry.pending);
    for (const [, entry] of batch) entry.pending = 0;
    try {
      const rows = await this.counters.add(
        batch.map(([key, entry], index) => ({ key, increment: increments[index], windowSeconds: entry.windowSeconds })),
      );
      for (const row of rows) {
        const entry = this.local.get(row.key);
        if (!entry) continue;
        entry.known = row.count;
        entry.resetAt = Date.now() + row.remaining * 1000;
      }
    } catch (error) {
      // Not lost: the hits are written with the next batch.
      batch.forEach(([, entry], index) => (entry.pending += increments[index]));
      this.scheduleFlush();
      throw error;
    }
  }

  /** The counter's key: the subject (an e-mail, an address, a user id) is only kept hashed. */
  private key(rule: RateLimitRule, subject: string): string {
    const name = `${rule.scope}\u0000${subject}`;
    let key = this.keys.get(name);
    if (key === undefined) {
      key = `${rule.scope}:${createHash('sha256').update(subject).digest('base64url').slice(0, 43)}`;
      if (this.keys.size >= MAX_REMEMBERED_KEYS) this.keys.clear();
      this.keys.set(name, key);
    }
    return key;
  }

  private async removeExpired(): Promise<void> {
    await this.counters.deleteExpired();
  }
}
