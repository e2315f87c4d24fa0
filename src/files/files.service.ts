import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { ConcurrencyLimit } from '../common/concurrency-limit.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import type { KeysetPage } from '../database/keyset-page.js';
import { detectContentType, UnsupportedFileType, type DetectedType, type FileKind } from './content-type.js';
import { zipOfFiles } from './file-archive.js';
import { TransferPacer } from './transfer-pacer.js';
import { FileHooks } from './file-hooks.js';
import { safeFileName, safeRelativePath } from './file-names.js';
import { FileByteDeletions } from './file-byte-deletions.js';
import { FileBytesStore, READ_PIECE_BYTES, type FileRef } from './file-bytes-store.js';
import type { FileAttachmentResponse, FileResponse } from './files.dto.js';
import type { StoredFile } from './stored-file.entity.js';
import { StoredFilesRepository } from './stored-files.repository.js';
import { fileCountExceeded, fileTooLarge, storageQuotaExceeded, tooManyFiles, type SpooledFile } from './upload-spool.js';

/** A file received whole (on disk, sampled as it streamed), not yet stored. */
export type IncomingFile = Pick<SpooledFile, 'originalName' | 'relativePath' | 'claimedType' | 'path' | 'sample'>;

export interface StorageUsage {
  bytes: number;
  files: number;
}

export interface AcceptedFile {
  incoming: IncomingFile;
  type: DetectedType;
}

/** The files of an upload, in the order sent (each content once), and those among them stored before. */
export interface StoredUpload {
  files: StoredFile[];
  existingIds: string[];
}

export interface FileListFilter {
  assistantId?: string;
  kind?: 'document' | 'image';
  limit: number;
  offset: number;
}

@Injectable()
export class FilesService {
  /**
   * Uploads being stored at once on this instance: at most half the
   * database connections, users served in turn. Storing holds a connection
   * while the bytes go in, and a user's uploads wait for each other on the
   * user's row; without this bound one user's parallel uploads could hold
   * every connection while they queue, and every other request would wait.
   */
  private readonly storing: ConcurrencyLimit;

  constructor(
    private readonly files: StoredFilesRepository,
    private readonly transactions: Transactions,
    private readonly storage: FileBytesStore,
    private readonly deletions: FileByteDeletions,
    private readonly hooks: FileHooks,
    private readonly pacer: TransferPacer,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.storing = new ConcurrencyLimit(Math.max(1, Math.floor(config.database.poolSize / 2)));
  }

  /** Types a file by its content; throws a 415 for what the platform does not accept. */
  async accept(incoming: IncomingFile): Promise<AcceptedFile> {
    if (incoming.sample.size > this.config.uploads.maxFileBytes) throw fileTooLarge(incoming.originalName, this.config.uploads.maxFileBytes);
    try {
      return { incoming, type: await detectContentType(incoming.sample, incoming.originalName, incoming.claimedType) };
    } catch (error) {
      if (error instanceof UnsupportedFileType) {
        throw new DomainError('unsupported_media_type', `${safeFileName(incoming.originalName)}: ${error.message}`);
      }
      throw error;
    }
  }

  /** What the user stores now: bytes and files. */
  usage(userId: string): Promise<StorageUsage> {
    return this.files.usage(userId);
  }

  /**
   * Stores accepted files in one transaction (all or nothing), within the
   * user's storage quota and file count; the bytes stream from where they
   * wait. A file whose content the user already stores (same SHA-256) is not
   * stored again: the stored one answers for it. `afterInsert` runs in the
   * same transaction with every file of the upload, stored now or before.
   */
  async store(
    userId: string,
    accepted: AcceptedFile[],
    afterInsert?: (db: SqlExecutor, files: StoredFile[]) => Promise<void>,
  ): Promise<StoredUpload> {
    const { maxFilesPerRequest } = this.config.uploads;
    if (accepted.length > maxFilesPerRequest) throw tooManyFiles(maxFilesPerRequest);
    // Bytes stored outside the database do not roll back with it: they are removed if the transaction fails.
    const saved: FileRef[] = [];
    try {
      return await this.storing.run(() => this.storeAll(userId, accepted, saved, afterInsert), userId);
    } catch (error) {
      await this.deletions.discard(saved);
      throw error;
    }
  }

  private storeAll(
    userId: string,
    accepted: AcceptedFile[],
    saved: FileRef[],
    afterInsert?: (db: SqlExecutor, files: StoredFile[]) => Promise<void>,
  ): Promise<StoredUpload> {
    const { maxBytesPerUser, maxFilesPerUser } = this.config.uploads;
    return this.transactions.run(async (tx) => {
      // Serializes a user's uploads so the quota checks and the search for the
      // same content cannot be raced (the upload was cut against the quota as
      // it streamed; this is the last word).
      await this.files.lockUploads(userId, tx);
      const hashes = [...new Set(accepted.map((file) => file.incoming.sample.sha256))];
      const known = new Map((await this.files.findOwnedByContent(userId, hashes, tx)).map((file) => [file.sha256, file]));
      const existingIds = [...known.values()].map((file) => file.id);
      const fresh = accepted.filter((file, index) => {
        const { sha256 } = file.incoming.sample;
        return !known.has(sha256) && accepted.findIndex((other) => other.incoming.sample.sha256 === sha256) === index;
      });
      const used = await this.files.usage(userId, tx);
      const incomingBytes = fresh.reduce((total, file) => total + file.incoming.sample.size, 0);
      if (used.bytes + incomingBytes > maxBytesPerUser) throw storageQuotaExceeded(maxBytesPerUser);
      if (used.files + fresh.length > maxFilesPerUser) throw fileCountExceeded(maxFilesPerUser);
      for (const { incoming, type } of fresh) {
        const file = await this.files.insert(
          {
            userId,
            filename: safeFileName(incoming.originalName),
            relativePath: incoming.relativePath ? safeRelativePath(incoming.relativePath) : null,
            mimeType: type.mimeType,
            kind: type.kind,
            sizeBytes: incoming.sample.size,
            sha256: incoming.sample.sha256,
          },
          tx,
        );
        saved.push(file);
        const bytes = await this.storage.save(tx, file, createReadStream(incoming.path, { highWaterMark: READ_PIECE_BYTES }));
        // The bytes on disk are the ones sampled; anything else is a broken spool, not an upload to keep.
        if (bytes !== incoming.sample.size) throw new Error(`stored ${bytes} bytes of ${incoming.sample.size} for ${file.id}`);
        known.set(file.sha256, file);
      }
      const files = [...new Set(accepted.map((file) => known.get(file.incoming.sample.sha256)!))];
      await afterInsert?.(tx, files);
      return { files, existingIds: files.map((file) => file.id).filter((id) => existingIds.includes(id)) };
    });
  }

