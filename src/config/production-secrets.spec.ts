import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from './config.js';
import { estimatedEntropyBits, MIN_SECRET_BITS, PLACEHOLDER_PATTERN } from './production-secrets.js';

/** A random key; drawn again in the rare case its base64 spells a placeholder word (such as xxxx), which is refused. */
function randomKey(): string {
  for (;;) {
    const key = `k1:${randomBytes(32).toString('base64')}`;
    if (!PLACEHOLDER_PATTERN.test(key)) return key;
  }
}
const production = (env: Record<string, string>) =>
  loadConfig({ NODE_ENV: 'production', SESSION_SECRETS: randomBytes(32).toString('base64url'), ENCRYPTION_KEYS: randomKey(), ...env });

function refusal(env: Record<string, string>): string | undefined {
  try {
    production(env);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

const NOT_RANDOM =
  'SESSION_SECRETS holds a secret that is not random (a run, a repeat or too few different characters); production needs random secrets such as `openssl rand -base64 32`';

describe('production secrets', () => {
  it('refuses a long secret of one repeated character, with one line naming the variable', () => {
    expect(refusal({ SESSION_SECRETS: 'a'.repeat(32) })).toBe(NOT_RANDOM);
    expect(refusal({ SESSION_SECRETS: 'a'.repeat(64) })).toBe(NOT_RANDOM);
  });

  it('refuses other patterned secrets: runs, repeated blocks, two letters, a word over and over', () => {
    for (const secret of [
      '0123456789abcdef'.repeat(2),
      'abcdefghijklmnopqrstuvwxyz012345',
      'ab'.repeat(16),
      `${'a'.repeat(31)}b`,
      'password'.repeat(4),
      'Xk3$pQ9z'.repeat(4),
      '9876543210'.repeat(4),
    ]) {
      expect({ secret, refusal: refusal({ SESSION_SECRETS: secret }) }).toEqual({ secret, refusal: NOT_RANDOM });
    }
  });

  it('checks every secret of the list (the older ones verify cookies too)', () => {
    expect(refusal({ SESSION_SECRETS: `${randomBytes(32).toString('base64url')},${'z'.repeat(40)}` })).toBe(NOT_RANDOM);
  });

  it('accepts generated secrets: random bytes in base64url, base64 or hex, and UUIDs', () => {
    const generators = [
      () => randomBytes(32).toString('base64url'),
      () => randomBytes(32).toString('base64'),
      () => randomBytes(24).toString('base64'),
      () => randomBytes(16).toString('hex'),
      () => randomBytes(32).toString('hex'),
      () => randomUUID(),
    ];
    for (const generate of generators) {
      for (let round = 0; round < 200; round++) {
        const secret = generate();
        expect({ secret, refusal: refusal({ SESSION_SECRETS: secret }) }).toEqual({ secret, refusal: undefined });
      }
    }
  });

  it('still refuses placeholders and short secrets first, with their own line', () => {
    expect(refusal({ SESSION_SECRETS: 'replace-with-a-long-random-secret-of-48-characters' })).toMatch(/placeholder/);
    expect(refusal({ SESSION_SECRETS: randomBytes(12).toString('base64url') })).toMatch(/shorter than 32 characters/);
    expect(refusal({ SESSION_SECRETS: `sk-xxxx-${randomBytes(32).toString('base64url')}` })).toMatch(/placeholder/);
  });

  it('accepts a random secret that happens to hold a placeholder word or a run of x inside it', () => {
    const random = randomBytes(32).toString('base64url').replace(/[-_]/g, 'a');
    expect(refusal({ SESSION_SECRETS: `${random.slice(0, 20)}xXxx${random.slice(20)}` })).toBeUndefined();
    expect(refusal({ SESSION_SECRETS: `${random.slice(0, 20)}DuMmy${random.slice(20)}` })).toBeUndefined();
  });

  it('refuses encryption keys whose bytes are not random, and accepts random ones', () => {
    const sequence = Buffer.from(Array.from({ length: 32 }, (_, index) => index));
    expect(refusal({ ENCRYPTION_KEYS: `k1:${sequence.toString('base64')}` })).toBe('ENCRYPTION_KEYS key "k1" is not random; production needs real keys');
    expect(refusal({ ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}` })).toBe('ENCRYPTION_KEYS key "k1" is not random; production needs real keys');
    for (let round = 0; round < 200; round++) expect(refusal({ ENCRYPTION_KEYS: `${randomKey()},${randomKey().replace('k1:', 'k2:')}` })).toBeUndefined();
  });

  it('leaves development and test alone', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', SESSION_SECRETS: 'a'.repeat(32), ENCRYPTION_KEYS: randomKey() })).not.toThrow();
  });

  it('estimates generated secrets far above the bar and patterned ones far below it', () => {
    const bits = (text: string) => estimatedEntropyBits(Array.from(text, (character) => character.codePointAt(0) ?? 0));
    expect(bits('a'.repeat(32))).toBe(0);
    expect(bits('password'.repeat(4))).toBeLessThan(MIN_SECRET_BITS / 2);
    expect(bits(randomBytes(32).toString('base64url'))).toBeGreaterThan(MIN_SECRET_BITS * 2);
  });
});
