import type { AppConfig } from '../app-config.js';
import { loadConfig } from '../config.js';

/** The environment every unit spec starts from: test mode with fixed, valid secrets. */
export const UNIT_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'test',
  SESSION_SECRETS: 'unit-test-session-secret-0123456789abcdefghij',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
};

/** The configuration of a unit spec, with `env` over the defaults. */
export function unitConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...UNIT_ENV, ...env });
}
