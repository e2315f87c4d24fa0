import type { EnvReader } from './env-reader.js';

/**
 * The text search configurations PostgreSQL ships (pg_ts_config of a plain
 * installation): `simple` lower-cases words without stemming (any language,
 * exact words); the others stem and drop the stop words of their language.
 */
export const SEARCH_LANGUAGES = [
  'simple',
  'arabic',
  'armenian',
  'basque',
  'catalan',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hindi',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'serbian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
  'yiddish',
] as const;

export type SearchLanguage = (typeof SEARCH_LANGUAGES)[number];

export interface SearchConfig {
  /** The text search configuration of the message and title indexes and of the queries (changing it rebuilds the indexes at the next start). */
  language: SearchLanguage;
  /** Characters a search query may have. */
  maxQueryChars: number;
  /**
   * Matches a search ranks at most, of messages and of titles each: the
   * newest ones. Bounds the work of one search whatever the user stores
   * (a word in every message of 100,000 reads 200 of them, not all).
   */
  maxCandidates: number;
}

export function readSearchConfig(env: EnvReader): SearchConfig {
  return {
    language: env.oneOf<SearchLanguage>('SEARCH_LANGUAGE', SEARCH_LANGUAGES, 'simple'),
    maxQueryChars: env.integer('SEARCH_MAX_QUERY_CHARS', { default: 200, min: 1, max: 1_000 }),
    maxCandidates: env.integer('SEARCH_MAX_CANDIDATES', { default: 200, min: 10, max: 50_000 }),
  };
}