  /** The user's file, or 404 whether it does not exist or belongs to someone else. */
  async findOwned(userId: string, id: string): Promise<StoredFile> {
    const file = await this.files.findOwned(userId, id);
    if (!file) throw notFound('File');
    return file;
  }

  /** All of the given files, or 404 naming the first that is not the user's. */
  async findOwnedMany(userId: string, ids: string[]): Promise<StoredFile[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.files.findOwnedByIds(userId, unique);
    const byId = new Map(found.map((file) => [file.id, file]));
    const missing = unique.find((id) => !byId.has(id));
    if (missing) throw new DomainError('not_found', `File ${missing} not found`, [{ field: 'fileIds', message: `File ${missing} not found` }]);
    return unique.map((id) => byId.get(id)!);
  }

  /** Those of the given files that still exist, in the given order (in the caller's transaction when given one). */
  async findExisting(userId: string, ids: string[], db?: SqlExecutor): Promise<StoredFile[]> {
    const found = await this.files.findOwnedByIds(userId, ids, db);
    const byId = new Map(found.map((file) => [file.id, file]));
    return ids.map((id) => byId.get(id)).filter((file): file is StoredFile => file !== undefined);
  }

  /** A page of the user's files; `assistantId` keeps those attached to that assistant. */
  async list(userId: string, filter: FileListFilter): Promise<[StoredFile[], number]> {
    const ids = filter.assistantId ? await this.hooks.attachedTo(userId, filter.assistantId) : undefined;
    return this.files.page(userId, { kind: filter.kind, ids, limit: filter.limit, offset: filter.offset });
  }

  /** A page of the user's files by upload time (the OpenAI-style list). */
  keysetPage(userId: string, kind: FileKind | undefined, page: KeysetPage): Promise<{ files: StoredFile[]; hasMore: boolean }> {
    return this.files.keysetPage(userId, kind, page);
  }

  /** The file's bytes, paced for its owner (downloads, zips and copies to OpenAI alike). */
  content(file: StoredFile): AsyncIterable<Buffer> {
    return this.pacer.paced(file.userId, this.storage.stream(file));
  }

  /** The whole file in memory, for the callers that must hand it on whole (OpenAI Files). */
  async bytes(file: StoredFile): Promise<Buffer> {
    const pieces: Buffer[] = [];
    for await (const piece of this.content(file)) pieces.push(piece);
    return Buffer.concat(pieces);
  }

  /** The files as one zip archive, streamed from storage. */
  archive(files: StoredFile[]): Readable {
    return zipOfFiles(files, (file) => this.content(file));
  }

  /**
   * Deletes the file here at once, and its bytes with it (see FileByteDeletions
   * for bytes kept outside the database). The deletion hooks run in its transaction,
   * under the file's row lock (FOR UPDATE), before the row goes: features that
   * keep copies of the file elsewhere (documents, at OpenAI) queue their
   * clean-up there, and record new copies under the same lock.
   */
  async delete(userId: string, id: string): Promise<void> {
    const { file, bytesRecord } = await this.transactions.run(async (tx) => {
      const locked = await this.files.lockForDeletion(userId, id, tx);
      if (!locked) throw notFound('File');
      for (const hook of this.hooks.deletion) await hook.beforeDelete(locked, tx);
      await this.files.delete(userId, id, tx);
      return { file: locked, bytesRecord: await this.deletions.fileDeleting(locked, tx) };
    });
    await this.deletions.fileDeleted(file, bytesRecord);
    for (const hook of this.hooks.deletion) hook.afterDelete?.(file);
  }

  /** Attachment states of the given files, by file id. */
  attachments(userId: string, fileIds: string[]): Promise<Map<string, FileAttachmentResponse[]>> {
    if (fileIds.length === 0) return Promise.resolve(new Map());
    return this.hooks.attachmentsOf(userId, fileIds);
  }

  async toResponses(userId: string, files: StoredFile[]): Promise<FileResponse[]> {
    const attachments = await this.attachments(
      userId,
      files.map((file) => file.id),
    );
    return files.map((file) => toFileResponse(file, attachments.get(file.id) ?? []));
  }
}

export function toFileResponse(file: StoredFile, assistants: FileAttachmentResponse[]): FileResponse {
  return {
    id: file.id,
    filename: file.filename,
    relativePath: file.relativePath,
    mimeType: file.mimeType,
    kind: file.kind,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
    status: file.status,
    error: file.statusError,
    assistants,
    createdAt: file.createdAt.toISOString(),
    updatedAt: file.updatedAt.toISOString(),
  };
}
