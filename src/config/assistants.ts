import type { EnvReader } from './env-reader.js';

export interface AssistantsConfig {
  /**
   * Assistants a user may keep, those in the trash included. It bounds what
   * one list of them holds: each may carry up to 256,000 characters of
   * instructions.
   */
  maxPerUser: number;
}

export function readAssistantsConfig(env: EnvReader): AssistantsConfig {
  return {
    maxPerUser: env.integer('ASSISTANTS_MAX_PER_USER', { default: 100, min: 1, max: 10_000 }),
  };
}
