import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { UpstreamJobsService, type NewJob } from '../upstream-sync/upstream-jobs.service.js';
import { UpstreamWorker } from '../upstream-sync/upstream-worker.js';
import { detectContentType, UnsupportedFileType, type DetectedType } from './content-type.js';
import { zipOfFiles } from './file-archive.js';
import { safeFileName, safeRelativePath } from './file-names.js';
import { CHUNK_BYTES, FileStorage } from './file-storage.js';
import type { FileAttachmentResponse, FileResponse } from './files.dto.js';
import { StoredFile } from './stored-file.entity.js';
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

export interface FileListFilter {
  assistantId?: string;
  kind?: 'document' | 'image';
  limit: number;
  offset: number;
}

@Injectable()
export class FilesService {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
    private readonly jobs: UpstreamJobsService,
    private readonly worker: UpstreamWorker,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Types a file by its content; throws a 415 for what the platform does not accept. */
  accept(incoming: IncomingFile): AcceptedFile {
    if (incoming.sample.size > this.config.uploads.maxFileBytes) throw fileTooLarge(incoming.originalName, this.config.uploads.maxFileBytes);
    try {
      return { incoming, type: detectContentType(incoming.sample, incoming.originalName, incoming.claimedType) };
    } catch (error) {
      if (error instanceof UnsupportedFileType) {
        throw new DomainError('unsupported_media_type', `${safeFileName(incoming.originalName)}: ${error.message}`);
      }
      throw error;
    }
  }

  /** What the user stores now: bytes and files. */
  async usage(userId: string): Promise<StorageUsage> {
    const [row] = (await this.dataSource.query(
      'SELECT COALESCE(sum(size_bytes), 0)::bigint AS bytes, count(*)::int AS files FROM files WHERE user_id = $1',
      [userId],
    )) as Array<{ bytes: string; files: number }>;
    return { bytes: Number(row.bytes), files: row.files };
  }

  /**
   * Stores accepted files in one transaction (all or nothing), within the
   * user's storage quota and file count; the bytes stream from where they
   * wait. `afterInsert` runs in the same transaction.
   */
  async store(
    userId: string,
    accepted: AcceptedFile[],
    afterInsert?: (manager: EntityManager, files: StoredFile[]) => Promise<void>,
  ): Promise<StoredFile[]> {
    const { maxFilesPerRequest, maxBytesPerUser, maxFilesPerUser } = this.config.uploads;
    if (accepted.length > maxFilesPerRequest) throw tooManyFiles(maxFilesPerRequest);
    const stored = await this.dataSource.transaction(async (manager) => {
      // Serializes a user's uploads so the quota checks cannot be raced (the
      // upload was cut against the quota as it streamed; this is the last word).
      await manager.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const [{ used, count }] = (await manager.query(
        'SELECT COALESCE(sum(size_bytes), 0)::bigint AS used, count(*)::int AS count FROM files WHERE user_id = $1',
        [userId],
      )) as Array<{ used: string; count: number }>;
      const incomingBytes = accepted.reduce((total, file) => total + file.incoming.sample.size, 0);
      if (Number(used) + incomingBytes > maxBytesPerUser) throw storageQuotaExceeded(maxBytesPerUser);
      if (count + accepted.length > maxFilesPerUser) throw fileCountExceeded(maxFilesPerUser);
      const rows: StoredFile[] = [];
      for (const { incoming, type } of accepted) {
        const file = await manager.save(
          manager.create(StoredFile, {
            userId,
            filename: safeFileName(incoming.originalName),
            relativePath: incoming.relativePath ? safeRelativePath(incoming.relativePath) : null,
            mimeType: type.mimeType,
            kind: type.kind,
            sizeBytes: incoming.sample.size,
            sha256: incoming.sample.sha256,
            status: 'ready',
            statusError: null,
            upstreamFileId: null,
          }),
        );
        const bytes = await this.storage.save(manager, file, createReadStream(incoming.path, { highWaterMark: CHUNK_BYTES }));
        // The bytes on disk are the ones sampled; anything else is a broken spool, not an upload to keep.
        if (bytes !== incoming.sample.size) throw new Error(`stored ${bytes} bytes of ${incoming.sample.size} for ${file.id}`);
        rows.push(file);
      }
      await afterInsert?.(manager, rows);
      return rows;
    });
    this.worker.nudge();
    return stored;
  }

  /** The user's file, or 404 whether it does not exist or belongs to someone else. */
  async findOwned(userId: string, id: string): Promise<StoredFile> {
    const file = await this.files.findOneBy({ id, userId });
    if (!file) throw notFound('File');
    return file;
  }

