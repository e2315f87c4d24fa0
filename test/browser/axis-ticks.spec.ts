// Unit tests for the usage chart's axis values (pure logic, no browser).
import { axisTicks } from '../../web/src/screens/usage/axis-ticks.js';

describe('the usage chart axis', () => {
  it('counts small token figures in whole, distinct steps (never "1, 1, 0")', () => {
    expect(axisTicks(1, true)).toEqual([0, 1]);
    expect(axisTicks(3, true)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(9, true)).toEqual([0, 5, 10]);
  });

  it('rounds large figures to steps of 1, 2 or 5 times a power of ten, covering the largest bar', () => {
    expect(axisTicks(1234, true)).toEqual([0, 500, 1000, 1500]);
    expect(axisTicks(80_000, true)).toEqual([0, 20_000, 40_000, 60_000, 80_000]);
  });

  it('keeps fractions for costs', () => {
    expect(axisTicks(0.000045, false)).toEqual([0, 0.00002, 0.00004, 0.00006]);
    expect(axisTicks(0.3, false)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('has a single zero when nothing was used', () => {
    expect(axisTicks(0, true)).toEqual([0]);
  });
});
