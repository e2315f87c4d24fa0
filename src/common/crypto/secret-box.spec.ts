import { randomBytes } from 'node:crypto';
import { SecretBox, SecretDecryptionError } from './secret-box.js';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };
const owner = '7d3c1f2e-8d9a-4c62-9a43-0b1a1d3e4f50';
const otherOwner = '1c2b3a4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const secret = 'sk-test-1234567890abcdefghijklmnop';

function flipBit(base64: string, byteIndex: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[byteIndex] ^= 0x01;
  return bytes.toString('base64');
}

describe('SecretBox', () => {
  const box = new SecretBox([keyA]);

  it('round-trips a secret', () => {
    const sealed = box.seal(secret, owner);
    expect(sealed.keyId).toBe('a');
    expect(sealed.ciphertext).not.toContain(secret);
    expect(box.open(sealed, owner)).toBe(secret);
  });

  it('refuses a flipped bit anywhere: IV, tag or ciphertext', () => {
    const sealed = box.seal(secret, owner);
    const length = Buffer.from(sealed.ciphertext, 'base64').length;
    for (const index of [0, 11, 12, 27, 28, length - 1]) {
      expect(() => box.open({ ...sealed, ciphertext: flipBit(sealed.ciphertext, index) }, owner)).toThrow(
        SecretDecryptionError,
      );
    }
  });

  it('refuses a swapped IV', () => {
    const first = Buffer.from(box.seal(secret, owner).ciphertext, 'base64');
    const second = Buffer.from(box.seal(secret, owner).ciphertext, 'base64');
    const swapped = Buffer.concat([second.subarray(0, 12), first.subarray(12)]).toString('base64');
    expect(() => box.open({ keyId: 'a', ciphertext: swapped }, owner)).toThrow(SecretDecryptionError);
  });

  it("refuses another user's id as associated data", () => {
    const sealed = box.seal(secret, owner);
    expect(() => box.open(sealed, otherOwner)).toThrow(SecretDecryptionError);
  });

  it('never repeats an IV over 10,000 encryptions', () => {
    const ivs = new Set<string>();
    for (let index = 0; index < 10_000; index++) {
      ivs.add(Buffer.from(box.seal(secret, owner).ciphertext, 'base64').subarray(0, 12).toString('hex'));
    }
    expect(ivs.size).toBe(10_000);
  });

  it('decrypts with any listed key and encrypts with the first (rotation)', () => {
    const oldBox = new SecretBox([keyA]);
    const sealedWithA = oldBox.seal(secret, owner);
    const rotatedBox = new SecretBox([keyB, keyA]);
    expect(rotatedBox.needsRotation(sealedWithA)).toBe(true);
    expect(rotatedBox.open(sealedWithA, owner)).toBe(secret);
    const resealed = rotatedBox.seal(rotatedBox.open(sealedWithA, owner), owner);
    expect(resealed.keyId).toBe('b');
    expect(rotatedBox.needsRotation(resealed)).toBe(false);
    expect(new SecretBox([keyB]).open(resealed, owner)).toBe(secret);
    expect(() => new SecretBox([keyB]).open(sealedWithA, owner)).toThrow(SecretDecryptionError);
  });
});
