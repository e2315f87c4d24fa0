import type { EnvReader } from './env-reader.js';

export interface VectorStoresConfig {
  /** Vector stores (named sets of files, over /v1) a user may keep. */
  maxPerUser: number;
  /** Files one vector store may hold (an assistant using it gets them all as documents). */
  maxFilesPerStore: number;
}

export function readVectorStoresConfig(env: EnvReader): VectorStoresConfig {
  return {
    maxPerUser: env.integer('VECTOR_STORES_MAX_PER_USER', { default: 100, min: 1, max: 10_000 }),
    maxFilesPerStore: env.integer('VECTOR_STORES_MAX_FILES', { default: 500, min: 1, max: 10_000 }),
  };
}
