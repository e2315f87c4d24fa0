import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';

/** What a citation needs of a file: the platform's id and name for OpenAI's file id. */
export interface CitedFileRow {
  id: string;
  filename: string;
  upstream_file_id: string;
}

/** An image's copy at OpenAI as recorded on its file's row. */
export interface ImageCopyRow {
  upstream_file_id: string | null;
  upstream_key_ref: string | null;
  upstream_expires_at: Date | null;
}

export interface ImageCopy {
  upstreamFileId: string;
  keyRef: string;
  expiresAt: Date | null;
}

/** What chat reads and writes of the user's files: citations' names, images' copies at OpenAI. */
@Injectable()
export class ChatFilesRepository {
  constructor(private readonly sql: Sql) {}

  async byUpstreamIds(userId: string, upstreamIds: string[], db: SqlExecutor = this.sql): Promise<CitedFileRow[]> {
    return db.rows<CitedFileRow>('SELECT id, filename, upstream_file_id FROM files WHERE user_id = $1 AND upstream_file_id = ANY($2)', [
      userId,
      upstreamIds,
    ]);
  }

  /** Forgets copies OpenAI no longer has. */
  async forgetCopies(userId: string, upstreamFileIds: string[]): Promise<void> {
    await this.sql.execute(
      `UPDATE files SET upstream_file_id = NULL, upstream_key_ref = NULL, upstream_expires_at = NULL
       WHERE user_id = $1 AND kind = 'image' AND upstream_file_id = ANY($2::varchar[])`,
      [userId, upstreamFileIds],
    );
  }

  /** Records a copy if the row still holds the copy `replacing` (null: none); true when it did. */
  async recordCopyIfUnchanged(userId: string, fileId: string, copy: ImageCopy, replacing: string | null): Promise<boolean> {
    const touched = await this.sql.execute(
      `UPDATE files SET upstream_file_id = $1, upstream_key_ref = $2, upstream_expires_at = $3
       WHERE id = $4 AND user_id = $5 AND upstream_file_id IS NOT DISTINCT FROM $6`,
      [copy.upstreamFileId, copy.keyRef, copy.expiresAt, fileId, userId, replacing],
    );
    return touched > 0;
  }

  async copyOf(userId: string, fileId: string): Promise<ImageCopyRow | undefined> {
    return this.sql.row<ImageCopyRow>('SELECT upstream_file_id, upstream_key_ref, upstream_expires_at FROM files WHERE id = $1 AND user_id = $2', [
      fileId,
      userId,
    ]);
  }

  async recordCopy(userId: string, fileId: string, copy: ImageCopy): Promise<void> {
    await this.sql.execute('UPDATE files SET upstream_file_id = $1, upstream_key_ref = $2, upstream_expires_at = $3 WHERE id = $4 AND user_id = $5', [
      copy.upstreamFileId,
      copy.keyRef,
      copy.expiresAt,
      fileId,
      userId,
    ]);
  }
}
