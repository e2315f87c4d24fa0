import { createHash } from 'node:crypto';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';

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

const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Fixed-window counters in PostgreSQL, so a limit holds across every instance
 * sharing the database. One statement per hit: an upsert that restarts the
 * window when it has run out.
 */
@Injectable()
export class RateLimiterService implements OnModuleInit, OnModuleDestroy {
  private cleanupTimer: NodeJS.Timeout | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.cleanupTimer = setInterval(() => void this.removeExpired().catch(() => undefined), CLEANUP_INTERVAL_MS);
    this.cleanupTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanupTimer);
  }

  /** Counts one event and returns the state after it. */
  async hit(rule: RateLimitRule, subject: string): Promise<RateLimitState> {
    const rows = (await this.dataSource.query(
      `INSERT INTO rate_limit_counters AS counter (key, count, reset_at)
       VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN counter.reset_at <= now() THEN 1 ELSE counter.count + 1 END,
         reset_at = CASE WHEN counter.reset_at <= now() THEN EXCLUDED.reset_at ELSE counter.reset_at END
       RETURNING count, GREATEST(0, EXTRACT(EPOCH FROM (reset_at - now())))::float AS remaining`,
      [this.key(rule, subject), rule.windowSeconds],
    )) as Array<{ count: number; remaining: number }>;
    return { count: rows[0].count, retryAfterSeconds: Math.ceil(rows[0].remaining) };
  }

  /** Counts one event and refuses it once the window's limit is exceeded. */
  async consume(rule: RateLimitRule, subject: string, message: string): Promise<void> {
    const state = await this.hit(rule, subject);
    if (state.count > rule.limit) {
      throw new DomainError('rate_limited', message, undefined, Math.max(1, state.retryAfterSeconds));
    }
  }

  /** Refuses when the window already holds `limit` events, without counting this one. */
  async assertBelow(rule: RateLimitRule, subject: string, message: string): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT count, GREATEST(0, EXTRACT(EPOCH FROM (reset_at - now())))::float AS remaining
       FROM rate_limit_counters WHERE key = $1 AND reset_at > now()`,
      [this.key(rule, subject)],
    )) as Array<{ count: number; remaining: number }>;
    if (rows.length > 0 && rows[0].count >= rule.limit) {
      throw new DomainError('rate_limited', message, undefined, Math.max(1, Math.ceil(rows[0].remaining)));
    }
  }

  async reset(rule: RateLimitRule, subject: string): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_counters WHERE key = $1', [this.key(rule, subject)]);
  }

  private key(rule: RateLimitRule, subject: string): string {
    return `${rule.scope}:${createHash('sha256').update(subject).digest('base64url').slice(0, 43)}`;
  }

  private async removeExpired(): Promise<void> {
    await this.dataSource.query("DELETE FROM rate_limit_counters WHERE reset_at < now() - interval '1 minute'");
  }
}
