import { backoffDelayMs } from './login-limits.js';

describe('backoffDelayMs', () => {
  it('waits nothing below the threshold, then doubles from 250 ms per failure, never past the maximum', () => {
    const delays = [0, 4, 5, 6, 7, 8, 12, 1_000_000].map((failures) => backoffDelayMs(failures, 5, 10_000));
    expect(delays).toEqual([0, 0, 250, 500, 1_000, 2_000, 10_000, 10_000]);
  });

  it('can be turned off with a maximum of 0', () => {
    expect(backoffDelayMs(50, 0, 0)).toBe(0);
  });
});
