import type { BudgetPeriod } from '../config/budgets.js';

/** A budget period: from `start` (inclusive) to `end` (exclusive). */
export interface PeriodBounds {
  start: Date;
  end: Date;
}

interface WallClock {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formats.size > 64) formats.clear();
    formats.set(timeZone, format);
  }
  return format;
}

/** The zone's wall-clock reading of an instant, as if it were UTC (milliseconds). */
function wallTime(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** How far the zone is ahead of UTC at an instant (milliseconds). */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallTime(whole, timeZone) - whole;
}

/**
 * The instant the zone's clocks show midnight of the given day. Where a
 * change of offset skips that midnight, the first instant of the day.
 */
function midnight(day: WallClock, timeZone: string): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day);
  let instant = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(instant, timeZone);
  if (second !== instant) instant = Math.min(instant, second);
  // A skipped midnight: both guesses fall on the day before; the day begins when the clocks jump.
  while (wallTime(instant, timeZone) < wall) instant += 15 * 60_000;
  return new Date(instant);
}

function dayOf(instant: Date, timeZone: string): WallClock {
  const wall = new Date(wallTime(instant.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The calendar day `days` after the given one (Date.UTC carries over months and years). */
function addDays(day: WallClock, days: number): WallClock {
  const next = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** The day or month that holds `instant`, its bounds the midnights of `timeZone` (an IANA name). */
export function periodAt(instant: Date, period: BudgetPeriod, timeZone: string): PeriodBounds {
  const today = dayOf(instant, timeZone);
  if (period === 'day') return { start: midnight(today, timeZone), end: midnight(addDays(today, 1), timeZone) };
  const first = { year: today.year, month: today.month, day: 1 };
  const next = today.month === 12 ? { year: today.year + 1, month: 1, day: 1 } : { year: today.year, month: today.month + 1, day: 1 };
  return { start: midnight(first, timeZone), end: midnight(next, timeZone) };
}
