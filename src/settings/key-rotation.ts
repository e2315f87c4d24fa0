import type { DataSource } from 'typeorm';
import type { SecretBox } from '../common/crypto/secret-box.js';

export interface RotationResult {
  rotated: number;
  alreadyCurrent: number;
}

const BATCH = 500;

/**
 * Re-encrypts every stored API key that was sealed with an older master key,
 * using the first (current) one. Each row is updated only if it did not
 * change meanwhile, so a key saved during the rotation is never overwritten.
 */
export async function rotateApiKeys(dataSource: DataSource, secrets: SecretBox): Promise<RotationResult> {
  let rotated = 0;
  let lastId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await dataSource.query(
      `SELECT id, api_key_ciphertext, api_key_key_id FROM users
       WHERE api_key_ciphertext IS NOT NULL AND api_key_key_id <> $1 AND id > $2
       ORDER BY id LIMIT $3`,
      [secrets.primaryKeyId, lastId, BATCH],
    )) as Array<{ id: string; api_key_ciphertext: string; api_key_key_id: string }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      const plaintext = secrets.open({ keyId: row.api_key_key_id, ciphertext: row.api_key_ciphertext }, row.id);
      const sealed = secrets.seal(plaintext, row.id);
      await dataSource.query(
        `UPDATE users SET api_key_ciphertext = $1, api_key_key_id = $2
         WHERE id = $3 AND api_key_ciphertext = $4`,
        [sealed.ciphertext, sealed.keyId, row.id, row.api_key_ciphertext],
      );
      rotated++;
    }
    lastId = rows[rows.length - 1].id;
  }
  const [{ count }] = (await dataSource.query(
    'SELECT count(*)::int AS count FROM users WHERE api_key_key_id = $1',
    [secrets.primaryKeyId],
  )) as Array<{ count: number }>;
  return { rotated, alreadyCurrent: count - rotated };
}
