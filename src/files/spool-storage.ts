import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { rm } from 'node:fs/promises';
import type { UploadSpool } from './upload-spool.js';

type StoredInfo = Partial<Express.Multer.File>;

/**
 * multer's storage engine for uploads: each file part streams into the
 * request's spool on disk, never into memory. A place is claimed for it
 * before any byte is read (files per request, files the user may still add),
 * and its bytes are counted as they flow (the file limit, what is left of the
 * user's storage); a refusal fails the part, and multer ends the form with it.
 */
export class SpoolStorage implements StorageEngine {
  private readonly writes: Array<Promise<void>> = [];

  constructor(
    private readonly spool: UploadSpool,
    /** Called right after a part is refused, once multer has the refusal: the form is read no further. */
    private readonly onRefusal: () => void,
  ) {}

  _handleFile(_request: Request, file: Express.Multer.File, callback: (error: unknown, info?: StoredInfo) => void): void {
    let slot: number;
    try {
      slot = this.spool.claim();
    } catch (error) {
      return this.refuse(callback, error);
    }
    const meta = { fieldName: file.fieldname, originalName: file.originalname, claimedType: file.mimetype };
    this.writes.push(
      this.spool.receive(slot, file.stream, meta).then(
        (spooled) => callback(null, { path: spooled.path, size: spooled.sample.size }),
        (error: unknown) => this.refuse(callback, error),
      ),
    );
  }

  private refuse(callback: (error: unknown) => void, error: unknown): void {
    callback(error);
    this.onRefusal();
  }

  _removeFile(_request: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }

  /** Once every file begun has been written or has failed: nothing more is added to the spool. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.writes);
  }
}
