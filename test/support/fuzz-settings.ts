import type fc from 'fast-check';

/**
 * How long the property tests hunt: FUZZ_RUNS runs per property (50), cut
 * short after FUZZ_TIME_LIMIT_MS (30 s) so a slow machine keeps a file
 * bounded; FUZZ_SEED replays the seed fast-check printed for a failure.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 30_000);

export const fuzzSettings = (numRuns = RUNS): fc.Parameters<unknown> => ({
  numRuns,
  ...(SEED === undefined ? {} : { seed: SEED }),
  interruptAfterTimeLimit: TIME_LIMIT_MS,
});

/** Room for a property's runs plus the shrinking of a failure. */
export const PROPERTY_TIMEOUT_MS = TIME_LIMIT_MS + 90_000;
