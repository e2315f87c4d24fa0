import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { FileStatus } from '../files/stored-file.entity.js';

/** A document attached to an assistant, and the state of its copy in the assistant's vector store. */
export interface AssistantDocumentRow {
  assistant_id: string;
  file_id: string;
  user_id: string;
  status: FileStatus;
  error: string | null;
}

/** A document's copy in a vector store: what a detach or deletion asks OpenAI to remove. */
export interface VectorStoreCopy {
  vectorStoreId: string;
  upstreamFileId: string;
}

/** The repository's public shape, which fakes in unit specs implement. */
export type AssistantDocumentsStore = Pick<AssistantDocumentsRepository, keyof AssistantDocumentsRepository>;

/**
 * The assistant_files table, and the state each file's row summarizes from it.
 * Callers that change attachments hold the files' row locks first
 * (StoredFilesRepository.lockOwned), as a file's deletion does.
 */
@Injectable()
export class AssistantDocumentsRepository {
  constructor(private readonly sql: Sql) {}

  /** The user's attachments to these assistants, oldest first. */
  listForAssistants(userId: string, assistantIds: string[], db: SqlExecutor = this.sql): Promise<AssistantDocumentRow[]> {
    if (assistantIds.length === 0) return Promise.resolve([]);
    return db.rows<AssistantDocumentRow>(
      `SELECT assistant_id, file_id, user_id, status, error FROM assistant_files
       WHERE user_id = $1 AND assistant_id = ANY($2::uuid[]) ORDER BY created_at`,
      [userId, assistantIds],
    );
  }

  /** The user's attachments of these files, oldest first. */
  listForFiles(userId: string, fileIds: string[]): Promise<AssistantDocumentRow[]> {
    if (fileIds.length === 0) return Promise.resolve([]);
    return this.sql.rows<AssistantDocumentRow>(
      `SELECT assistant_id, file_id, user_id, status, error FROM assistant_files
       WHERE user_id = $1 AND file_id = ANY($2::uuid[]) ORDER BY created_at`,
      [userId, fileIds],
    );
  }

  find(userId: string, assistantId: string, fileId: string): Promise<AssistantDocumentRow | undefined> {
    return this.sql.row<AssistantDocumentRow>(
      'SELECT assistant_id, file_id, user_id, status, error FROM assistant_files WHERE assistant_id = $1 AND file_id = $2 AND user_id = $3',
      [assistantId, fileId, userId],
    );
  }

  /** Attaches the files not attached yet (as processing); returns the ids attached now. */
  async insertMissing(userId: string, assistantId: string, fileIds: string[], db: SqlExecutor): Promise<string[]> {
    if (fileIds.length === 0) return [];
    const rows = await db.rows<{ file_id: string }>(
      `INSERT INTO assistant_files (assistant_id, file_id, user_id, status, error)
       SELECT $1, file_id, $2, 'processing', NULL FROM unnest($3::uuid[]) AS file_id
       ON CONFLICT DO NOTHING RETURNING file_id`,
      [assistantId, userId, fileIds],
    );
    return rows.map((row) => row.file_id);
  }

  /** Detaches the files; returns the ids that were attached. */
  async delete(userId: string, assistantId: string, fileIds: string[], db: SqlExecutor): Promise<string[]> {
    if (fileIds.length === 0) return [];
    const rows = await db.rows<{ file_id: string }>(
      'DELETE FROM assistant_files WHERE assistant_id = $1 AND user_id = $2 AND file_id = ANY($3::uuid[]) RETURNING file_id',
      [assistantId, userId, fileIds],
    );
    return rows.map((row) => row.file_id);
  }

  /**
   * The copies of these files in the assistant's vector store, as committed
   * when the statement starts (run it after taking the files' row locks).
   */
  async copiesInAssistant(userId: string, assistantId: string, fileIds: string[], db: SqlExecutor): Promise<VectorStoreCopy[]> {
    if (fileIds.length === 0) return [];
    const rows = await db.rows<{ vector_store_id: string; upstream_file_id: string }>(
      `SELECT a.vector_store_id, f.upstream_file_id FROM assistants a, files f
       WHERE a.id = $1 AND a.user_id = $2 AND f.id = ANY($3::uuid[]) AND f.user_id = $2
         AND a.vector_store_id IS NOT NULL AND f.upstream_file_id IS NOT NULL`,
      [assistantId, userId, fileIds],
    );
    return rows.map((row) => ({ vectorStoreId: row.vector_store_id, upstreamFileId: row.upstream_file_id }));
  }

  /** The vector stores of the assistants the file is attached to. */
  async vectorStoresHolding(userId: string, fileId: string, db: SqlExecutor): Promise<string[]> {
    const rows = await db.rows<{ vector_store_id: string }>(
      `SELECT a.vector_store_id FROM assistant_files af JOIN assistants a ON a.id = af.assistant_id AND a.user_id = af.user_id
       WHERE af.file_id = $1 AND af.user_id = $2 AND a.vector_store_id IS NOT NULL`,
      [fileId, userId],
    );
    return rows.map((row) => row.vector_store_id);
  }

  /** Puts the file's failed attachments back to processing; returns their assistants. */
  async resetFailed(userId: string, fileId: string, db: SqlExecutor): Promise<string[]> {
    const rows = await db.rows<{ assistant_id: string }>(
      `UPDATE assistant_files SET status = 'processing', error = NULL, updated_at = now()
       WHERE file_id = $1 AND user_id = $2 AND status = 'failed' RETURNING assistant_id`,
      [fileId, userId],
    );
    return rows.map((row) => row.assistant_id);
  }

  /** Records an attachment's indexing state; false when the attachment is gone. */
  async setState(userId: string, assistantId: string, fileId: string, status: FileStatus, error: string | null, db: SqlExecutor): Promise<boolean> {
    const updated = await db.execute(
      `UPDATE assistant_files SET status = $4, error = $5, updated_at = now()
       WHERE assistant_id = $1 AND file_id = $2 AND user_id = $3`,
      [assistantId, fileId, userId, status, error],
    );
    return updated > 0;
  }

  /** A file is processing while any attachment is, failed if any failed, ready otherwise. */
  async refreshFileStatus(userId: string, fileIds: string[], db: SqlExecutor): Promise<void> {
    if (fileIds.length === 0) return;
    // Serializes concurrent refreshes of a file: each then reads the others' committed attachment states.
    await db.execute('SELECT id FROM files WHERE id = ANY($1::uuid[]) AND user_id = $2 ORDER BY id FOR NO KEY UPDATE', [fileIds, userId]);
    await db.execute(
      `UPDATE files f SET
         status = COALESCE(agg.status, 'ready'),
         status_error = agg.error,
         updated_at = now()
       FROM (SELECT id FROM files WHERE id = ANY($1::uuid[]) AND user_id = $2) target
       LEFT JOIN LATERAL (
         SELECT CASE WHEN bool_or(status = 'processing') THEN 'processing'
                     WHEN bool_or(status = 'failed') THEN 'failed' ELSE 'ready' END AS status,
                (array_agg(error) FILTER (WHERE status = 'failed'))[1] AS error
         FROM assistant_files WHERE file_id = target.id AND user_id = $2
       ) agg ON true
       WHERE f.id = target.id AND f.user_id = $2`,
      [fileIds, userId],
    );
  }
}
