import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../../database/sql.js';

/** A counter after a hit: its count in the window and the seconds left of it. */
export interface CounterRow {
  key: string;
  count: number;
  remaining: number;
}

/** One increment of a counter whose window, when it starts anew, lasts `windowSeconds`. */
export interface CounterIncrement {
  key: string;
  increment: number;
  windowSeconds: number;
}

/*
 * Statements that change several counters lock their rows in key order (the
 * ORDER BY below and in RELEASE): two of them sharing counters (a client's
 * address, an e-mail) then wait for each other instead of deadlocking.
 */
const UPSERT = `
  INSERT INTO rate_limit_counters AS counter (key, count, reset_at)
  SELECT hit.key, hit.count, now() + make_interval(secs => hit.window_seconds)
  FROM unnest($1::varchar[], $2::int[], $3::float8[]) AS hit(key, count, window_seconds)
  ORDER BY hit.key
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counter.reset_at <= now() THEN EXCLUDED.count ELSE counter.count + EXCLUDED.count END,
    reset_at = CASE WHEN counter.reset_at <= now() THEN EXCLUDED.reset_at ELSE counter.reset_at END
  RETURNING key, count, GREATEST(0, EXTRACT(EPOCH FROM (reset_at - now())))::float AS remaining`;

const RELEASE = `
  UPDATE rate_limit_counters AS counter SET count = GREATEST(counter.count - 1, 0)
  FROM (SELECT key FROM rate_limit_counters WHERE key = ANY($1::varchar[]) AND reset_at > now() ORDER BY key FOR UPDATE) AS locked
  WHERE counter.key = locked.key`;

/**
 * Fixed-window counters shared by every instance. The keys are hashes of
 * what is counted (an e-mail, an address, a user id), never the subject itself.
 */
@Injectable()
export class RateLimitsRepository {
  constructor(private readonly sql: Sql) {}

  /** Adds to each counter in one statement (restarting windows that ran out); the rows in no particular order. */
  add(increments: readonly CounterIncrement[], db: SqlExecutor = this.sql): Promise<CounterRow[]> {
    return db.rows<CounterRow>(UPSERT, [
      increments.map((item) => item.key),
      increments.map((item) => item.increment),
      increments.map((item) => item.windowSeconds),
    ]);
  }

  /** The counter while its window runs, without counting. */
  find(key: string, db: SqlExecutor = this.sql): Promise<Omit<CounterRow, 'key'> | undefined> {
    return db.row<Omit<CounterRow, 'key'>>(
      'SELECT count, EXTRACT(EPOCH FROM (reset_at - now()))::float AS remaining FROM rate_limit_counters WHERE key = $1 AND reset_at > now()',
      [key],
    );
  }

  /** Takes one back from each counter whose window still runs. */
  async release(keys: readonly string[], db: SqlExecutor = this.sql): Promise<void> {
    await db.execute(RELEASE, [keys]);
  }

  async delete(key: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('DELETE FROM rate_limit_counters WHERE key = $1', [key]);
  }

  /** Removes counters whose window ended over a minute ago. */
  async deleteExpired(db: SqlExecutor = this.sql): Promise<void> {
    await db.execute("DELETE FROM rate_limit_counters WHERE reset_at < now() - interval '1 minute'");
  }
}
