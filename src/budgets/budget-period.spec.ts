import { periodAt } from './budget-period.js';

const at = (iso: string) => new Date(iso);
const bounds = (iso: string, period: 'day' | 'month', zone: string) => {
  const { start, end } = periodAt(at(iso), period, zone);
  return [start.toISOString(), end.toISOString()];
};

describe('budget periods', () => {
  it('are UTC days and months in UTC', () => {
    expect(bounds('2026-03-15T23:59:59.999Z', 'day', 'UTC')).toEqual(['2026-03-15T00:00:00.000Z', '2026-03-16T00:00:00.000Z']);
    expect(bounds('2026-03-15T12:00:00Z', 'month', 'UTC')).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(bounds('2026-12-31T23:00:00Z', 'month', 'UTC')).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('begin at midnight in Auckland, which is another UTC day (UTC+13 in summer, +12 in winter)', () => {
    // 11:00 UTC on 15 January is 00:00 on 16 January in Auckland.
    expect(bounds('2026-01-15T11:00:00Z', 'day', 'Pacific/Auckland')).toEqual(['2026-01-15T11:00:00.000Z', '2026-01-16T11:00:00.000Z']);
    // One millisecond earlier is still the 15th there.
    expect(bounds('2026-01-15T10:59:59.999Z', 'day', 'Pacific/Auckland')).toEqual(['2026-01-14T11:00:00.000Z', '2026-01-15T11:00:00.000Z']);
    // 31 January 12:00 UTC is already 1 February in Auckland: February's month.
    expect(bounds('2026-01-31T12:00:00Z', 'month', 'Pacific/Auckland')).toEqual(['2026-01-31T11:00:00.000Z', '2026-02-28T11:00:00.000Z']);
    expect(bounds('2026-07-10T00:00:00Z', 'day', 'Pacific/Auckland')).toEqual(['2026-07-09T12:00:00.000Z', '2026-07-10T12:00:00.000Z']);
  });

  it('follow changes of offset: a month across the end of daylight time, a day of 23 hours', () => {
    // Auckland leaves daylight time on 5 April 2026 (+13 to +12).
    expect(bounds('2026-04-10T00:00:00Z', 'month', 'Pacific/Auckland')).toEqual(['2026-03-31T11:00:00.000Z', '2026-04-30T12:00:00.000Z']);
    // New York springs forward on 8 March 2026: that day has 23 hours.
    expect(bounds('2026-03-08T12:00:00Z', 'day', 'America/New_York')).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });

  it('begin at the first instant of a day whose midnight is skipped, and in zones a quarter hour off', () => {
    // Santiago springs forward at midnight (6 September 2026): 00:00 does not exist, the day begins at 01:00 (-03:00).
    expect(bounds('2026-09-06T12:00:00Z', 'day', 'America/Santiago')).toEqual(['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
    expect(bounds('2026-05-01T00:00:00Z', 'day', 'Asia/Kathmandu')).toEqual(['2026-04-30T18:15:00.000Z', '2026-05-01T18:15:00.000Z']);
  });
});
