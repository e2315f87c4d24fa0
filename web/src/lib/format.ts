// Numbers, money, sizes and dates the way people read them.
import { format } from '../strings';
import { common } from '../strings/common';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatTokens(tokens: number | null | undefined): string {
  const value = tokens ?? 0;
  return `${integer.format(value)} ${value === 1 ? 'token' : 'tokens'}`;
}

export function formatNumber(value: number | null | undefined): string {
  return integer.format(value ?? 0);
}

/** US dollars; small amounts keep enough digits to be more than $0.00. */
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined) return '—';
  if (cost === 0) return '$0';
  const digits = cost >= 1 ? 2 : cost >= 0.01 ? 4 : 6;
  return `$${cost.toFixed(digits)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00`);
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** "42 seconds", "3 minutes", "2 hours". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? common.waitSecond : format(common.waitSeconds, { count: seconds });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? common.waitMinute : format(common.waitMinutes, { count: minutes });
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? common.waitHour : format(common.waitHours, { count: hours });
}
