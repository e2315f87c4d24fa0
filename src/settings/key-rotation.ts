import type { SecretBox } from '../common/crypto/secret-box.js';
import type { SettingsRepository } from './settings.repository.js';

export interface RotationResult {
  rotated: number;
  alreadyCurrent: number;
}

/** What rotation needs of the settings repository. */
export type SealedKeys = Pick<SettingsRepository, 'keysSealedWithOthers' | 'resealApiKey' | 'countSealedWith'>;

const BATCH = 500;

/**
 * Re-encrypts every stored API key that was sealed with an older master key,
 * using the first (current) one. Each row is updated only if it did not
 * change meanwhile, so a key saved during the rotation is never overwritten.
 */
export async function rotateApiKeys(keys: SealedKeys, secrets: SecretBox): Promise<RotationResult> {
  let rotated = 0;
  let lastId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await keys.keysSealedWithOthers(secrets.primaryKeyId, lastId, BATCH);
    if (rows.length === 0) break;
    for (const row of rows) {
      const plaintext = secrets.open({ keyId: row.api_key_key_id, ciphertext: row.api_key_ciphertext }, row.id);
      const sealed = secrets.seal(plaintext, row.id);
      await keys.resealApiKey(row.id, row.api_key_ciphertext, sealed.ciphertext, sealed.keyId);
      rotated++;
    }
    lastId = rows[rows.length - 1].id;
  }
  const count = await keys.countSealedWith(secrets.primaryKeyId);
  return { rotated, alreadyCurrent: count - rotated };
}
