import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { validationFailed } from '../common/errors/domain-error.js';
import type { UsageFigures, UsageGroup, UsageGrouping, UsageReport } from './usage.dto.js';

const DEFAULT_DAYS = 30;
const MAX_DAYS = 366 * 2;

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
    join: 'LEFT JOIN threads t ON t.id = m.thread_id',
    order: 'cost DESC, key',
  },
  model: { key: 'm.model', label: "COALESCE(m.model, 'unknown')", join: '', order: 'cost DESC, key' },
};

interface Row {
  key: string | null;
  label: string;
  input_tokens: string;
  output_tokens: string;
  cost: string;
  turns: string;
}

/** A `from`/`to` value as a Date: some ISO-8601 forms (week dates, `20240101`) pass validation but name no instant in JavaScript. */
function instant(field: 'from' | 'to', value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw validationFailed(field, `${field} must be a date or time such as 2026-01-31 or 2026-01-31T12:00:00Z`);
  return date;
}

function figures(row: Row): UsageFigures {
  const inputTokens = Number(row.input_tokens);
  const outputTokens = Number(row.output_tokens);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cost: Number(row.cost), turns: Number(row.turns) };
}

/** Tokens and cost of the user's replies over a period, in total and per group. */
@Injectable()
export class UsageService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(userId: string, query: { from?: string; to?: string; groupBy?: UsageGrouping }): Promise<UsageReport> {
    const to = query.to ? instant('to', query.to) : new Date();
    const from = query.from ? instant('from', query.from) : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
    if (from >= to) throw validationFailed('from', 'from must be before to');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw validationFailed('from', `A report covers at most ${MAX_DAYS} days`);
    const groupBy = query.groupBy ?? 'day';
    const grouping = GROUPINGS[groupBy];
    const where = "m.user_id = $1 AND m.role = 'assistant' AND m.created_at >= $2 AND m.created_at < $3 AND m.input_tokens IS NOT NULL";
    const sums = `COALESCE(sum(m.input_tokens), 0) AS input_tokens, COALESCE(sum(m.output_tokens), 0) AS output_tokens,
                  COALESCE(sum(m.cost), 0) AS cost, count(*) AS turns`;
    const parameters = [userId, from, to];
    const groups = (await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${grouping.key} AS key, ${grouping.label === 'key' ? grouping.key : grouping.label} AS label, ${sums}
         FROM messages m ${grouping.join} WHERE ${where} GROUP BY 1) grouped
       ORDER BY ${grouping.order}`,
      parameters,
    )) as Row[];
    const [totals] = (await this.dataSource.query(`SELECT NULL AS key, '' AS label, ${sums} FROM messages m WHERE ${where}`, parameters)) as Row[];
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      totals: figures(totals),
      groups: groups.map((row): UsageGroup => ({ key: row.key, label: row.label, ...figures(row) })),
    };
  }
}
