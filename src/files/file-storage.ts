import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { FileChunk } from './file-chunk.entity.js';

/**
 * Where uploaded bytes live. The default keeps them in PostgreSQL, so every
 * instance can serve every download; a disk or S3-compatible backend would
 * implement the same four operations.
 */
export abstract class FileStorage {
  /** Stores the bytes, inside the caller's transaction when the backend supports one. */
  abstract save(manager: EntityManager, file: { id: string; userId: string }, bytes: Buffer): Promise<void>;
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

  async save(manager: EntityManager, file: { id: string; userId: string }, bytes: Buffer): Promise<void> {
    const chunks: Array<Partial<FileChunk>> = [];
    for (let offset = 0, seq = 0; offset < bytes.length; offset += CHUNK_BYTES, seq++) {
      chunks.push({ fileId: file.id, userId: file.userId, seq, data: bytes.subarray(offset, offset + CHUNK_BYTES) });
    }
    // A few chunks per statement keeps each insert's parameters small.
    for (let index = 0; index < chunks.length; index += 8) {
      await manager.createQueryBuilder().insert().into(FileChunk).values(chunks.slice(index, index + 8)).execute();
    }
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
