import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { UsageGrouping } from './usage.dto.js';

/** Sums over a user's replies, as PostgreSQL returns them (bigint and numeric sums come as text). */
export interface UsageRow {
  key: string | null;
  label: string;
  input_tokens: string;
  output_tokens: string;
  cost: string;
  turns: string;
}

/** How each grouping keys and labels a reply. */
const GROUPINGS: Record<UsageGrouping, { key: string; label: string; join: string; order: string }> = {
  day: { key: "to_char(date_trunc('day', m.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')", label: 'key', join: '', order: 'key' },
  assistant: {
    key: 'm.assistant_id::text',
    label: "COALESCE(max(a.name), 'Deleted assistant')",
    join: 'LEFT JOIN assistants a ON a.id = m.assistant_id AND a.user_id = m.user_id',
    order: 'cost DESC, key',
  },
  thread: {
    key: 'm.thread_id::text',
    label: "COALESCE(max(t.title), 'Untitled conversation')",
    join: 'LEFT JOIN threads t ON t.id = m.thread_id AND t.user_id = m.user_id',
    order: 'cost DESC, key',
  },
  model: { key: 'm.model', label: "COALESCE(m.model, 'unknown')", join: '', order: 'cost DESC, key' },
};

const WHERE = "m.user_id = $1 AND m.role = 'assistant' AND m.created_at >= $2 AND m.created_at < $3 AND m.input_tokens IS NOT NULL";
const SUMS = `COALESCE(sum(m.input_tokens), 0) AS input_tokens, COALESCE(sum(m.output_tokens), 0) AS output_tokens,
              COALESCE(sum(m.cost), 0) AS cost, count(*) AS turns`;

/** Tokens and cost of a user's replies (assistant messages with usage) in [from, to). */
@Injectable()
export class UsageRepository {
  constructor(private readonly sql: Sql) {}

  groups(userId: string, groupBy: UsageGrouping, from: Date, to: Date, db: SqlExecutor = this.sql): Promise<UsageRow[]> {
    const grouping = GROUPINGS[groupBy];
    return db.rows<UsageRow>(
      `SELECT * FROM (
         SELECT ${grouping.key} AS key, ${grouping.label === 'key' ? grouping.key : grouping.label} AS label, ${SUMS}
         FROM messages m ${grouping.join} WHERE ${WHERE} GROUP BY 1) grouped
       ORDER BY ${grouping.order}`,
      [userId, from, to],
    );
  }

  async totals(userId: string, from: Date, to: Date, db: SqlExecutor = this.sql): Promise<UsageRow> {
    const row = await db.row<UsageRow>(`SELECT NULL AS key, '' AS label, ${SUMS} FROM messages m WHERE ${WHERE}`, [userId, from, to]);
    return row!;
  }
}
