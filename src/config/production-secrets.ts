import type { AppConfig } from './app-config.js';
import { ConfigError } from './env-reader.js';

/**
 * Words of the examples people copy; a key that has one is refused. The word
 * starts the secret or follows a separator ("replace-me", "sk-xxxx-xxxx"): a
 * random key that merely holds the letters is not a placeholder.
 */
export const PLACEHOLDER_PATTERN = /(?:^|[^a-z0-9])(?:change|replace|example|placeholder|dummy)|(?:^|[^a-z0-9])x{4,}(?:$|[^a-z0-9])/i;
/**
 * The least estimated entropy a production secret may have. Generated secrets
 * are far above it (32 random bytes in base64url: about 180 bits estimated;
 * 16 random bytes in hex, the shortest accepted: over 80), patterned ones far
 * below (`aaaa…`: 0, `0123456789abcdef` twice: 10, a word repeated: under 30).
 */
export const MIN_SECRET_BITS = 64;

/** Shannon entropy, in bits per symbol, of how often each value occurs. */
function bitsPerSymbol(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / values.length) * Math.log2(count / values.length);
  return bits;
}

/**
 * A rough estimate, in bits, of the entropy of a secret, made to tell a
 * generated secret from a typed or patterned one: the entropy of its symbols
 * or, when lower, of the steps between neighbours (low for runs such as
 * `abcdef` or `012345`), times the length that does not repeat (distinct
 * windows of three symbols: few for a repeated block). It cannot see words,
 * so it does not judge passwords.
 */
export function estimatedEntropyBits(symbols: readonly number[]): number {
  if (symbols.length < 2) return 0;
  const steps = symbols.slice(1).map((symbol, index) => symbol - symbols[index]);
  const windows = new Set<string>();
  for (let index = 0; index + 3 <= symbols.length; index++) windows.add(`${symbols[index]},${symbols[index + 1]},${symbols[index + 2]}`);
  const unrepeatedLength = Math.min(symbols.length, windows.size + 2);
  return Math.min(bitsPerSymbol(symbols), bitsPerSymbol(steps)) * unrepeatedLength;
}

const codePoints = (text: string): number[] => Array.from(text, (character) => character.codePointAt(0) ?? 0);

/** Production refuses secrets that are placeholders, short, or patterned: each is guessable. */
export function requireStrongSecrets(config: AppConfig, rawEncryptionKeys: string[]): void {
  for (const secret of config.session.secrets) {
    if (secret.length < 32 || PLACEHOLDER_PATTERN.test(secret)) {
      throw new ConfigError(
        'SESSION_SECRETS holds a placeholder or a secret shorter than 32 characters; production needs real secrets',
      );
    }
    if (estimatedEntropyBits(codePoints(secret)) < MIN_SECRET_BITS) {
      throw new ConfigError(
        'SESSION_SECRETS holds a secret that is not random (a run, a repeat or too few different characters); production needs random secrets such as `openssl rand -base64 32`',
      );
    }
  }
  for (const entry of rawEncryptionKeys) {
    if (PLACEHOLDER_PATTERN.test(entry)) {
      throw new ConfigError('ENCRYPTION_KEYS holds a placeholder; production needs real keys');
    }
  }
  for (const { id, key } of config.security.encryptionKeys) {
    if (estimatedEntropyBits([...key]) < MIN_SECRET_BITS) {
      throw new ConfigError(`ENCRYPTION_KEYS key "${id}" is not random; production needs real keys`);
    }
  }
}
