// Conversations grouped by how long ago they were active, in the user's own
// time zone: Today, Yesterday, Previous 7 days, Previous 30 days, Older.

export type DateGroup = 'today' | 'yesterday' | 'week' | 'month' | 'older';

export const DATE_GROUPS: readonly DateGroup[] = ['today', 'yesterday', 'week', 'month', 'older'];

/** Midnight (local time) that begins the day `days` before the day of `now`. */
function startOfDay(now: Date, days: number): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days).getTime();
}

/** The group of a moment, against `now` (local calendar days, so a DST change does not move a boundary). */
export function dateGroupOf(when: string | Date, now: Date = new Date()): DateGroup {
  const time = new Date(when).getTime();
  if (time >= startOfDay(now, 0)) return 'today';
  if (time >= startOfDay(now, 1)) return 'yesterday';
  if (time >= startOfDay(now, 7)) return 'week';
  if (time >= startOfDay(now, 30)) return 'month';
  return 'older';
}

/** The items in the order given, split into the non-empty groups, newest group first. */
export function groupByDate<T>(items: readonly T[], when: (item: T) => string, now: Date = new Date()): { group: DateGroup; items: T[] }[] {
  const buckets = new Map<DateGroup, T[]>();
  for (const item of items) {
    const group = dateGroupOf(when(item), now);
    buckets.set(group, [...(buckets.get(group) ?? []), item]);
  }
  return DATE_GROUPS.filter((group) => buckets.has(group)).map((group) => ({ group, items: buckets.get(group)! }));
}
