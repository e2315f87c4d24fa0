import { ConfigError, type EnvReader } from './env-reader.js';

export type BudgetPeriod = 'day' | 'month';
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'month'];

/** At most this many models and tools in the shared key's lists (environment and run time alike). */
export const MAX_POLICY_ENTRIES = 200;
/** The longest model name a list may hold. */
export const MAX_MODEL_NAME = 100;
/** The largest token limit, and the largest limit in US dollars, that can be set. */
export const MAX_BUDGET_TOKENS = 1_000_000_000_000;
export const MAX_BUDGET_USD = 1_000_000_000;

/** A limit per period: null where there is none. */
export interface BudgetLimits {
  tokens: number | null;
  usd: number | null;
}

/** What the shared key (OPENAI_API_KEY) may be used for, by users without a key of their own. */
export interface SharedKeyPolicy extends BudgetLimits {
  /** Models allowed (empty: any). */
  models: string[];
  /** Tool types allowed, such as file_search (empty: any). */
  tools: string[];
  /** The most output tokens one reply may ask for (null: no cap); a request above it is lowered to it. */
  maxOutputTokens: number | null;
}

/** The installation's budget policy, as administrators see and set it. */
export interface BudgetPolicy {
  period: BudgetPeriod;
  /** IANA time zone in which days and months begin. */
  timeZone: string;
  /** The share of a limit (1-100) past which a turn carries a warning. */
  softPercent: number;
  default: BudgetLimits;
  sharedKey: SharedKeyPolicy;
}

/** Spending budgets: the first policy (from the environment) and how turns reserve against it. */
export interface BudgetsConfig {
  initialPolicy: BudgetPolicy;
  /** Tokens held for a turn from its start until its real usage is known. */
  reserveTokens: number;
  /** Minutes after which a turn's reservation no longer counts (a turn whose process ended never settles). */
  reservationMinutes: number;
}

/** True when Intl knows the zone (names such as Europe/Paris, UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
}

const orNull = (value: number) => (value === 0 ? null : value);

function boundedList(env: EnvReader, name: string, longest: number): string[] {
  const items = [...new Set(env.list(name))];
  if (items.length > MAX_POLICY_ENTRIES) throw new ConfigError(`${name} lists at most ${MAX_POLICY_ENTRIES} entries`);
  const tooLong = items.find((item) => item.length > longest);
  if (tooLong !== undefined) throw new ConfigError(`${name} entries are at most ${longest} characters (got "${tooLong.slice(0, 40)}…")`);
  return items;
}

export function readBudgetsConfig(env: EnvReader): BudgetsConfig {
  const timeZone = env.string('BUDGET_TIME_ZONE', 'UTC');
  if (!isTimeZone(timeZone)) throw new ConfigError(`BUDGET_TIME_ZONE must be an IANA time zone such as Europe/Berlin (got "${timeZone}")`);
  const tools = boundedList(env, 'SHARED_KEY_TOOLS', 32);
  return {
    initialPolicy: {
      period: env.oneOf<BudgetPeriod>('BUDGET_PERIOD', BUDGET_PERIODS, 'month'),
      timeZone,
      softPercent: env.integer('BUDGET_SOFT_PERCENT', { default: 80, min: 1, max: 100 }),
      default: {
        tokens: orNull(env.integer('BUDGET_TOKENS', { default: 0, min: 0, max: MAX_BUDGET_TOKENS })),
        usd: orNull(env.decimal('BUDGET_USD', { default: 0, min: 0, max: MAX_BUDGET_USD })),
      },
      sharedKey: {
        tokens: orNull(env.integer('SHARED_KEY_BUDGET_TOKENS', { default: 0, min: 0, max: MAX_BUDGET_TOKENS })),
        usd: orNull(env.decimal('SHARED_KEY_BUDGET_USD', { default: 0, min: 0, max: MAX_BUDGET_USD })),
        models: boundedList(env, 'SHARED_KEY_MODELS', MAX_MODEL_NAME),
        tools,
        maxOutputTokens: orNull(env.integer('SHARED_KEY_MAX_OUTPUT_TOKENS', { default: 0, min: 0, max: 1_000_000 })),
      },
    },
    reserveTokens: env.integer('BUDGET_RESERVE_TOKENS', { default: 2_000, min: 0, max: 10_000_000 }),
    reservationMinutes: env.integer('BUDGET_RESERVATION_MINUTES', { default: 30, min: 1, max: 1_440 }),
  };
}
