import type { JsonShapeLimits } from '../common/http/json-shape.js';
import type { RefusalGateLimits } from '../common/http/refusal-gate.js';
import type { UnreadAnswerLimits } from '../common/http/unread-answers.js';
import { ConfigError, type EnvReader } from './env-reader.js';

export interface HttpConfig {
  jsonBodyLimitBytes: number;
  /** Body limit of the sign-up, sign-in, password change and account deletion routes. */
  authBodyLimitBytes: number;
  /** JSON bodies of a larger shape are refused before they are parsed. */
  jsonShape: JsonShapeLimits;
  /** Clients that keep sending refused bodies have their further bodies refused unread. */
  refusals: RefusalGateLimits;
  /** Complete answers a client leaves unread are closed past these. */
  unreadAnswers: UnreadAnswerLimits;
  trustProxyHops: number;
  allowedOrigins: string[];
}

export function readHttpConfig(env: EnvReader): HttpConfig {
  return {
    jsonBodyLimitBytes: env.byteSize('JSON_BODY_LIMIT', 1024 * 1024),
    // Two passwords of 1,024 characters each, even written as \u escapes (12 bytes for an emoji), fit.
    authBodyLimitBytes: env.byteSize('AUTH_BODY_LIMIT', 32 * 1024),
    // The largest legitimate bodies: 16 metadata pairs, 500 file ids, about 1,050 values (an assistant update).
    jsonShape: {
      maxDepth: env.integer('JSON_MAX_DEPTH', { default: 32, min: 1, max: 1_000 }),
      maxKeys: env.integer('JSON_MAX_KEYS', { default: 128, min: 1, max: 1_000_000 }),
      maxArrayLength: env.integer('JSON_MAX_ARRAY_LENGTH', { default: 1_000, min: 1, max: 10_000_000 }),
      maxNodes: env.integer('JSON_MAX_NODES', { default: 5_000, min: 1, max: 10_000_000 }),
    },
    refusals: {
      perClient: env.integer('REFUSALS_PER_CLIENT', { default: 30, min: 0, max: 1_000_000 }),
      perAddress: env.integer('REFUSALS_PER_ADDRESS', { default: 150, min: 1, max: 1_000_000 }),
      windowSeconds: env.integer('REFUSAL_WINDOW_SECONDS', { default: 60, min: 1, max: 3_600 }),
      maxTracked: 10_000,
    },
    unreadAnswers: {
      stallMs: env.integer('ANSWER_STALL_MS', { default: 60_000, min: 100, max: 3_600_000 }),
      bytesPerClient: env.byteSize('ANSWER_UNREAD_BYTES_PER_CLIENT', 64 * 1024 ** 2),
    },
    trustProxyHops: env.integer('TRUST_PROXY', { default: 0, min: 0, max: 10 }),
    allowedOrigins: env.list('ALLOWED_ORIGINS').map((origin) => {
      try {
        return new URL(origin).origin;
      } catch {
        throw new ConfigError(`ALLOWED_ORIGINS entry "${origin}" is not an origin like https://app.example.org`);
      }
    }),
  };
}
