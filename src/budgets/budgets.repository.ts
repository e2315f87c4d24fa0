import { Injectable } from '@nestjs/common';
import type { BudgetLimits, BudgetPeriod, BudgetPolicy } from '../config/budgets.js';
import { settingsRow } from '../database/settings-row.js';
import { Sql, type SqlExecutor, type Transaction } from '../database/sql.js';

/** NOTIFY channel: the budget policy changed. */
export const BUDGET_POLICY_CHANNEL = 'budget_policy';

interface PolicyRow {
  period: BudgetPeriod;
  time_zone: string;
  soft_percent: number;
  default_tokens: string | null;
  default_usd: string | null;
  shared_tokens: string | null;
  shared_usd: string | null;
  shared_models: string[];
  shared_tools: string[];
  shared_max_output_tokens: number | null;
}

/** A user's own limits as PostgreSQL returns them (numeric comes as text; null: no limit). */
export interface LimitsRow {
  tokens: string | null;
  usd: string | null;
}

/** Sums as PostgreSQL returns them (bigint and numeric come as text). */
interface AmountsRow {
  tokens: string;
  usd: string;
}

interface ReserveRow extends AmountsRow {
  id: string | null;
  held_tokens: string;
  held_usd: string;
}

/** Tokens and US dollars. */
export interface Amounts {
  tokens: number;
  usd: number;
}

/** What a reservation found: the spending of the period and what running turns held before it. */
export interface Reservation {
  /** Null when the turn did not fit. */
  id: string | null;
  spent: Amounts;
  held: Amounts;
}

const POLICY_COLUMNS =
  'period, time_zone, soft_percent, default_tokens, default_usd, shared_tokens, shared_usd, shared_models, shared_tools, shared_max_output_tokens';

const num = (value: string | null): number | null => (value === null ? null : Number(value));
const amounts = (tokens: string, usd: string): Amounts => ({ tokens: Number(tokens), usd: Number(usd) });

/** The one mapping of a `user_budgets` row (also read with a turn's scope). */
export const limitsFromRow = (row: LimitsRow): BudgetLimits => ({ tokens: num(row.tokens), usd: num(row.usd) });

const toPolicy = (row: PolicyRow): BudgetPolicy => ({
  period: row.period,
  timeZone: row.time_zone,
  softPercent: row.soft_percent,
  default: { tokens: num(row.default_tokens), usd: num(row.default_usd) },
  sharedKey: {
    tokens: num(row.shared_tokens),
    usd: num(row.shared_usd),
    models: row.shared_models ?? [],
    tools: row.shared_tools ?? [],
    maxOutputTokens: row.shared_max_output_tokens,
  },
});

const policyParams = (policy: BudgetPolicy) => [
  policy.period,
  policy.timeZone,
  policy.softPercent,
  policy.default.tokens,
  policy.default.usd,
  policy.sharedKey.tokens,
  policy.sharedKey.usd,
  policy.sharedKey.models,
  policy.sharedKey.tools,
  policy.sharedKey.maxOutputTokens,
];

/** Days of spending kept per user: more than the longest period. */
const SPEND_KEPT_DAYS = 62;

/** The quarter hour an instant falls in (every zone's midnight is on one). */
const BUCKET = 'to_timestamp(floor(extract(epoch FROM now()) / 900) * 900)';

/** A user's spending in [$2, $3) and what their running turns hold (reservations not yet expired). */
const SPENT_AND_HELD = `
  spent AS (SELECT COALESCE(sum(tokens), 0)::bigint AS tokens, COALESCE(sum(usd), 0)::numeric AS usd
            FROM budget_spend WHERE user_id = $1 AND bucket >= $2 AND bucket < $3),
  held AS (SELECT COALESCE(sum(tokens), 0)::bigint AS tokens, COALESCE(sum(usd), 0)::numeric AS usd
           FROM budget_reservations WHERE user_id = $1 AND reserved_until > now())`;

/**
 * The installation's budget policy (one row), users' own limits, what users
 * spent per quarter hour, and what running turns hold.
 */
@Injectable()
export class BudgetsRepository {
  constructor(private readonly sql: Sql) {}

  /** The stored policy; the first read stores `initial` (from the environment). */
  async policy(initial: BudgetPolicy, db: SqlExecutor = this.sql): Promise<BudgetPolicy> {
    const row = await settingsRow<PolicyRow>(db, { table: 'budget_settings', written: POLICY_COLUMNS, read: POLICY_COLUMNS }, policyParams(initial));
    return toPolicy(row);
  }

  /** Tells every instance that the policy changed (they drop what they hold of it). */
  async announcePolicy(): Promise<void> {
    await this.sql.execute('SELECT pg_notify($1, $2)', [BUDGET_POLICY_CHANNEL, '']);
  }

  async setPolicy(policy: BudgetPolicy, db: SqlExecutor = this.sql): Promise<BudgetPolicy> {
    const updates = POLICY_COLUMNS.split(', ')
      .map((column) => `${column} = EXCLUDED.${column}`)
      .join(', ');
    const row = await db.row<PolicyRow>(
      `INSERT INTO budget_settings (id, ${POLICY_COLUMNS}) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET ${updates}, updated_at = CURRENT_TIMESTAMP
       RETURNING ${POLICY_COLUMNS}`,
      policyParams(policy),
    );
    return toPolicy(row!);
  }

