import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { UsageGrouping } from './usage.dto.js';

/** Sums over a user's calls, as PostgreSQL returns them (bigint and numeric sums come as text). */
export interface UsageRow {
  key: string | null;
  label: string;
  input_tokens: string;
  output_tokens: string;
  cost: string;
  /** Replies among the calls. */
  turns: string;
  calls: string;
}

/** How each grouping keys and labels a call. */
const GROUPINGS: Record<UsageGrouping, { key: string; label: string; join: string; order: string }> = {
  day: { key: "to_char(date_trunc('day', s.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')", label: 'key', join: '', order: 'key' },
  assistant: {
    key: 's.assistant_id::text',
    label: "COALESCE(max(a.name), CASE WHEN s.assistant_id::text IS NULL THEN 'No assistant' ELSE 'Deleted assistant' END)",
    join: 'LEFT JOIN assistants a ON a.id = s.assistant_id AND a.user_id = $1',
    order: 'cost DESC, key',
  },
  thread: {
    key: 's.thread_id::text',
    label: "COALESCE(max(t.title), 'Untitled conversation')",
    join: 'LEFT JOIN threads t ON t.id = s.thread_id AND t.user_id = $1',
    order: 'cost DESC, key',
  },
  model: { key: 's.model', label: "COALESCE(s.model, 'unknown')", join: '', order: 'cost DESC, key' },
};

/**
 * Every call made for the user in [$2, $3) (for the users of $1 with
 * `= ANY($1::uuid[])`): replies (usage kept on the reply message) and the
 * titles and summaries made for their threads.
 */
const spendOf = (users: string) => `
  SELECT m.user_id, m.created_at, m.assistant_id, m.thread_id, m.model, m.input_tokens, m.output_tokens, m.cost, 'reply'::varchar AS purpose
  FROM messages m
  WHERE m.user_id ${users} AND m.role = 'assistant' AND m.created_at >= $2 AND m.created_at < $3 AND m.input_tokens IS NOT NULL
  UNION ALL
  SELECT c.user_id, c.created_at, c.assistant_id, c.thread_id, c.model, c.input_tokens, c.output_tokens, c.cost, c.purpose
  FROM model_calls c
  WHERE c.user_id ${users} AND c.created_at >= $2 AND c.created_at < $3`;

const SPEND = spendOf('= $1');

const SUMS = `COALESCE(sum(s.input_tokens), 0) AS input_tokens, COALESCE(sum(s.output_tokens), 0) AS output_tokens,
              COALESCE(sum(s.cost), 0) AS cost, count(*) FILTER (WHERE s.purpose = 'reply') AS turns, count(*) AS calls`;

/** Tokens and cost of the calls made with a user's key in [from, to). */
@Injectable()
export class UsageRepository {
  constructor(private readonly sql: Sql) {}

  groups(userId: string, groupBy: UsageGrouping, from: Date, to: Date, db: SqlExecutor = this.sql): Promise<UsageRow[]> {
    const grouping = GROUPINGS[groupBy];
    return db.rows<UsageRow>(
      `SELECT * FROM (
         SELECT ${grouping.key} AS key, ${grouping.label === 'key' ? grouping.key : grouping.label} AS label, ${SUMS}
         FROM (${SPEND}) s ${grouping.join} GROUP BY 1) grouped
       ORDER BY ${grouping.order}`,
      [userId, from, to],
    );
  }

  async totals(userId: string, from: Date, to: Date, db: SqlExecutor = this.sql): Promise<UsageRow> {
    const row = await db.row<UsageRow>(`SELECT NULL AS key, '' AS label, ${SUMS} FROM (${SPEND}) s`, [userId, from, to]);
    return row!;
  }

  /** The totals of each of `userIds` that made calls in [from, to) (key: the user id). */
  totalsByUser(userIds: string[], from: Date, to: Date, db: SqlExecutor = this.sql): Promise<UsageRow[]> {
    return db.rows<UsageRow>(`SELECT s.user_id::text AS key, '' AS label, ${SUMS} FROM (${spendOf('= ANY($1::uuid[])')}) s GROUP BY s.user_id`, [
      userIds,
      from,
      to,
    ]);
  }

  /** The sums per purpose (reply, title, summary); a purpose without calls has no row. */
  purposes(userId: string, from: Date, to: Date, db: SqlExecutor = this.sql): Promise<UsageRow[]> {
    return db.rows<UsageRow>(`SELECT s.purpose AS key, s.purpose AS label, ${SUMS} FROM (${SPEND}) s GROUP BY s.purpose`, [userId, from, to]);
  }
}
