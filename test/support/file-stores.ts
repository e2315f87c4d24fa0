import type { DataSource } from 'typeorm';
import { TestS3Server } from './s3-server.js';

/**
 * One way of storing file bytes, as the file tests see it: the settings that
 * choose it and the files whose bytes it holds, named `<userId>/<fileId>`
 * whatever the store (rows of file_chunks in PostgreSQL, objects in S3).
 */
export interface FileStoreUnderTest {
  name: 'postgres' | 's3';
  env(): Record<string, string>;
  storedKeys(dataSource: DataSource, userId: string): Promise<string[]>;
  /** The S3 protocol server behind the store, where there is one. */
  s3?: TestS3Server;
  stop(): Promise<void>;
}

async function chunkKeys(dataSource: DataSource, userId: string): Promise<string[]> {
  const rows: Array<{ file_id: string }> = await dataSource.query('SELECT DISTINCT file_id FROM file_chunks WHERE user_id = $1', [userId]);
  return rows.map((row) => `${userId}/${row.file_id}`).sort();
}

export async function startFileStore(name: 'postgres' | 's3'): Promise<FileStoreUnderTest> {
  if (name === 'postgres') {
    return { name, env: () => ({ FILE_STORAGE: 'postgres' }), storedKeys: chunkKeys, stop: async () => undefined };
  }
  const s3 = await TestS3Server.start();
  return {
    name,
    s3,
    env: () => s3.env(),
    storedKeys: async (dataSource, userId) => {
      // Nothing of an S3-stored file may be in the database.
      const inDatabase = await chunkKeys(dataSource, userId);
      if (inDatabase.length > 0) throw new Error(`file bytes in PostgreSQL with FILE_STORAGE=s3: ${inDatabase.join(', ')}`);
      return s3.keys(`${userId}/`);
    },
    stop: () => s3.stop(),
  };
}