  /** Whether the user pays with a key of their own; undefined when there is no such user. */
  async ownsKey(userId: string, db: SqlExecutor = this.sql): Promise<boolean | undefined> {
    const row = await db.row<{ own: boolean }>('SELECT api_key_ciphertext IS NOT NULL AND api_key_key_id IS NOT NULL AS own FROM users WHERE id = $1', [userId]);
    return row?.own;
  }

  /** The user's e-mail (for the audit log); undefined when there is no such user. */
  async emailOf(userId: string, db: SqlExecutor = this.sql): Promise<string | undefined> {
    return (await db.row<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId]))?.email;
  }

  /** The user's own limits, or null when the installation's apply. */
  async override(userId: string, db: SqlExecutor = this.sql): Promise<BudgetLimits | null> {
    const row = await db.row<LimitsRow>('SELECT tokens, usd FROM user_budgets WHERE user_id = $1', [userId]);
    return row ? limitsFromRow(row) : null;
  }

  async setOverride(userId: string, limits: BudgetLimits, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute(
      `INSERT INTO user_budgets (user_id, tokens, usd) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET tokens = EXCLUDED.tokens, usd = EXCLUDED.usd, updated_at = CURRENT_TIMESTAMP`,
      [userId, limits.tokens, limits.usd],
    );
  }

  async deleteOverride(userId: string, db: SqlExecutor = this.sql): Promise<boolean> {
    return (await db.execute('DELETE FROM user_budgets WHERE user_id = $1', [userId])) > 0;
  }

  /** What the user spent in [start, end). */
  async spent(userId: string, start: Date, end: Date, db: SqlExecutor = this.sql): Promise<Amounts> {
    const row = await db.row<AmountsRow>(`WITH ${SPENT_AND_HELD} SELECT tokens, usd FROM spent`, [userId, start, end]);
    return amounts(row!.tokens, row!.usd);
  }

  /**
   * Holds `estimate` for a turn when the user's spending in [start, end),
   * with what running turns hold, leaves room for it under each limit
   * (null: none). One lock per user orders reservations, so that turns
   * started together cannot all pass on the same sums. An estimate larger
   * than a limit holds the limit: a first turn may still start. In a
   * transaction (`db`), which holds the lock until it ends.
   */
  async reserve(
    userId: string,
    period: { start: Date; end: Date },
    estimate: Amounts,
    limits: BudgetLimits,
    minutes: number,
    db: Transaction,
  ): Promise<Reservation> {
    await db.takeTurns(`budget:${userId}`);
    await db.execute('DELETE FROM budget_reservations WHERE user_id = $1 AND reserved_until <= now()', [userId]);
    // Spending older than any period (a month, in any zone) is of no use to a budget any more.
    await db.execute(`DELETE FROM budget_spend WHERE user_id = $1 AND bucket < now() - interval '${SPEND_KEPT_DAYS} days'`, [userId]);
    const row = await db.row<ReserveRow>(
      `WITH ${SPENT_AND_HELD},
       wanted AS (SELECT LEAST($4::bigint, COALESCE($6::bigint, $4::bigint)) AS tokens, LEAST($5::numeric, COALESCE($7::numeric, $5::numeric)) AS usd),
       admitted AS (
         INSERT INTO budget_reservations (user_id, tokens, usd, reserved_until)
         SELECT $1, wanted.tokens, wanted.usd, now() + make_interval(mins => $8::int) FROM spent, held, wanted
         WHERE ($6::bigint IS NULL OR (spent.tokens + held.tokens < $6 AND spent.tokens + held.tokens + wanted.tokens <= $6))
           AND ($7::numeric IS NULL OR (spent.usd + held.usd < $7 AND spent.usd + held.usd + wanted.usd <= $7))
         RETURNING id)
       SELECT (SELECT id FROM admitted) AS id, spent.tokens, spent.usd, held.tokens AS held_tokens, held.usd AS held_usd FROM spent, held`,
      [userId, period.start, period.end, estimate.tokens, estimate.usd, limits.tokens, limits.usd, minutes],
    );
    return { id: row!.id, spent: amounts(row!.tokens, row!.usd), held: amounts(row!.held_tokens, row!.held_usd) };
  }

  /** Ends a reservation (the turn settled, or never started). */
  async release(userId: string, reservationId: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('DELETE FROM budget_reservations WHERE id = $1 AND user_id = $2', [reservationId, userId]);
  }

  /** Adds spending to the user's current quarter hour. */
  async addSpend(userId: string, spend: Amounts, db: SqlExecutor = this.sql): Promise<void> {
    if (spend.tokens === 0 && spend.usd === 0) return;
    await db.execute(
      `INSERT INTO budget_spend (user_id, bucket, tokens, usd) SELECT u.id, ${BUCKET}, $2, $3 FROM users u WHERE u.id = $1
       ON CONFLICT (user_id, bucket) DO UPDATE SET tokens = budget_spend.tokens + EXCLUDED.tokens, usd = budget_spend.usd + EXCLUDED.usd`,
      [userId, spend.tokens, spend.usd],
    );
  }
}
