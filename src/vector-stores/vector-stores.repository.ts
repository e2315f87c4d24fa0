import { Injectable } from '@nestjs/common';
import { keysetSql, pageRows, type KeysetPage } from '../database/keyset-page.js';
import { Sql, type SqlExecutor } from '../database/sql.js';

export interface VectorStoreRow {
  id: string;
  user_id: string;
  name: string;
  metadata: Record<string, string>;
  created_at: Date;
}

/** Where a file of a vector store is, summed over the assistants that use the store. */
export type VectorStoreFileState = 'in_progress' | 'completed' | 'failed';

export interface VectorStoreFileRow {
  vector_store_id: string;
  file_id: string;
  size_bytes: number;
  state: VectorStoreFileState;
  error: string | null;
  created_at: Date;
}

export interface VectorStoreFileBatchRow {
  id: string;
  vector_store_id: string;
  file_ids: string[];
  created_at: Date;
}

export interface VectorStoreCounts {
  in_progress: number;
  completed: number;
  failed: number;
  total: number;
  usage_bytes: number;
}

const STORE_COLUMNS = 'v.id, v.user_id, v.name, v.metadata, v.created_at';

/** The store's files as a table whose `id` is the file's (for keyset pages over them). */
const FILES_BY_ID = '(SELECT file_id AS id, vector_store_id, user_id, created_at FROM vector_store_files)';

/**
 * Each file of the user's stores `$2` with its state: failed or in progress
 * while any assistant using the store has that document so; completed when
 * all have it indexed, or when no assistant uses the store (there is then
 * nothing to index: a store is a set of files the platform keeps).
 */
const FILE_STATES = `
  SELECT vf.vector_store_id, vf.file_id, vf.file_id AS id, vf.created_at, f.size_bytes,
    CASE WHEN bool_or(af.status = 'failed') THEN 'failed'
         WHEN bool_or(af.status = 'processing') THEN 'in_progress'
         ELSE 'completed' END AS state,
    max(af.error) FILTER (WHERE af.status = 'failed') AS error
  FROM vector_store_files vf
  JOIN files f ON f.id = vf.file_id AND f.user_id = $1
  LEFT JOIN assistant_vector_stores avs ON avs.vector_store_id = vf.vector_store_id AND avs.user_id = $1
  LEFT JOIN assistant_files af ON af.assistant_id = avs.assistant_id AND af.file_id = vf.file_id AND af.user_id = $1
  WHERE vf.user_id = $1 AND vf.vector_store_id = ANY($2::uuid[])
  GROUP BY vf.vector_store_id, vf.file_id, vf.created_at, f.size_bytes`;

/** The vector_stores, vector_store_files and assistant_vector_stores tables. */
@Injectable()
export class VectorStoresRepository {
  constructor(private readonly sql: Sql) {}