  /** All of the given files, or 404 naming the first that is not the user's. */
  async findOwnedMany(userId: string, ids: string[]): Promise<StoredFile[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.files.findBy({ id: In(unique), userId });
    const byId = new Map(found.map((file) => [file.id, file]));
    const missing = unique.find((id) => !byId.has(id));
    if (missing) throw new DomainError('not_found', `File ${missing} not found`, [{ field: 'fileIds', message: `File ${missing} not found` }]);
    return unique.map((id) => byId.get(id)!);
  }

  /** Those of the given files that still exist, in the given order. */
  async findExisting(userId: string, ids: string[]): Promise<StoredFile[]> {
    if (ids.length === 0) return [];
    const found = await this.files.findBy({ id: In(ids), userId });
    const byId = new Map(found.map((file) => [file.id, file]));
    return ids.map((id) => byId.get(id)).filter((file): file is StoredFile => file !== undefined);
  }

  async list(userId: string, filter: FileListFilter): Promise<[StoredFile[], number]> {
    const query = this.files
      .createQueryBuilder('file')
      .where('file.user_id = :userId', { userId })
      .orderBy('file.created_at', 'DESC')
      .addOrderBy('file.id', 'DESC')
      .take(filter.limit)
      .skip(filter.offset);
    if (filter.kind) query.andWhere('file.kind = :kind', { kind: filter.kind });
    if (filter.assistantId) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM assistant_files af WHERE af.file_id = file.id AND af.assistant_id = :assistantId AND af.user_id = :userId)',
        { assistantId: filter.assistantId },
      );
    }
    return query.getManyAndCount();
  }

  content(file: StoredFile): AsyncIterable<Buffer> {
    return this.storage.stream(file.id);
  }

  bytes(file: StoredFile): Promise<Buffer> {
    return this.storage.read(file.id);
  }

  /** The files as one zip archive, streamed from storage. */
  archive(files: StoredFile[]): Readable {
    return zipOfFiles(files, (file) => this.content(file));
  }

  /**
   * Deletes the file here at once; its copies at OpenAI (in vector stores and
   * in Files) are removed in the background. The copies' ids are read under
   * the file's row lock, which indexing also takes to record each copy (see
   * AssistantFilesService): a copy made after this point is removed by the
   * job that made it, as that job then finds the file gone.
   */
  async delete(userId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [file] = (await manager.query('SELECT upstream_file_id FROM files WHERE id = $1 AND user_id = $2 FOR UPDATE', [
        id,
        userId,
      ])) as Array<{ upstream_file_id: string | null }>;
      if (!file) throw notFound('File');
      const jobs: NewJob[] = [];
      const upstreamFileId = file.upstream_file_id;
      if (upstreamFileId) {
        const stores = (await manager.query(
          `SELECT a.vector_store_id FROM assistant_files af JOIN assistants a ON a.id = af.assistant_id
           WHERE af.file_id = $1 AND af.user_id = $2 AND a.vector_store_id IS NOT NULL`,
          [id, userId],
        )) as Array<{ vector_store_id: string }>;
        for (const { vector_store_id } of stores) {
          jobs.push({ userId, kind: 'detach_file', payload: { vectorStoreId: vector_store_id, upstreamFileId } });
        }
        jobs.push({ userId, kind: 'delete_upstream_file', payload: { upstreamFileId } });
      }
      await this.jobs.enqueue(jobs, manager);
      await manager.delete(StoredFile, { id, userId });
    });
    await this.storage.remove(id);
    this.worker.nudge();
  }

  /** Attachment states of the given files, by file id. */
  async attachments(userId: string, fileIds: string[]): Promise<Map<string, FileAttachmentResponse[]>> {
    const result = new Map<string, FileAttachmentResponse[]>();
    if (fileIds.length === 0) return result;
    const rows = (await this.dataSource.query(
      `SELECT file_id, assistant_id, status, error FROM assistant_files
       WHERE user_id = $1 AND file_id = ANY($2::uuid[]) ORDER BY created_at`,
      [userId, fileIds],
    )) as Array<{ file_id: string; assistant_id: string; status: FileAttachmentResponse['status']; error: string | null }>;
    for (const row of rows) {
      const list = result.get(row.file_id) ?? [];
      list.push({ assistantId: row.assistant_id, status: row.status, error: row.error });
      result.set(row.file_id, list);
    }
    return result;
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
