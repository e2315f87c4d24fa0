import { costOf, priceFor } from './pricing.js';

const pricing = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
};

describe('pricing', () => {
  it('prices input and output per million tokens', () => {
    expect(costOf('gpt-4o', { inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 }, pricing)).toBe(2.5);
    expect(costOf('gpt-4o', { inputTokens: 1200, outputTokens: 300, totalTokens: 1500 }, pricing)).toBe(0.006);
  });

  it('matches dated model names by the longest configured prefix', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18', pricing)).toEqual(pricing['gpt-4o-mini']);
    expect(priceFor('gpt-4o-2024-08-06', pricing)).toEqual(pricing['gpt-4o']);
  });

  it('has no cost for unpriced models or missing usage', () => {
    expect(costOf('o9-ultra', { inputTokens: 10, outputTokens: 10, totalTokens: 20 }, pricing)).toBeNull();
    expect(costOf('gpt-4o', null, pricing)).toBeNull();
  });
});
