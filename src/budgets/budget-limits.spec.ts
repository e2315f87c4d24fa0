import type { BudgetPolicy } from '../config/budgets.js';
import { budgetStatus, effectiveLimits, limitPassed, usedPercent } from './budget-limits.js';

const POLICY: BudgetPolicy = {
  period: 'month',
  timeZone: 'UTC',
  softPercent: 80,
  default: { tokens: 10_000, usd: null },
  sharedKey: { tokens: 2_000, usd: 1, models: [], tools: [], maxOutputTokens: null },
};

describe('budget limits', () => {
  it("hold the installation's limits for own keys, the lower of both for the shared key, and an override whoever pays", () => {
    expect(effectiveLimits(POLICY, null, 'own')).toEqual({ tokens: 10_000, usd: null });
    expect(effectiveLimits(POLICY, null, 'shared')).toEqual({ tokens: 2_000, usd: 1 });
    expect(effectiveLimits({ ...POLICY, default: { tokens: 500, usd: null } }, null, 'shared')).toEqual({ tokens: 500, usd: 1 });
    expect(effectiveLimits(POLICY, { tokens: null, usd: 3 }, 'shared')).toEqual({ tokens: null, usd: 3 });
  });

  it('name the limit a turn would pass: spent already at the limit, or the estimate over it', () => {
    const limits = { tokens: 1_000, usd: 2 };
    expect(limitPassed(limits, { tokens: 850, usd: 0 }, { tokens: 150, usd: 0.1 })).toBeNull();
    expect(limitPassed(limits, { tokens: 851, usd: 0 }, { tokens: 150, usd: 0.1 })).toEqual({ unit: 'tokens', value: 1_000 });
    expect(limitPassed(limits, { tokens: 0, usd: 2 }, { tokens: 0, usd: 0 })).toEqual({ unit: 'usd', value: 2 });
    // An estimate larger than the limit counts as the limit: a first turn may start.
    expect(limitPassed({ tokens: 100, usd: null }, { tokens: 0, usd: 0 }, { tokens: 2_000, usd: 0 })).toBeNull();
    expect(limitPassed({ tokens: null, usd: null }, { tokens: 1e12, usd: 1e9 }, { tokens: 1, usd: 1 })).toBeNull();
  });

  it('report the highest share used, and warn from the soft percent on', () => {
    expect(usedPercent({ tokens: 1_000, usd: 4 }, { tokens: 500, usd: 3.5 })).toBe(87.5);
    expect(usedPercent({ tokens: null, usd: null }, { tokens: 500, usd: 3.5 })).toBeNull();
    const resetsAt = new Date('2026-02-01T00:00:00Z');
    expect(budgetStatus(POLICY, { tokens: 1_000, usd: null }, { tokens: 799, usd: 0.0000004 }, 'own', resetsAt)).toEqual({
      period: 'month',
      resetsAt: '2026-02-01T00:00:00.000Z',
      paidBy: 'own',
      tokens: { limit: 1_000, used: 799, remaining: 201 },
      usd: { limit: null, used: 0, remaining: null },
      softPercent: 80,
      warning: false,
    });
    expect(budgetStatus(POLICY, { tokens: 1_000, usd: null }, { tokens: 1_200, usd: 0 }, 'shared', resetsAt)).toMatchObject({
      tokens: { limit: 1_000, used: 1_200, remaining: 0 },
      warning: true,
    });
  });
});
