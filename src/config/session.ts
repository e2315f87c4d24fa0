import { ConfigError, type EnvReader } from './env-reader.js';
import { parseEncryptionKeys, type EncryptionKey, type RawSecrets } from './secrets.js';

export interface SessionConfig {
  secrets: string[];
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  pruneIntervalSeconds: number;
  /** How long an instance may answer from its session cache before reading the row again; 0 turns it off. */
  cacheSeconds: number;
}

export interface SecurityConfig {
  encryptionKeys: EncryptionKey[];
  bcryptCost: number;
}

export interface RateLimitsConfig {
  loginFailuresPerWindow: number;
  loginWindowSeconds: number;
  registrationsPerWindow: number;
  registrationWindowSeconds: number;
  requestsPerMinute: number;
  chatTurnsPerMinute: number;
}

export function readSessionConfig(env: EnvReader, secrets: RawSecrets): SessionConfig {
  return {
    secrets: secrets.sessionSecrets,
    idleTimeoutSeconds: env.integer('SESSION_IDLE_TIMEOUT_SECONDS', { default: 2 * 60 * 60, min: 1 }),
    absoluteTimeoutSeconds: env.integer('SESSION_ABSOLUTE_TIMEOUT_SECONDS', { default: 7 * 24 * 60 * 60, min: 1 }),
    pruneIntervalSeconds: env.integer('SESSION_PRUNE_INTERVAL_SECONDS', { default: 15 * 60, min: 0 }),
    cacheSeconds: env.integer('SESSION_CACHE_SECONDS', { default: 5, min: 0, max: 60 }),
  };
}

/** Checks that need the whole configuration read first (so a bad value is still named before them). */
export function checkSessionTimeouts(session: SessionConfig): void {
  if (session.absoluteTimeoutSeconds < session.idleTimeoutSeconds) {
    throw new ConfigError('SESSION_ABSOLUTE_TIMEOUT_SECONDS must not be shorter than SESSION_IDLE_TIMEOUT_SECONDS');
  }
}

export function readSecurityConfig(env: EnvReader, secrets: RawSecrets): SecurityConfig {
  return {
    encryptionKeys: parseEncryptionKeys('ENCRYPTION_KEYS', secrets.encryptionKeys),
    bcryptCost: env.integer('BCRYPT_COST', { default: 12, min: 4, max: 15 }),
  };
}

export function readRateLimitsConfig(env: EnvReader): RateLimitsConfig {
  return {
    loginFailuresPerWindow: env.integer('RATE_LIMIT_LOGIN_FAILURES', { default: 10, min: 1 }),
    loginWindowSeconds: env.integer('RATE_LIMIT_LOGIN_WINDOW_SECONDS', { default: 15 * 60, min: 1 }),
    registrationsPerWindow: env.integer('RATE_LIMIT_REGISTRATIONS', { default: 10, min: 1 }),
    registrationWindowSeconds: env.integer('RATE_LIMIT_REGISTRATION_WINDOW_SECONDS', { default: 60 * 60, min: 1 }),
    requestsPerMinute: env.integer('RATE_LIMIT_REQUESTS_PER_MINUTE', { default: 600, min: 1 }),
    chatTurnsPerMinute: env.integer('RATE_LIMIT_CHAT_PER_MINUTE', { default: 20, min: 1 }),
  };
}
