import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../../config/config.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedSecret {
  /** Id of the master key that sealed it. */
  keyId: string;
  /** Base64 of IV (12 bytes), authentication tag (16 bytes) and ciphertext. */
  ciphertext: string;
}

export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * AES-256-GCM with a fresh random IV per encryption and caller-supplied
 * associated data (the owner's id), so a ciphertext copied onto another
 * user's row does not decrypt. The first key encrypts; every key decrypts.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly primary: EncryptionKey;

  constructor(keys: EncryptionKey[]) {
    if (keys.length === 0) throw new Error('at least one encryption key is needed');
    this.primary = keys[0];
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
  }

  get primaryKeyId(): string {
    return this.primary.id;
  }

  seal(plaintext: string, associatedData: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.primary.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.primary.id,
      ciphertext: Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64'),
    };
  }

  open(sealed: SealedSecret, associatedData: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new SecretDecryptionError(`no configured encryption key has the id "${sealed.keyId}"`);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError('the ciphertext is truncated');
    const iv = bytes.subarray(0, IV_BYTES);
    const tag = bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('the secret does not authenticate (wrong key, owner or tampered data)');
    }
  }

  /** Whether a sealed secret should be re-encrypted with the primary key. */
  needsRotation(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.primary.id;
  }
}
