import { Injectable } from '@nestjs/common';
import { keysetSql, pageRows, type KeysetPage } from '../database/keyset-page.js';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { FileKind } from './content-type.js';
import type { FileStatus, StoredFile } from './stored-file.entity.js';

export interface StoredFileRow {
  id: string;
  user_id: string;
  filename: string;
  relative_path: string | null;
  mime_type: string;
  kind: FileKind;
  size_bytes: number;
  sha256: string;
  status: FileStatus;
  status_error: string | null;
  upstream_file_id: string | null;
  upstream_key_ref: string | null;
  upstream_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type NewStoredFile = Pick<StoredFile, 'userId' | 'filename' | 'relativePath' | 'mimeType' | 'kind' | 'sizeBytes' | 'sha256'>;

export interface FilePage {
  kind?: FileKind;
  /** Only these files (another feature's selection), when given. */
  ids?: string[];
  limit: number;
  offset: number;
}

const COLUMNS = `id, user_id, filename, relative_path, mime_type, kind, size_bytes, sha256, status, status_error,
  upstream_file_id, upstream_key_ref, upstream_expires_at, created_at, updated_at`;

export function toStoredFile(row: StoredFileRow): StoredFile {
  return {
    id: row.id,
    userId: row.user_id,
    filename: row.filename,
    relativePath: row.relative_path,
    mimeType: row.mime_type,
    kind: row.kind,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    status: row.status,
    statusError: row.status_error,
    upstreamFileId: row.upstream_file_id,
    upstreamKeyRef: row.upstream_key_ref,
    upstreamExpiresAt: row.upstream_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The files table: what is stored of each uploaded file (its bytes are FileBytesStore's). */
@Injectable()
export class StoredFilesRepository {
  constructor(private readonly sql: Sql) {}

  async findOwned(userId: string, id: string, db: SqlExecutor = this.sql): Promise<StoredFile | undefined> {
    const row = await db.row<StoredFileRow>(`SELECT ${COLUMNS} FROM files WHERE id = $1 AND user_id = $2`, [id, userId]);
    return row && toStoredFile(row);
  }

  async findOwnedByIds(userId: string, ids: string[], db: SqlExecutor = this.sql): Promise<StoredFile[]> {
    if (ids.length === 0) return [];
    const rows = await db.rows<StoredFileRow>(`SELECT ${COLUMNS} FROM files WHERE id = ANY($1::uuid[]) AND user_id = $2`, [ids, userId]);
    return rows.map(toStoredFile);
  }

  /**
   * The user's oldest file of each of these contents (by SHA-256), where
   * there is one, locked against deletion (FOR KEY SHARE) until the
   * transaction ends.
   */
  async findOwnedByContent(userId: string, sha256s: string[], db: SqlExecutor): Promise<StoredFile[]> {
    if (sha256s.length === 0) return [];
    const rows = await db.rows<StoredFileRow>(
      `SELECT ${COLUMNS} FROM files WHERE user_id = $1 AND id IN (
         SELECT DISTINCT ON (sha256) id FROM files WHERE user_id = $1 AND sha256 = ANY($2::char(64)[]) ORDER BY sha256, created_at, id
       ) FOR KEY SHARE`,
      [userId, sha256s],
    );
    return rows.map(toStoredFile);
  }

  /** A page of the user's files, newest first, and how many there are in all. */
  async page(userId: string, page: FilePage): Promise<[StoredFile[], number]> {
    const where = 'user_id = $1 AND ($2::varchar IS NULL OR kind = $2) AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))';
    const params = [userId, page.kind ?? null, page.ids ?? null];
    const rows = await this.sql.rows<StoredFileRow>(
      `SELECT ${COLUMNS} FROM files WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5`,
      [...params, page.limit, page.offset],
    );
    const total = await this.sql.row<{ total: number }>(`SELECT count(*)::int AS total FROM files WHERE ${where}`, params);
    return [rows.map(toStoredFile), total?.total ?? 0];
  }

  /** A page of the user's files (of one kind, when given) by upload time, with cursors that are file ids. */
  async keysetPage(userId: string, kind: FileKind | undefined, page: KeysetPage): Promise<{ files: StoredFile[]; hasMore: boolean }> {
    const keyset = keysetSql(page, 'files', 'f', 'user_id = $1', 3);
    const rows = await this.sql.rows<StoredFileRow>(
      `SELECT ${COLUMNS} FROM files f WHERE f.user_id = $1 AND ($2::varchar IS NULL OR f.kind = $2) AND ${keyset.where} ${keyset.orderAndLimit}`,
      [userId, kind ?? null, ...keyset.params],
    );
    const { rows: kept, hasMore } = pageRows(rows.map(toStoredFile), page, keyset.reversed);
    return { files: kept, hasMore };
  }

  /** The bytes and number of files the user stores. */
  async usage(userId: string, db: SqlExecutor = this.sql): Promise<{ bytes: number; files: number }> {
    const row = await db.row<{ bytes: string; files: number }>(
      'SELECT COALESCE(sum(size_bytes), 0)::bigint AS bytes, count(*)::int AS files FROM files WHERE user_id = $1',
      [userId],
    );
    return { bytes: Number(row?.bytes ?? 0), files: row?.files ?? 0 };
  }

  /** Makes the user's uploads take turns until the transaction ends (their account row is the lock). */
  async lockUploads(userId: string, db: SqlExecutor): Promise<void> {
    await db.execute('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
  }

  async insert(file: NewStoredFile, db: SqlExecutor): Promise<StoredFile> {
    const row = await db.row<StoredFileRow>(
      `INSERT INTO files (user_id, filename, relative_path, mime_type, kind, size_bytes, sha256, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'ready') RETURNING ${COLUMNS}`,
      [file.userId, file.filename, file.relativePath, file.mimeType, file.kind, file.sizeBytes, file.sha256],
    );
    return toStoredFile(row!);
  }

  /**
   * Locks the user's files' rows (in id order, FOR NO KEY UPDATE) until the
   * transaction ends, and returns the ids of those that exist.
   */
  async lockOwned(userId: string, ids: string[], db: SqlExecutor): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.rows<{ id: string }>(
      'SELECT id FROM files WHERE id = ANY($1::uuid[]) AND user_id = $2 ORDER BY id FOR NO KEY UPDATE',
      [ids, userId],
    );
    return rows.map((row) => row.id);
  }

  /** Locks a file's row for its deletion; undefined when the user has no such file. */
  async lockForDeletion(userId: string, id: string, db: SqlExecutor): Promise<StoredFile | undefined> {
    const row = await db.row<StoredFileRow>(`SELECT ${COLUMNS} FROM files WHERE id = $1 AND user_id = $2 FOR UPDATE`, [id, userId]);
    return row && toStoredFile(row);
  }

  async delete(userId: string, id: string, db: SqlExecutor): Promise<number> {
    return db.execute('DELETE FROM files WHERE id = $1 AND user_id = $2', [id, userId]);
  }

  /**
   * Records the file's copy in OpenAI Files unless one is recorded already;
   * returns the copy now recorded (undefined when the file is gone).
   */
  async recordUpstreamFile(userId: string, id: string, upstreamFileId: string): Promise<string | undefined> {
    const row = await this.sql.row<{ upstream_file_id: string }>(
      'UPDATE files SET upstream_file_id = COALESCE(upstream_file_id, $1) WHERE id = $2 AND user_id = $3 RETURNING upstream_file_id',
      [upstreamFileId, id, userId],
    );
    return row?.upstream_file_id;
  }

  /** The user's copies in OpenAI Files. */
  async upstreamFileIds(userId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ upstream_file_id: string }>(
      'SELECT upstream_file_id FROM files WHERE user_id = $1 AND upstream_file_id IS NOT NULL',
      [userId],
    );
    return rows.map((row) => row.upstream_file_id);
  }
}
