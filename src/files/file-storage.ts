import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { FileChunk } from './file-chunk.entity.js';

/**
 * Where uploaded bytes live. The default keeps them in PostgreSQL, so every
 * instance can serve every download; a disk or S3-compatible backend would
 * implement the same four operations. Bytes travel as streams both ways.
 */
export abstract class FileStorage {
  /**
   * Stores the bytes as they stream in, inside the caller's transaction when
   * the backend supports one; resolves with the number of bytes stored.
   */
  abstract save(manager: EntityManager, file: { id: string; userId: string }, content: AsyncIterable<Buffer>): Promise<number>;
  abstract stream(fileId: string): AsyncIterable<Buffer>;
  abstract read(fileId: string): Promise<Buffer>;
  /** Removes the bytes of a deleted file (a no-op where rows cascade). */
  abstract remove(fileId: string): Promise<void>;
}

export const CHUNK_BYTES = 256 * 1024;

@Injectable()
export class PostgresFileStorage extends FileStorage {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async save(manager: EntityManager, file: { id: string; userId: string }, content: AsyncIterable<Buffer>): Promise<number> {
    let seq = 0;
    let stored = 0;
    const insert = async (data: Buffer) => {
      await manager.createQueryBuilder().insert().into(FileChunk).values({ fileId: file.id, userId: file.userId, seq: seq++, data }).execute();
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

  async *stream(fileId: string): AsyncIterable<Buffer> {
    for (let seq = 0; ; seq++) {
      const rows = (await this.dataSource.query('SELECT data FROM file_chunks WHERE file_id = $1 AND seq = $2', [
        fileId,
        seq,
      ])) as Array<{ data: Buffer }>;
      if (rows.length === 0) return;
      yield rows[0].data;
    }
  }

  async read(fileId: string): Promise<Buffer> {
    const rows = (await this.dataSource.query('SELECT data FROM file_chunks WHERE file_id = $1 ORDER BY seq', [
      fileId,
    ])) as Array<{ data: Buffer }>;
    return Buffer.concat(rows.map((row) => row.data));
  }

  async remove(): Promise<void> {
    // The chunks go with the file row (ON DELETE CASCADE).
  }
}
