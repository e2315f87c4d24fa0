import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';

/**
 * Where uploaded bytes live. The default keeps them in PostgreSQL, so every
 * instance can serve every download; a disk or S3-compatible backend would
 * implement the same four operations. Bytes travel as streams both ways.
 */
/** Which file's bytes: its id and its owner. */
export interface FileRef {
  id: string;
  userId: string;
}

export abstract class FileStorage {
  /**
   * Stores the bytes as they stream in, inside the caller's transaction when
   * the backend supports one; resolves with the number of bytes stored.
   */
  abstract save(db: SqlExecutor, file: FileRef, content: AsyncIterable<Buffer>): Promise<number>;
  abstract stream(file: FileRef): AsyncIterable<Buffer>;
  abstract read(file: FileRef): Promise<Buffer>;
  /** Removes the bytes of a deleted file (a no-op where rows cascade). */
  abstract remove(file: FileRef): Promise<void>;
}

interface ChunkRow {
  data: Buffer;
}

export const CHUNK_BYTES = 256 * 1024;

@Injectable()
export class PostgresFileStorage extends FileStorage {
  constructor(private readonly sql: Sql) {
    super();
  }

  async save(db: SqlExecutor, file: FileRef, content: AsyncIterable<Buffer>): Promise<number> {
    let seq = 0;
    let stored = 0;
    const insert = async (data: Buffer) => {
      await db.execute('INSERT INTO file_chunks (file_id, user_id, seq, data) VALUES ($1, $2, $3, $4)', [file.id, file.userId, seq++, data]);
      stored += data.length;
    };
    // Cut into fixed-size chunks whatever sizes the pieces arrive in; at most one chunk is held at a time.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const piece of content) {
      let rest = piece;
      while (pendingBytes + rest.length >= CHUNK_BYTES) {
        const take = CHUNK_BYTES - pendingBytes;
        await insert(Buffer.concat([...pending, rest.subarray(0, take)]));
        rest = rest.subarray(take);
        pending = [];
        pendingBytes = 0;
      }
      if (rest.length > 0) {
        pending.push(rest);
        pendingBytes += rest.length;
      }
    }
    if (pendingBytes > 0) await insert(Buffer.concat(pending));
    return stored;
  }

  async *stream(file: FileRef): AsyncIterable<Buffer> {
    for (let seq = 0; ; seq++) {
      const chunk = await this.sql.row<ChunkRow>('SELECT data FROM file_chunks WHERE file_id = $1 AND user_id = $2 AND seq = $3', [
        file.id,
        file.userId,
        seq,
      ]);
      if (!chunk) return;
      yield chunk.data;
    }
  }

  async read(file: FileRef): Promise<Buffer> {
    const chunks = await this.sql.rows<ChunkRow>('SELECT data FROM file_chunks WHERE file_id = $1 AND user_id = $2 ORDER BY seq', [
      file.id,
      file.userId,
    ]);
    return Buffer.concat(chunks.map((chunk) => chunk.data));
  }

  async remove(): Promise<void> {
    // The chunks go with the file row (ON DELETE CASCADE).
  }
}
