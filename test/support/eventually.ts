import { setTimeout as delay } from 'node:timers/promises';

export interface EventuallyOptions {
  /** How long to keep trying (10 s unless told). */
  timeoutMs?: number;
  /** The pause between two tries (25 ms unless told). */
  intervalMs?: number;
  /** The state to show when the time is up. */
  describe?: () => unknown;
}

/**
 * Polls `probe` until it returns something other than undefined, instead of
 * sleeping for a guessed time. On the deadline it fails with `describe()`, so a
 * timeout shows the last state seen.
 */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, options: EventuallyOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const state = options.describe ? ` (last state: ${JSON.stringify(await options.describe())})` : '';
      throw new Error(`condition not met in time${state}`);
    }
    await delay(options.intervalMs ?? 25);
  }
}
