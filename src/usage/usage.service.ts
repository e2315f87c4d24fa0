import { Inject, Injectable } from '@nestjs/common';
import { validationFailed } from '../common/errors/domain-error.js';
import type { UsagePurpose } from './model-call.entity.js';
import type { PurposeFigures, UsageByPurpose, UsageFigures, UsageGroup, UsageGrouping, UsagePeriodReport } from './usage.dto.js';
import { UsageRepository, type UsageRow } from './usage.repository.js';

const DEFAULT_DAYS = 30;
const MAX_DAYS = 366 * 2;

/** The port UsageService needs of its repository. */
export type UsageStore = Pick<UsageRepository, 'groups' | 'totals' | 'purposes' | 'totalsByUser'>;

/** A `from`/`to` value as a Date: some ISO-8601 forms (week dates, `20240101`) pass validation but name no instant in JavaScript. */
function instant(field: 'from' | 'to', value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw validationFailed(field, `${field} must be a date or time such as 2026-01-31 or 2026-01-31T12:00:00Z`);
  return date;
}

function figures(row: UsageRow): UsageFigures {
  const inputTokens = Number(row.input_tokens);
  const outputTokens = Number(row.output_tokens);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cost: Number(row.cost), turns: Number(row.turns), calls: Number(row.calls) };
}

/** Every purpose, with zeros for those without calls. */
function byPurpose(rows: UsageRow[]): UsageByPurpose {
  const of = (purpose: UsagePurpose): PurposeFigures => {
    const row = rows.find((candidate) => candidate.key === purpose);
    if (!row) return { inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0, calls: 0 };
    const { inputTokens, outputTokens, totalTokens, cost, calls } = figures(row);
    return { inputTokens, outputTokens, totalTokens, cost, calls };
  };
  return { reply: of('reply'), title: of('title'), summary: of('summary') };
}

/** Tokens and cost of the calls made with the user's key over a period (replies, titles, summaries): in total, per purpose and per group. */
@Injectable()
export class UsageService {
  constructor(@Inject(UsageRepository) private readonly usage: UsageStore) {}

  async report(userId: string, query: { from?: string; to?: string; groupBy?: UsageGrouping }): Promise<UsagePeriodReport> {
    const to = query.to ? instant('to', query.to) : new Date();
    const from = query.from ? instant('from', query.from) : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
    if (from >= to) throw validationFailed('from', 'from must be before to');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw validationFailed('from', `A report covers at most ${MAX_DAYS} days`);
    const groupBy = query.groupBy ?? 'day';
    const groups = await this.usage.groups(userId, groupBy, from, to);
    const totals = await this.usage.totals(userId, from, to);
    const purposes = await this.usage.purposes(userId, from, to);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      totals: figures(totals),
      byPurpose: byPurpose(purposes),
      groups: groups.map((row): UsageGroup => ({ key: row.key, label: row.label, ...figures(row) })),
    };
  }

  /** The totals of each user over [from, to); a user without calls has zeros. */
  async totalsByUser(userIds: string[], from: Date, to: Date): Promise<Map<string, UsageFigures>> {
    const totals = new Map<string, UsageFigures>();
    if (userIds.length === 0) return totals;
    const rows = await this.usage.totalsByUser(userIds, from, to);
    for (const userId of userIds) {
      const row = rows.find((candidate) => candidate.key === userId);
      totals.set(userId, row ? figures(row) : { inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0, turns: 0, calls: 0 });
    }
    return totals;
  }
}
