import type { UsageGrouping } from './usage.dto.js';
import type { UsageRow } from './usage.repository.js';
import { UsageService, type UsageStore } from './usage.service.js';

interface Query {
  userId: string;
  groupBy?: UsageGrouping;
  from: Date;
  to: Date;
}

/** Answers fixed sums, and remembers what the service asked for. */
class RecordedUsage implements UsageStore {
  readonly queries: Query[] = [];
  constructor(
    private readonly groupRows: UsageRow[],
    private readonly totalRow: UsageRow,
    private readonly purposeRows: UsageRow[] = [],
  ) {}
  async groups(userId: string, groupBy: UsageGrouping, from: Date, to: Date): Promise<UsageRow[]> {
    this.queries.push({ userId, groupBy, from, to });
    return this.groupRows;
  }
  async totals(userId: string, from: Date, to: Date): Promise<UsageRow> {
    this.queries.push({ userId, from, to });
    return this.totalRow;
  }

  async purposes(userId: string, from: Date, to: Date): Promise<UsageRow[]> {
    this.queries.push({ userId, from, to });
    return this.purposeRows;
  }

  async totalsByUser(): Promise<UsageRow[]> {
    return this.groupRows;
  }
}

const row = (key: string | null, label: string, input: number, output: number, cost: string, turns: number, calls = turns): UsageRow => ({
  key,
  label,
  input_tokens: String(input),
  output_tokens: String(output),
  cost,
  turns: String(turns),
  calls: String(calls),
});

describe('UsageService', () => {
  const totals = row(null, '', 150, 50, '0.001250', 3, 4);
  let store: RecordedUsage;
  let usage: UsageService;

  beforeEach(() => {
    store = new RecordedUsage(
      [row('2026-01-02', '2026-01-02', 100, 40, '0.001000', 2, 3), row('2026-01-03', '2026-01-03', 50, 10, '0.000250', 1)],
      totals,
      [row('reply', 'reply', 120, 45, '0.001200', 3), row('title', 'title', 30, 5, '0.000050', 0, 1)],
    );
    usage = new UsageService(store);
  });

  it("reports the user's figures per day over the given period, with numbers from PostgreSQL's text sums", async () => {
    const report = await usage.report('user-1', { from: '2026-01-01', to: '2026-01-31T00:00:00Z' });
    expect(report).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-31T00:00:00.000Z',
      groupBy: 'day',
      totals: { inputTokens: 150, outputTokens: 50, totalTokens: 200, cost: 0.00125, turns: 3, calls: 4 },
      byPurpose: {
        reply: { inputTokens: 120, outputTokens: 45, totalTokens: 165, cost: 0.0012, calls: 3 },
        title: { inputTokens: 30, outputTokens: 5, totalTokens: 35, cost: 0.00005, calls: 1 },
        summary: { inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0, calls: 0 },
      },
      groups: [
        { key: '2026-01-02', label: '2026-01-02', inputTokens: 100, outputTokens: 40, totalTokens: 140, cost: 0.001, turns: 2, calls: 3 },
        { key: '2026-01-03', label: '2026-01-03', inputTokens: 50, outputTokens: 10, totalTokens: 60, cost: 0.00025, turns: 1, calls: 1 },
      ],
    });
    expect(store.queries.every((query) => query.userId === 'user-1')).toBe(true);
  });

  it('covers the 30 days before `to` (or now) when no `from` is given', async () => {
    await usage.report('user-1', { to: '2026-03-31T00:00:00Z', groupBy: 'model' });
    expect(store.queries[0]).toEqual({
      userId: 'user-1',
      groupBy: 'model',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-31T00:00:00Z'),
    });
  });

  it('refuses a period that is empty, reversed, longer than two years, or names no instant', async () => {
    await expect(usage.report('user-1', { from: '2026-01-02', to: '2026-01-01' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(usage.report('user-1', { from: '2026-01-01', to: '2026-01-01' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(usage.report('user-1', { from: '2020-01-01', to: '2026-01-01' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'A report covers at most 732 days',
    });
    await expect(usage.report('user-1', { from: '2026-W01' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(store.queries).toEqual([]);
  });
});
