import { ConfigError, type EnvReader } from './env-reader.js';

export interface ModelPrice {
  /** US dollars per million input tokens. */
  input: number;
  /** US dollars per million output tokens. */
  output: number;
}

export interface OpenAiConfig {
  baseUrl: string;
  /** Shared fallback key for users without their own; off unless set. */
  fallbackApiKey: string | undefined;
  requestTimeoutMs: number;
  firstTokenTimeoutMs: number;
  maxRetries: number;
  maxRetryWaitMs: number;
  defaultModel: string;
  titleModel: string;
  summaryModel: string;
  /** Chats without an assistant: whether they are allowed, and the model that answers them. */
  plainChat: { enabled: boolean; model: string };
  pricing: Record<string, ModelPrice>;
  /** How long a user's list of models (GET /v1/models) is reused to check model names; 0: asked every time. */
  modelsCacheSeconds: number;
  /** At most this many model ids are kept from that list; a longer list is not used to check names. */
  modelsMaxIds: number;
}

const DEFAULT_PRICING: Record<string, ModelPrice> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
};

function parsePricing(name: string, value: string | undefined): Record<string, ModelPrice> {
  if (value === undefined) return DEFAULT_PRICING;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError(`${name} must be JSON like {"gpt-4o":{"input":2.5,"output":10}}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${name} must be a JSON object keyed by model`);
  }
  const pricing: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(parsed as Record<string, unknown>)) {
    const candidate = price as Partial<ModelPrice> | null;
    if (
      !candidate ||
      typeof candidate.input !== 'number' ||
      typeof candidate.output !== 'number' ||
      candidate.input < 0 ||
      candidate.output < 0
    ) {
      throw new ConfigError(`${name} entry "${model}" needs non-negative numbers input and output`);
    }
    pricing[model] = { input: candidate.input, output: candidate.output };
  }
  return pricing;
}

export function readOpenAiConfig(env: EnvReader): OpenAiConfig {
  return {
    baseUrl: env.url('OPENAI_BASE_URL', 'https://api.openai.com/v1') as string,
    fallbackApiKey: env.optionalString('OPENAI_API_KEY'),
    requestTimeoutMs: env.integer('OPENAI_TIMEOUT_MS', { default: 120_000, min: 100 }),
    firstTokenTimeoutMs: env.integer('OPENAI_FIRST_TOKEN_TIMEOUT_MS', { default: 60_000, min: 100 }),
    maxRetries: env.integer('OPENAI_MAX_RETRIES', { default: 2, min: 0, max: 10 }),
    maxRetryWaitMs: env.integer('OPENAI_MAX_RETRY_WAIT_MS', { default: 10_000, min: 0 }),
    defaultModel: env.string('DEFAULT_MODEL', 'gpt-4o'),
    titleModel: env.string('TITLE_MODEL', 'gpt-4o-mini'),
    summaryModel: env.string('SUMMARY_MODEL', 'gpt-4o-mini'),
    plainChat: {
      enabled: env.boolean('CHAT_WITHOUT_ASSISTANT', true),
      model: env.string('CHAT_DEFAULT_MODEL', 'gpt-4o-mini'),
    },
    pricing: parsePricing('MODEL_PRICING', env.raw('MODEL_PRICING')),
    modelsCacheSeconds: env.integer('MODELS_CACHE_SECONDS', { default: 600, min: 0, max: 86_400 }),
    modelsMaxIds: env.integer('MODELS_MAX_IDS', { default: 2_000, min: 1, max: 100_000 }),
  };
}
