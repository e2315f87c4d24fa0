import { ConfigError } from './config.js';
import { unitConfig } from './testing/unit-config.js';

describe('budget settings', () => {
  it('defaults: monthly in UTC, no limits, warn at 80 %, 2000 tokens held per turn', () => {
    expect(unitConfig().budgets).toEqual({
      initialPolicy: {
        period: 'month',
        timeZone: 'UTC',
        softPercent: 80,
        default: { tokens: null, usd: null },
        sharedKey: { tokens: null, usd: null, models: [], tools: [], maxOutputTokens: null },
      },
      reserveTokens: 2_000,
      reservationMinutes: 30,
    });
  });

  it('reads limits (0: none), dollars with cents, a time zone and the shared key lists', () => {
    const { budgets } = unitConfig({
      BUDGET_PERIOD: 'day',
      BUDGET_TIME_ZONE: 'Pacific/Auckland',
      BUDGET_TOKENS: '100000',
      BUDGET_USD: '0',
      SHARED_KEY_BUDGET_USD: '2.50',
      SHARED_KEY_MODELS: 'gpt-4o-mini, gpt-4.1-nano,gpt-4o-mini',
      SHARED_KEY_TOOLS: 'file_search',
      SHARED_KEY_MAX_OUTPUT_TOKENS: '1024',
    });
    expect(budgets.initialPolicy).toEqual({
      period: 'day',
      timeZone: 'Pacific/Auckland',
      softPercent: 80,
      default: { tokens: 100_000, usd: null },
      sharedKey: { tokens: null, usd: 2.5, models: ['gpt-4o-mini', 'gpt-4.1-nano'], tools: ['file_search'], maxOutputTokens: 1024 },
    });
  });

  it('refuses what it cannot use, naming the variable', () => {
    const refusals: Array<[Record<string, string>, RegExp]> = [
      [{ BUDGET_PERIOD: 'week' }, /BUDGET_PERIOD/],
      [{ BUDGET_TIME_ZONE: 'Mars/Olympus' }, /BUDGET_TIME_ZONE/],
      [{ BUDGET_SOFT_PERCENT: '0' }, /BUDGET_SOFT_PERCENT/],
      [{ BUDGET_SOFT_PERCENT: '101' }, /BUDGET_SOFT_PERCENT/],
      [{ BUDGET_USD: '1e3' }, /BUDGET_USD/],
      [{ BUDGET_TOKENS: '-1' }, /BUDGET_TOKENS/],
      [{ SHARED_KEY_MODELS: Array.from({ length: 201 }, (_, index) => `m${index}`).join(',') }, /SHARED_KEY_MODELS lists at most 200/],
      [{ SHARED_KEY_MODELS: 'x'.repeat(101) }, /SHARED_KEY_MODELS/],
    ];
    for (const [env, message] of refusals) {
      expect(() => unitConfig(env)).toThrow(ConfigError);
      expect(() => unitConfig(env)).toThrow(message);
    }
  });
});
