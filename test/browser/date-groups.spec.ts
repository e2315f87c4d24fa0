// Unit tests for the sidebar's date groups (pure logic, no browser), in the time zone the run sets.
import { dateGroupOf, groupByDate } from '../../web/src/screens/chat/date-groups.js';

/** A local time: year, month (1-12), day, hour, minute. */
const local = (year: number, month: number, day: number, hour = 12, minute = 0) => new Date(year, month - 1, day, hour, minute);

describe('date groups of the conversation list', () => {
  const now = local(2026, 3, 10, 9, 30);

  it('puts each moment in its local calendar day group', () => {
    expect(dateGroupOf(local(2026, 3, 10, 0, 0), now)).toBe('today');
    expect(dateGroupOf(local(2026, 3, 10, 9, 29), now)).toBe('today');
    expect(dateGroupOf(local(2026, 3, 9, 23, 59), now)).toBe('yesterday');
    expect(dateGroupOf(local(2026, 3, 9, 0, 0), now)).toBe('yesterday');
    expect(dateGroupOf(local(2026, 3, 8, 23, 59), now)).toBe('week');
    expect(dateGroupOf(local(2026, 3, 3, 0, 0), now)).toBe('week');
    expect(dateGroupOf(local(2026, 3, 2, 23, 59), now)).toBe('month');
    expect(dateGroupOf(local(2026, 2, 8, 0, 0), now)).toBe('month');
    expect(dateGroupOf(local(2026, 2, 7, 23, 59), now)).toBe('older');
    expect(dateGroupOf(local(2024, 1, 1), now)).toBe('older');
  });

  it('takes ISO strings and counts a moment in the future as today', () => {
    expect(dateGroupOf(local(2026, 3, 9, 18).toISOString(), now)).toBe('yesterday');
    expect(dateGroupOf(local(2026, 3, 11, 8).toISOString(), now)).toBe('today');
  });

  it('counts calendar days across a month and a year boundary', () => {
    const newYear = local(2026, 1, 1, 0, 5);
    expect(dateGroupOf(local(2025, 12, 31, 23, 50), newYear)).toBe('yesterday');
    expect(dateGroupOf(local(2025, 12, 25, 0, 0), newYear)).toBe('week');
    expect(dateGroupOf(local(2025, 12, 2, 0, 0), newYear)).toBe('month');
    expect(dateGroupOf(local(2025, 12, 1, 23, 0), newYear)).toBe('older');
  });

  it('keeps the order of the items within non-empty groups, newest group first', () => {
    const items = [
      { id: 'a', at: local(2026, 3, 10, 8).toISOString() },
      { id: 'b', at: local(2026, 1, 1).toISOString() },
      { id: 'c', at: local(2026, 3, 10, 7).toISOString() },
      { id: 'd', at: local(2026, 3, 5).toISOString() },
    ];
    const groups = groupByDate(items, (item) => item.at, now);
    expect(groups.map(({ group, items: grouped }) => [group, grouped.map((item) => item.id)])).toEqual([
      ['today', ['a', 'c']],
      ['week', ['d']],
      ['older', ['b']],
    ]);
    expect(groupByDate([], (item: { at: string }) => item.at, now)).toEqual([]);
  });
});
