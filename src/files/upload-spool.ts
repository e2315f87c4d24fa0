import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../common/errors/domain-error.js';
import { ContentProbe, isZipStart, type ContentSample } from './content-sample.js';
import { safeFileName } from './file-names.js';
import { zipEntryNamesInFile } from './zip-entries.js';

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** What one request may keep: its own limits and what is left of the user's. */
export interface UploadBudget {
  maxFileBytes: number;
  maxFiles: number;
  /** The user's storage quota less what they already store, when the request began. */
  remainingBytes: number;
  quotaBytes: number;
  /** The files the user may still add, when the request began. */
  remainingFiles: number;
  quotaFiles: number;
}

export interface IncomingFileMeta {
  /** The form field that carried it (multipart) or "files" (server folder). */
  fieldName: string;
  originalName: string;
  relativePath?: string | null;
  claimedType?: string;
}

/** A file received whole, waiting on disk to be typed and stored. */
export interface SpooledFile extends IncomingFileMeta {
  /** Where its bytes wait; removed with the spool. */
  path: string;
  sample: ContentSample;
}

export function storageQuotaExceeded(quotaBytes: number): DomainError {
  return new DomainError('storage_quota_exceeded', `Storing these files would exceed your ${megabytes(quotaBytes)} storage; delete some files first`);
}

export function fileCountExceeded(quotaFiles: number): DomainError {
  return new DomainError('file_count_exceeded', `One account may keep at most ${quotaFiles} files; delete some files first`);
}

export function tooManyFiles(maxFiles: number): DomainError {
  return new DomainError('too_many_files', `At most ${maxFiles} files per request`);
}

export function fileTooLarge(originalName: string, maxFileBytes: number): DomainError {
  return new DomainError('payload_too_large', `${safeFileName(originalName)} is larger than ${megabytes(maxFileBytes)}`);
}

/**
 * The files of one upload on their way in: each streams to its own file in
 * the spool's temporary folder, counted against the request's budget as it
 * flows, so no file is ever held in memory and a refused upload stops at the
 * byte that broke a limit. Disposing the spool removes everything it holds.
 */
export class UploadSpool {
  private readonly received: SpooledFile[] = [];
  private started = 0;
  private keptBytes = 0;

  constructor(
    readonly dir: string,
    private readonly budget: UploadBudget,
    /** Waits while the user's transfer allowance is spent (TransferPacer); bytes pass on after it. */
    private readonly pace: (bytes: number) => Promise<void> = async () => undefined,
  ) {}

  /** The files received so far, in the order they were claimed. */
  get files(): SpooledFile[] {
    return this.received.filter((file) => file !== undefined);
  }

  /**
   * Claims a place for one more file, before any of its bytes are read;
   * throws when the request or the user may not have another.
   */
  claim(): number {
    if (this.started >= this.budget.maxFiles) throw tooManyFiles(this.budget.maxFiles);
    if (this.started >= this.budget.remainingFiles) throw fileCountExceeded(this.budget.quotaFiles);
    return this.started++;
  }

  /** Streams one file to disk (see claim for `slot`); resolves once it is written and sampled. */
  async receive(slot: number, source: Readable, meta: IncomingFileMeta): Promise<SpooledFile> {
    const path = join(this.dir, String(slot));
    const probe = new ContentProbe();
    const meter = new Transform({
      transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
        const error = this.count(meta.originalName, probe, chunk);
        if (error) return callback(error);
        probe.update(chunk);
        this.pace(chunk.length).then(() => callback(null, chunk), callback);
      },
    });
    await pipeline(source, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    let sample = probe.finish();
    if (isZipStart(sample.head)) {
      const file = await open(path, 'r');
      try {
        sample = { ...sample, zipEntryNames: await zipEntryNamesInFile(file, sample.size) };
      } finally {
        await file.close();
      }
    }
    const spooled: SpooledFile = { ...meta, path, sample };
    this.received[slot] = spooled;
    return spooled;
  }

  /** Removes the spool's folder with whatever it holds. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The error a chunk would cause, or undefined once it is counted. */
  private count(originalName: string, probe: ContentProbe, chunk: Buffer): DomainError | undefined {
    const { maxFileBytes, remainingBytes, quotaBytes } = this.budget;
    if (probe.bytesSeen + chunk.length > maxFileBytes) return fileTooLarge(originalName, maxFileBytes);
    if (this.keptBytes + chunk.length > remainingBytes) return storageQuotaExceeded(quotaBytes);
    this.keptBytes += chunk.length;
    return undefined;
  }
}
