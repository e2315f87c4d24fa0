import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import { FileBytesStore, type FileRef } from './file-bytes-store.js';

interface ChunkRow {
  data: Buffer;
}

export const CHUNK_BYTES = 256 * 1024;

/**
 * Bytes in PostgreSQL (file_chunks), so every instance can serve every
 * download with nothing else to run; they go with their file's row
 * (ON DELETE CASCADE), and so with their owner's account.
 */
@Injectable()
export class PostgresBytesStore extends FileBytesStore {
  readonly removedWithRows = true;

  constructor(private readonly sql: Sql) {
    super();
  }

  async save(db: SqlExecutor, file: FileRef, content: Readable): Promise<number> {
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
      let rest: Buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece));
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

  async remove(): Promise<void> {
    // The chunks went with the file row (ON DELETE CASCADE).
  }

  async removeOwner(): Promise<void> {
    // The chunks went with the account's rows (ON DELETE CASCADE).
  }
}
