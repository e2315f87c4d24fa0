import type { EnvReader } from './env-reader.js';

export interface ApiTokensConfig {
  /** Personal API tokens a user may hold at once (expired ones count until deleted). */
  maxPerUser: number;
}

export function readApiTokensConfig(env: EnvReader): ApiTokensConfig {
  return {
    maxPerUser: env.integer('API_TOKENS_MAX_PER_USER', { default: 20, min: 1, max: 1_000 }),
  };
}
