import type { Readable } from 'node:stream';
import type { SqlExecutor } from '../database/sql.js';

/** Which file's bytes: its id and its owner. */
export interface FileRef {
  id: string;
  userId: string;
}

/** The size of the pieces a spooled file is read in on its way to the store. */
export const READ_PIECE_BYTES = 64 * 1024;

/**
 * Where uploaded bytes live: in PostgreSQL (the default, postgres-bytes-store.ts)
 * or in an S3-compatible service (s3-bytes-store.ts), chosen by FILE_STORAGE.
 * Bytes travel as streams both ways; no implementation holds a whole file.
 */
export abstract class FileBytesStore {
  /**
   * True where the bytes go with their file's row (deleting the row deletes
   * them); false where they must be removed after it (see FileByteDeletions).
   */
  abstract readonly removedWithRows: boolean;

  /**
   * Stores the bytes as they stream in, inside the caller's transaction when
   * the store supports one; resolves with the number of bytes stored.
   */
  abstract save(db: SqlExecutor, file: FileRef, content: Readable): Promise<number>;

  /** The file's bytes, read as they are consumed. */
  abstract stream(file: FileRef): AsyncIterable<Buffer>;

  /** Removes one file's bytes; removing bytes already gone succeeds. */
  abstract remove(file: FileRef): Promise<void>;

  /** Removes every byte stored for the owner (their account is gone). */
  abstract removeOwner(userId: string): Promise<void>;
}
