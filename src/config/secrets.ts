import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type EnvReader } from './env-reader.js';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The secrets as given (or generated outside production), before they are checked. */
export interface RawSecrets {
  sessionSecrets: string[];
  encryptionKeys: string[];
}

interface DevSecrets {
  sessionSecret: string;
  encryptionKey: string;
}

/** Reads development secrets from the data folder, creating them on first use. */
function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    if (stored.sessionSecret && stored.encryptionKey) return stored as DevSecrets;
  }
  const secrets: DevSecrets = {
    sessionSecret: randomBytes(32).toString('base64url'),
    encryptionKey: `dev1:${randomBytes(32).toString('base64')}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** SESSION_SECRETS and ENCRYPTION_KEYS: required in production, generated into DATA_DIR otherwise. */
export function readSecrets(env: EnvReader, isProduction: boolean, dataDir: string): RawSecrets {
  let sessionSecrets = env.list('SESSION_SECRETS');
  let encryptionKeys = env.list('ENCRYPTION_KEYS');
  if (isProduction) {
    if (sessionSecrets.length === 0) throw new ConfigError('SESSION_SECRETS is required in production');
    if (encryptionKeys.length === 0) throw new ConfigError('ENCRYPTION_KEYS is required in production');
  } else if (sessionSecrets.length === 0 || encryptionKeys.length === 0) {
    const generated = loadOrCreateDevSecrets(dataDir);
    if (sessionSecrets.length === 0) sessionSecrets = [generated.sessionSecret];
    if (encryptionKeys.length === 0) encryptionKeys = [generated.encryptionKey];
  }
  return { sessionSecrets, encryptionKeys };
}

export function parseEncryptionKeys(name: string, entries: string[]): EncryptionKey[] {
  const seen = new Set<string>();
  return entries.map((entry) => {
    const separator = entry.indexOf(':');
    if (separator <= 0) {
      throw new ConfigError(`${name} entries must look like id:base64-32-bytes`);
    }
    const id = entry.slice(0, separator);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new ConfigError(`${name} key ids must be 1-32 letters, digits, _ or -`);
    }
    if (seen.has(id)) throw new ConfigError(`${name} has the key id "${id}" twice`);
    seen.add(id);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) {
      throw new ConfigError(`${name} key "${id}" must decode to 32 bytes (got ${key.length})`);
    }
    return { id, key };
  });
}
