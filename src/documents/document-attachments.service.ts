import { Inject, Injectable } from '@nestjs/common';
import type { AssistantDocumentState } from '../assistants/assistant-documents.js';
import type { Assistant } from '../assistants/assistant.entity.js';
import { DomainError, notFound, type ErrorDetail } from '../common/errors/domain-error.js';
import type { SqlExecutor } from '../database/sql.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { StoredFilesRepository } from '../files/stored-files.repository.js';
import { AssistantDocumentsRepository, type AssistantDocumentsStore } from './assistant-documents.repository.js';
import { UpstreamQueue, type JobQueue } from './upstream-queue.js';

/** What attaching needs of stored files: their row locks. */
export type FileLocks = Pick<StoredFilesRepository, 'lockOwned'>;

/**
 * The rules of attaching documents to assistants. Attaching records the
 * intent at once and queues the upstream work (upload, attach, wait for
 * indexing, see DocumentIndexing); detaching queues the removal of the
 * copies. Every change takes the files' row locks first, in id order, as
 * indexing does to record a copy and as a file's deletion does: so each copy
 * is either known to the detach (and removed by the job it queues) or
 * removed by the job that made it, which then finds its attachment gone.
 */
@Injectable()
export class DocumentAttachments {
  constructor(
    @Inject(AssistantDocumentsRepository) private readonly attachments: AssistantDocumentsStore,
    @Inject(StoredFilesRepository) private readonly files: FileLocks,
    @Inject(UpstreamQueue) private readonly queue: JobQueue,
  ) {}

  /** The attached file ids of each of the user's assistants, oldest attachment first. */
  async fileIdsByAssistant(userId: string, assistantIds: string[], db?: SqlExecutor): Promise<Map<string, string[]>> {
    const states = await this.documentsByAssistant(userId, assistantIds, db);
    return new Map([...states].map(([id, documents]) => [id, documents.map((document) => document.fileId)]));
  }

  /** The attached documents and their indexing states of each of the user's assistants, oldest attachment first. */
  async documentsByAssistant(userId: string, assistantIds: string[], db?: SqlExecutor): Promise<Map<string, AssistantDocumentState[]>> {
    const result = new Map<string, AssistantDocumentState[]>(assistantIds.map((id) => [id, []]));
    for (const row of await this.attachments.listForAssistants(userId, assistantIds, db)) {
      result.get(row.assistant_id)?.push({ fileId: row.file_id, status: row.status });
    }
    return result;
  }

  /**
   * Attaches the user's own documents to the assistant, in the caller's
   * transaction (images cannot be searched: 400). Only files not attached
   * yet are queued for indexing; returns their ids.
   */
  async attach(assistant: Assistant, files: StoredFile[], db: SqlExecutor): Promise<string[]> {
    const images = files.filter((file) => file.kind !== 'document');
    if (images.length > 0) {
      const details: ErrorDetail[] = images.map((file) => ({
        field: 'fileIds',
        message: `${file.filename} is an image; only documents can be searched by an assistant`,
      }));
      throw new DomainError('validation_failed', details[0].message, details);
    }
    if (files.length === 0) return [];
    const { userId } = assistant;
    await this.files.lockOwned(
      userId,
      files.map((file) => file.id),
      db,
    );
    const attached = await this.attachments.insertMissing(
      userId,
      assistant.id,
      files.map((file) => file.id),
      db,
    );
    await this.queue.enqueue(
      attached.map((fileId) => ({ userId, kind: 'index_file' as const, payload: { assistantId: assistant.id, fileId, phase: 'attach' } })),
      db,
    );
    await this.attachments.refreshFileStatus(userId, attached, db);
    return attached;
  }

  /**
   * Detaches files from the assistant, in the caller's transaction; their
   * copies in its vector store are removed in the background. The copies' ids
   * are read under the files' row locks, not taken from the assistant as the
   * caller read it.
   */
  async detach(assistant: Assistant, fileIds: string[], db: SqlExecutor): Promise<void> {
    if (fileIds.length === 0) return;
    const { userId } = assistant;
    await this.files.lockOwned(userId, fileIds, db);
    const removed = await this.attachments.delete(userId, assistant.id, fileIds, db);
    // A statement of its own: it sees what indexing committed before the locks were granted.
    const copies = await this.attachments.copiesInAssistant(userId, assistant.id, removed, db);
    await this.queue.enqueue(
      copies.map((copy) => ({ userId, kind: 'detach_file' as const, payload: { ...copy } })),
      db,
    );
    await this.attachments.refreshFileStatus(userId, removed, db);
  }

  /** Detaches one document; 404 unless the file is attached to this assistant. */
  async detachOne(assistant: Assistant, fileId: string, db: SqlExecutor): Promise<void> {
    const attached = await this.fileIdsByAssistant(assistant.userId, [assistant.id], db);
    if (!attached.get(assistant.id)?.includes(fileId)) throw notFound('File');
    await this.detach(assistant, [fileId], db);
  }

  /** Queues the file's failed attachments for another try; how many there were. */
  async retry(file: StoredFile, db: SqlExecutor): Promise<number> {
    const { userId } = file;
    await this.files.lockOwned(userId, [file.id], db);
    const assistantIds = await this.attachments.resetFailed(userId, file.id, db);
    await this.queue.enqueue(
      assistantIds.map((assistantId) => ({ userId, kind: 'index_file' as const, payload: { assistantId, fileId: file.id, phase: 'attach' } })),
      db,
    );
    await this.attachments.refreshFileStatus(userId, [file.id], db);
    return assistantIds.length;
  }
}
