import type { BudgetLimits, BudgetPolicy } from '../config/budgets.js';
import type { Amounts } from './budgets.repository.js';

/** Who pays for a user's turns: their own key, or the installation's shared key. */
export type PaidBy = 'own' | 'shared';

const lower = (first: number | null, second: number | null): number | null =>
  first === null ? second : second === null ? first : Math.min(first, second);

/**
 * The limits that hold for a user: an administrator's override when there
 * is one (whoever pays); else the installation's, and, when the shared key
 * pays, the lower of those and the shared key's.
 */
export function effectiveLimits(policy: BudgetPolicy, override: BudgetLimits | null, paidBy: PaidBy): BudgetLimits {
  if (override) return { tokens: override.tokens, usd: override.usd };
  if (paidBy === 'own') return { ...policy.default };
  return { tokens: lower(policy.default.tokens, policy.sharedKey.tokens), usd: lower(policy.default.usd, policy.sharedKey.usd) };
}

/** The highest share (percent, one decimal) of a limit that `used` reaches; null when there is no limit. */
export function usedPercent(limits: BudgetLimits, used: Amounts): number | null {
  const shares: number[] = [];
  if (limits.tokens !== null) shares.push(limits.tokens === 0 ? 100 : (used.tokens / limits.tokens) * 100);
  if (limits.usd !== null) shares.push(limits.usd === 0 ? 100 : (used.usd / limits.usd) * 100);
  if (shares.length === 0) return null;
  return Math.floor(Math.max(...shares) * 10) / 10;
}

/** The limit that `used` with `wanted` more would pass, or null when it fits under both. */
export function limitPassed(limits: BudgetLimits, used: Amounts, wanted: Amounts): { unit: 'tokens' | 'usd'; value: number } | null {
  const passes = (limit: number | null, spent: number, more: number) =>
    limit !== null && (spent >= limit || spent + Math.min(more, limit) > limit);
  if (passes(limits.tokens, used.tokens, wanted.tokens)) return { unit: 'tokens', value: limits.tokens! };
  if (passes(limits.usd, used.usd, wanted.usd)) return { unit: 'usd', value: limits.usd! };
  return null;
}

/** A figure against its limit. */
export interface BudgetFigure {
  limit: number | null;
  used: number;
  remaining: number | null;
}

/** A user's budget as GET /api/usage and GET /api/settings show it. */
export interface BudgetStatus {
  period: BudgetPolicy['period'];
  resetsAt: string;
  paidBy: PaidBy;
  tokens: BudgetFigure;
  usd: BudgetFigure;
  softPercent: number;
  warning: boolean;
}

const roundUsd = (usd: number) => Math.round(usd * 1_000_000) / 1_000_000;

export function budgetStatus(policy: BudgetPolicy, limits: BudgetLimits, used: Amounts, paidBy: PaidBy, resetsAt: Date): BudgetStatus {
  const percent = usedPercent(limits, used);
  return {
    period: policy.period,
    resetsAt: resetsAt.toISOString(),
    paidBy,
    tokens: { limit: limits.tokens, used: used.tokens, remaining: limits.tokens === null ? null : Math.max(0, limits.tokens - used.tokens) },
    usd: { limit: limits.usd, used: roundUsd(used.usd), remaining: limits.usd === null ? null : roundUsd(Math.max(0, limits.usd - used.usd)) },
    softPercent: policy.softPercent,
    warning: percent !== null && percent >= policy.softPercent,
  };
}
