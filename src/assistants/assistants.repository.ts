import { Injectable } from '@nestjs/common';
import { keysetSql, pageRows, type KeysetPage } from '../database/keyset-page.js';
import { Sql, type SqlExecutor, type Transaction } from '../database/sql.js';
import type { Assistant, AssistantTool } from './assistant.entity.js';

export interface AssistantRow {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  model: string;
  instructions: string | null;
  temperature: number | null;
  tools: AssistantTool[];
  metadata: Record<string, string>;
  is_active: boolean;
  file_search_off: boolean;
  vector_store_id: string | null;
  vector_store_claimed_until: Date | null;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type AssistantFields = Pick<
  Assistant,
  'name' | 'description' | 'model' | 'instructions' | 'temperature' | 'tools' | 'metadata' | 'isActive' | 'fileSearchOff'
>;

const COLUMNS = `id, user_id, name, description, model, instructions, temperature, tools, metadata, is_active, file_search_off,
  vector_store_id, vector_store_claimed_until, deleted_at, created_at, updated_at`;

/** The columns a change may set, and how each value is sent. */
const EDITABLE: Record<keyof AssistantFields, { column: string; json?: true }> = {
  name: { column: 'name' },
  description: { column: 'description' },
  model: { column: 'model' },
  instructions: { column: 'instructions' },
  temperature: { column: 'temperature' },
  tools: { column: 'tools', json: true },
  metadata: { column: 'metadata', json: true },
  isActive: { column: 'is_active' },
  fileSearchOff: { column: 'file_search_off' },
};

export function toAssistant(row: AssistantRow): Assistant {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    description: row.description,
    model: row.model,
    instructions: row.instructions,
    temperature: row.temperature,
    tools: row.tools,
    metadata: row.metadata,
    isActive: row.is_active,
    fileSearchOff: row.file_search_off,
    vectorStoreId: row.vector_store_id,
    vectorStoreClaimedUntil: row.vector_store_claimed_until,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The assistants table, including each assistant's vector store and the lease on creating it. */
@Injectable()
export class AssistantsRepository {
  constructor(private readonly sql: Sql) {}

  /** The user's assistant unless it is in the trash. */
  async findOwned(userId: string, id: string, db: SqlExecutor = this.sql): Promise<Assistant | undefined> {
    const row = await db.row<AssistantRow>(`SELECT ${COLUMNS} FROM assistants WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL`, [id, userId]);
    return row && toAssistant(row);
  }

  /** The user's assistant, in the trash or not (for the work that goes on while it is there, such as indexing its documents). */
  async findStored(userId: string, id: string, db: SqlExecutor = this.sql): Promise<Assistant | undefined> {
    const row = await db.row<AssistantRow>(`SELECT ${COLUMNS} FROM assistants WHERE id = $1 AND user_id = $2`, [id, userId]);
    return row && toAssistant(row);
  }

  /** The user's assistants, newest first; or those in the trash, newest deletion first. */
  async listOwned(userId: string, trashed = false): Promise<Assistant[]> {
    const rows = await this.sql.rows<AssistantRow>(
      trashed
        ? `SELECT ${COLUMNS} FROM assistants WHERE user_id = $1 AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC`
        : `SELECT ${COLUMNS} FROM assistants WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC`,
      [userId],
    );
    return rows.map(toAssistant);
  }

  /** A page of the user's assistants (not in the trash) by creation time, with cursors that are assistant ids. */
  async page(userId: string, page: KeysetPage): Promise<{ assistants: Assistant[]; hasMore: boolean }> {
    const keyset = keysetSql(page, 'assistants', 'a', 'user_id = $1 AND c.deleted_at IS NULL', 2);
    const rows = await this.sql.rows<AssistantRow>(
      `SELECT ${COLUMNS} FROM assistants a WHERE a.user_id = $1 AND a.deleted_at IS NULL AND ${keyset.where} ${keyset.orderAndLimit}`,
      [userId, ...keyset.params],
    );
    const { rows: kept, hasMore } = pageRows(rows, page, keyset.reversed);
    return { assistants: kept.map(toAssistant), hasMore };
  }

  /**
   * Moves the assistant to the trash; it stops being the user's default
   * (as its deletion would). False when it is not the user's or is there already.
   */
  async trash(userId: string, id: string, db: SqlExecutor): Promise<boolean> {
    const moved = await db.execute('UPDATE assistants SET deleted_at = now() WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL', [id, userId]);
    if (moved === 0) return false;
    await db.execute('UPDATE users SET default_assistant_id = NULL WHERE id = $1 AND default_assistant_id = $2', [userId, id]);
    return true;
  }

  /** Takes the assistant out of the trash (one not in it is left as it is); undefined when it is not the user's. */
  async restore(userId: string, id: string): Promise<Assistant | undefined> {
    const row = await this.sql.row<AssistantRow>(
      `UPDATE assistants SET deleted_at = NULL, updated_at = CASE WHEN deleted_at IS NULL THEN updated_at ELSE now() END
       WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return row && toAssistant(row);
  }

  /**
   * Assistants of every user that have been in the trash for `retentionDays`
   * or longer, oldest deletion first: the trash's purge reads across users,
   * then deletes each assistant as its owner would.
   */
  async trashedFor(retentionDays: number, limit: number): Promise<Array<{ userId: string; id: string }>> {
    const rows = await this.sql.rows<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM assistants WHERE deleted_at <= now() - make_interval(days => $1) ORDER BY deleted_at, id LIMIT $2',
      [retentionDays, limit],
    );
    return rows.map((row) => ({ userId: row.user_id, id: row.id }));
  }

  /**
   * Stores the assistant unless the user keeps `maxPerUser` already, those in
   * the trash included (undefined then). The user's creations wait for each
   * other (a lock of the transaction's), so the count cannot be raced.
   */
  async insert(userId: string, fields: AssistantFields, maxPerUser: number, tx: Transaction): Promise<Assistant | undefined> {
    await tx.takeTurns(`assistants-of:${userId}`);
    const row = await tx.row<AssistantRow>(
      `INSERT INTO assistants (user_id, name, description, model, instructions, temperature, tools, metadata, is_active, file_search_off)
       SELECT $1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10
        WHERE (SELECT count(*) FROM assistants WHERE user_id = $1) < $11
       RETURNING ${COLUMNS}`,
      [
        userId,
        fields.name,
        fields.description,
        fields.model,
        fields.instructions,
        fields.temperature,
        JSON.stringify(fields.tools),
        JSON.stringify(fields.metadata),
        fields.isActive,
        fields.fileSearchOff,
        maxPerUser,
      ],
    );
    return row && toAssistant(row);
  }

  /** Sets the given fields (and updated_at); nothing when no field is given. */
  async update(userId: string, id: string, changes: Partial<AssistantFields>, db: SqlExecutor): Promise<void> {
    const sets: string[] = [];
    const params: Array<string | number | boolean | null> = [id, userId];
    for (const [field, value] of Object.entries(changes) as Array<[keyof AssistantFields, AssistantFields[keyof AssistantFields]]>) {
      const { column, json } = EDITABLE[field];
      params.push(json ? JSON.stringify(value) : (value as string | number | boolean | null));
      sets.push(`${column} = $${params.length}${json ? '::jsonb' : ''}`);
    }
    if (sets.length === 0) return;
    await db.execute(`UPDATE assistants SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND user_id = $2`, params);
  }

  /** Adds file_search to the assistant's tools unless it has it or the user turned it off; whether it was added. */
  async switchOnFileSearch(userId: string, id: string, db: SqlExecutor = this.sql): Promise<boolean> {
    const updated = await db.execute(
      `UPDATE assistants SET tools = tools || '[{"type": "file_search"}]'::jsonb, updated_at = now()
       WHERE id = $1 AND user_id = $2 AND NOT file_search_off AND NOT tools @> '[{"type": "file_search"}]'::jsonb`,
      [id, userId],
    );
    return updated > 0;
  }

  /** Deletes the assistant; its vector store as the deleted row held it, or undefined when there was no such assistant. */
  async delete(userId: string, id: string, db: SqlExecutor): Promise<{ vectorStoreId: string | null } | undefined> {
    const row = await db.row<{ vector_store_id: string | null }>('DELETE FROM assistants WHERE id = $1 AND user_id = $2 RETURNING vector_store_id', [
      id,
      userId,
    ]);
    return row && { vectorStoreId: row.vector_store_id };
  }

  /** Takes the lease on creating the assistant's vector store; false when it has one or another holds the lease. */
  async claimVectorStore(userId: string, id: string, seconds: number): Promise<boolean> {
    const claimed = await this.sql.execute(
      `UPDATE assistants SET vector_store_claimed_until = now() + make_interval(secs => $3)
       WHERE id = $1 AND user_id = $2 AND vector_store_id IS NULL
         AND (vector_store_claimed_until IS NULL OR vector_store_claimed_until < now())`,
      [id, userId, seconds],
    );
    return claimed > 0;
  }

  async releaseVectorStoreClaim(userId: string, id: string): Promise<void> {
    await this.sql.execute('UPDATE assistants SET vector_store_claimed_until = NULL WHERE id = $1 AND user_id = $2 AND vector_store_id IS NULL', [
      id,
      userId,
    ]);
  }

  /** Records the store unless one is recorded; the store now recorded (undefined when the assistant is gone). */
  async recordVectorStore(userId: string, id: string, vectorStoreId: string): Promise<string | undefined> {
    const row = await this.sql.row<{ vector_store_id: string }>(
      `UPDATE assistants SET vector_store_id = COALESCE(vector_store_id, $1), vector_store_claimed_until = NULL
       WHERE id = $2 AND user_id = $3 RETURNING vector_store_id`,
      [vectorStoreId, id, userId],
    );
    return row?.vector_store_id;
  }

  /** The user's vector stores. */
  async vectorStoreIds(userId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ vector_store_id: string }>(
      'SELECT vector_store_id FROM assistants WHERE user_id = $1 AND vector_store_id IS NOT NULL',
      [userId],
    );
    return rows.map((row) => row.vector_store_id);
  }
}
