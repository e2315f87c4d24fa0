import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';

/** What the settings page shows of a user's row. */
export interface SettingsRow {
  api_key_ciphertext: string | null;
  api_key_hint: string | null;
  default_assistant_id: string | null;
}

/** A stored key sealed with some master key, as key rotation reads it. */
export interface SealedKeyRow {
  id: string;
  api_key_ciphertext: string;
  api_key_key_id: string;
}

/** A key sealed for storage: the ciphertext, the master key's id and what may be shown of it. */
export interface StoredApiKey {
  ciphertext: string;
  keyId: string;
  hint: string;
}

/** A user's settings: the stored OpenAI API key (sealed) and the default assistant, on the user's row. */
@Injectable()
export class SettingsRepository {
  constructor(private readonly sql: Sql) {}

  find(userId: string, db: SqlExecutor = this.sql): Promise<SettingsRow | undefined> {
    return db.row<SettingsRow>('SELECT api_key_ciphertext, api_key_hint, default_assistant_id FROM users WHERE id = $1', [userId]);
  }

  /** Stores the key; its version moves on so clients built from an older key are not reused. */
  async setApiKey(userId: string, key: StoredApiKey, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute(
      `UPDATE users SET api_key_ciphertext = $2, api_key_key_id = $3, api_key_hint = $4,
         api_key_version = api_key_version + 1, updated_at = CURRENT_TIMESTAMP
       WHERE id = $1`,
      [userId, key.ciphertext, key.keyId, key.hint],
    );
  }

  async clearApiKey(userId: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute(
      `UPDATE users SET api_key_ciphertext = NULL, api_key_key_id = NULL, api_key_hint = NULL,
         api_key_version = api_key_version + 1, updated_at = CURRENT_TIMESTAMP
       WHERE id = $1`,
      [userId],
    );
  }

  async setDefaultAssistant(userId: string, assistantId: string | null, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('UPDATE users SET default_assistant_id = $2, updated_at = CURRENT_TIMESTAMP WHERE id = $1', [userId, assistantId]);
  }

  /**
   * Key rotation (an operator's task over every account): the next `limit`
   * keys sealed with another master key than `currentKeyId`, after `afterUserId`.
   */
  keysSealedWithOthers(currentKeyId: string, afterUserId: string, limit: number, db: SqlExecutor = this.sql): Promise<SealedKeyRow[]> {
    return db.rows<SealedKeyRow>(
      `SELECT id, api_key_ciphertext, api_key_key_id FROM users
       WHERE api_key_ciphertext IS NOT NULL AND api_key_key_id <> $1 AND id > $2
       ORDER BY id LIMIT $3`,
      [currentKeyId, afterUserId, limit],
    );
  }

  /** Replaces the user's sealed key only if it is still `previousCiphertext` (a key saved meanwhile wins). */
  async resealApiKey(userId: string, previousCiphertext: string, ciphertext: string, keyId: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('UPDATE users SET api_key_ciphertext = $3, api_key_key_id = $4 WHERE id = $1 AND api_key_ciphertext = $2', [
      userId,
      previousCiphertext,
      ciphertext,
      keyId,
    ]);
  }

  async countSealedWith(keyId: string, db: SqlExecutor = this.sql): Promise<number> {
    const row = await db.row<{ count: number }>('SELECT count(*)::int AS count FROM users WHERE api_key_key_id = $1', [keyId]);
    return row?.count ?? 0;
  }
}
