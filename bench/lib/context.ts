import type { BenchDatabase } from './database.js';
import type { Fixture } from './fixture.js';
import { Platform, type BenchSecrets, type FakeProvider } from './processes.js';

/** One printed figure. `pass` is null for figures shown for context, without a target. */
export interface Figure {
  scenario: string;
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean | null;
}

export interface ScenarioResult {
  figures: Figure[];
  details: Record<string, unknown>;
}

export interface BenchContext {
  db: BenchDatabase;
  fake: FakeProvider;
  fixture: Fixture;
  secrets: BenchSecrets;
  /** Measured rounds per figure (the figure is the median). */
  runs: number;
  cpuProfile: boolean;
  /** Extra platform environment from --env=KEY=VALUE (to try configuration changes). */
  platformEnv: Record<string, string>;
  /** CPU time (µs) of the platform processes that have ended, for the machine accounting. */
  platformCpuMicros: number;
  log(message: string): void;
}

export type Scenario = (context: BenchContext) => Promise<ScenarioResult>;

/** Starts the platform for one scenario and always stops it afterwards. */
export async function withPlatform<T>(
  context: BenchContext,
  name: string,
  env: Record<string, string>,
  body: (platform: Platform) => Promise<T>,
): Promise<T> {
  const platform = await Platform.start({
    name,
    databaseUrl: context.db.url,
    fakeBaseUrl: context.fake.baseUrl,
    secrets: context.secrets,
    env: { ...env, ...context.platformEnv },
    cpuProfile: context.cpuProfile,
  });
  try {
    return await body(platform);
  } finally {
    try {
      context.platformCpuMicros += platform.cpuMicros();
    } catch {
      // already gone
    }
    const code = await platform.stop();
    if (code !== 0) context.log(`  platform (${name}) exited with code ${code}`);
  }
}

export function figure(scenario: string, name: string, value: number, unit: string, target?: { op: '<=' | '>='; limit: number }): Figure {
  const pass = target ? (target.op === '<=' ? value <= target.limit : value >= target.limit) : null;
  return { scenario, name, value, unit, target: target ? `${target.op} ${target.limit}` : '', pass };
}

/** A yes/no check shown as a figure: 1 = holds. */
export function check(scenario: string, name: string, holds: boolean): Figure {
  return { scenario, name, value: holds ? 1 : 0, unit: 'yes=1', target: '= 1', pass: holds };
}