  /** Makes the user's changes to their vector stores take turns until the transaction ends (their account row is the lock). */
  async lockOwner(userId: string, db: SqlExecutor): Promise<void> {
    await db.execute('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
  }

  async count(userId: string, db: SqlExecutor): Promise<number> {
    const row = await db.row<{ count: number }>('SELECT count(*)::int AS count FROM vector_stores WHERE user_id = $1', [userId]);
    return row?.count ?? 0;
  }

  async insert(userId: string, name: string, metadata: Record<string, string>, db: SqlExecutor): Promise<VectorStoreRow> {
    const row = await db.row<VectorStoreRow>(
      'INSERT INTO vector_stores (user_id, name, metadata) VALUES ($1, $2, $3::jsonb) RETURNING id, user_id, name, metadata, created_at',
      [userId, name, JSON.stringify(metadata)],
    );
    return row!;
  }

  findOwned(userId: string, id: string, db: SqlExecutor = this.sql): Promise<VectorStoreRow | undefined> {
    return db.row<VectorStoreRow>(`SELECT ${STORE_COLUMNS} FROM vector_stores v WHERE v.id = $1 AND v.user_id = $2`, [id, userId]);
  }

  async page(userId: string, page: KeysetPage): Promise<{ stores: VectorStoreRow[]; hasMore: boolean }> {
    const keyset = keysetSql(page, 'vector_stores', 'v', 'user_id = $1', 2);
    const rows = await this.sql.rows<VectorStoreRow>(
      `SELECT ${STORE_COLUMNS} FROM vector_stores v WHERE v.user_id = $1 AND ${keyset.where} ${keyset.orderAndLimit}`,
      [userId, ...keyset.params],
    );
    const { rows: kept, hasMore } = pageRows(rows, page, keyset.reversed);
    return { stores: kept, hasMore };
  }

  /** Renames the store and/or replaces its metadata; undefined when it is not the user's. */
  update(userId: string, id: string, changes: { name?: string; metadata?: Record<string, string> }): Promise<VectorStoreRow | undefined> {
    return this.sql.row<VectorStoreRow>(
      `UPDATE vector_stores v SET name = COALESCE($3, v.name), metadata = COALESCE($4::jsonb, v.metadata)
       WHERE v.id = $1 AND v.user_id = $2 RETURNING ${STORE_COLUMNS}`,
      [id, userId, changes.name ?? null, changes.metadata === undefined ? null : JSON.stringify(changes.metadata)],
    );
  }

  async delete(userId: string, id: string, db: SqlExecutor): Promise<boolean> {
    return (await db.execute('DELETE FROM vector_stores WHERE id = $1 AND user_id = $2', [id, userId])) > 0;
  }

  /** The counts of each store's files by state, and their bytes. */
  async counts(userId: string, storeIds: string[]): Promise<Map<string, VectorStoreCounts>> {
    const rows = await this.sql.rows<VectorStoreCounts & { vector_store_id: string }>(
      `SELECT s.vector_store_id,
         count(*) FILTER (WHERE s.state = 'in_progress')::int AS in_progress,
         count(*) FILTER (WHERE s.state = 'completed')::int AS completed,
         count(*) FILTER (WHERE s.state = 'failed')::int AS failed,
         count(*)::int AS total, COALESCE(sum(s.size_bytes), 0)::bigint AS usage_bytes
       FROM (${FILE_STATES}) s GROUP BY s.vector_store_id`,
      [userId, storeIds],
    );
    return new Map(rows.map((row) => [row.vector_store_id, { ...row, usage_bytes: Number(row.usage_bytes) }]));
  }

  async fileIds(userId: string, storeId: string, db: SqlExecutor = this.sql): Promise<string[]> {
    const rows = await db.rows<{ file_id: string }>(
      'SELECT file_id FROM vector_store_files WHERE user_id = $1 AND vector_store_id = $2 ORDER BY created_at, file_id',
      [userId, storeId],
    );
    return rows.map((row) => row.file_id);
  }

  /** Adds the files not in the store yet; returns the ids added now. */
  async addFiles(userId: string, storeId: string, fileIds: string[], db: SqlExecutor): Promise<string[]> {
    const rows = await db.rows<{ file_id: string }>(
      `INSERT INTO vector_store_files (vector_store_id, file_id, user_id) SELECT $1, unnest($2::uuid[]), $3
       ON CONFLICT DO NOTHING RETURNING file_id`,
      [storeId, fileIds, userId],
    );
    return rows.map((row) => row.file_id);
  }

  async removeFile(userId: string, storeId: string, fileId: string, db: SqlExecutor): Promise<boolean> {
    const removed = await db.execute('DELETE FROM vector_store_files WHERE user_id = $1 AND vector_store_id = $2 AND file_id = $3', [userId, storeId, fileId]);
    return removed > 0;
  }

  async findFile(userId: string, storeId: string, fileId: string): Promise<VectorStoreFileRow | undefined> {
    return this.sql.row<VectorStoreFileRow>(`SELECT * FROM (${FILE_STATES}) s WHERE s.file_id = $3`, [userId, [storeId], fileId]);
  }

  /** A page of the store's files by when they were added, with cursors that are file ids. */
  async filePage(userId: string, storeId: string, page: KeysetPage, state?: VectorStoreFileState): Promise<{ files: VectorStoreFileRow[]; hasMore: boolean }> {
    const keyset = keysetSql(page, FILES_BY_ID, 's', 'user_id = $1 AND c.vector_store_id = $3', 5);
    const rows = await this.sql.rows<VectorStoreFileRow>(
      `SELECT * FROM (${FILE_STATES}) s WHERE s.vector_store_id = $3 AND ($4::varchar IS NULL OR s.state = $4) AND ${keyset.where} ${keyset.orderAndLimit}`,
      [userId, [storeId], storeId, state ?? null, ...keyset.params],
    );
    const { rows: kept, hasMore } = pageRows(rows, page, keyset.reversed);
    return { files: kept, hasMore };
  }

  async insertBatch(userId: string, storeId: string, fileIds: string[], db: SqlExecutor): Promise<VectorStoreFileBatchRow> {
    const row = await db.row<VectorStoreFileBatchRow>(
      'INSERT INTO vector_store_file_batches (vector_store_id, user_id, file_ids) VALUES ($1, $2, $3::uuid[]) RETURNING id, vector_store_id, file_ids, created_at',
      [storeId, userId, fileIds],
    );
    return row!;
  }

  findBatch(userId: string, storeId: string, batchId: string): Promise<VectorStoreFileBatchRow | undefined> {
    return this.sql.row<VectorStoreFileBatchRow>(
      'SELECT id, vector_store_id, file_ids, created_at FROM vector_store_file_batches WHERE id = $1 AND vector_store_id = $2 AND user_id = $3',
      [batchId, storeId, userId],
    );
  }

  /** The counts by state of the batch's files that are still in its store. */
  async batchCounts(userId: string, batch: VectorStoreFileBatchRow): Promise<VectorStoreCounts> {
    const row = await this.sql.row<VectorStoreCounts>(
      `SELECT count(*) FILTER (WHERE s.state = 'in_progress')::int AS in_progress,
         count(*) FILTER (WHERE s.state = 'completed')::int AS completed,
         count(*) FILTER (WHERE s.state = 'failed')::int AS failed,
         count(*)::int AS total, COALESCE(sum(s.size_bytes), 0)::bigint AS usage_bytes
       FROM (${FILE_STATES}) s WHERE s.file_id = ANY($3::uuid[])`,
      [userId, [batch.vector_store_id], batch.file_ids],
    );
    return { ...row!, usage_bytes: Number(row!.usage_bytes) };
  }

  /** The assistants that use the store. */
  async assistantsUsing(userId: string, storeId: string, db: SqlExecutor): Promise<string[]> {
    const rows = await db.rows<{ assistant_id: string }>(
      'SELECT assistant_id FROM assistant_vector_stores WHERE user_id = $1 AND vector_store_id = $2 ORDER BY assistant_id',
      [userId, storeId],
    );
    return rows.map((row) => row.assistant_id);
  }

  /** The store each of these assistants uses, by assistant id. */
  async storesOfAssistants(userId: string, assistantIds: string[]): Promise<Map<string, string>> {
    if (assistantIds.length === 0) return new Map();
    const rows = await this.sql.rows<{ assistant_id: string; vector_store_id: string }>(
      'SELECT assistant_id, vector_store_id FROM assistant_vector_stores WHERE user_id = $1 AND assistant_id = ANY($2::uuid[])',
      [userId, assistantIds],
    );
    return new Map(rows.map((row) => [row.assistant_id, row.vector_store_id]));
  }

  /** Makes the assistant use this store, or none. */
  async setAssistantStore(userId: string, assistantId: string, storeId: string | null, db: SqlExecutor): Promise<void> {
    await db.execute('DELETE FROM assistant_vector_stores WHERE user_id = $1 AND assistant_id = $2', [userId, assistantId]);
    if (storeId === null) return;
    await db.execute('INSERT INTO assistant_vector_stores (assistant_id, vector_store_id, user_id) VALUES ($1, $2, $3)', [assistantId, storeId, userId]);
  }
}
