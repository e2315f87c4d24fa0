import type { SqlExecutor } from '../../src/database/sql.js';
import type { AssistantDocumentRow, AssistantDocumentsStore, VectorStoreCopy } from '../../src/documents/assistant-documents.repository.js';
import type { FileLocks } from '../../src/documents/document-attachments.service.js';
import type { JobQueue } from '../../src/documents/upstream-queue.js';
import type { FileStatus } from '../../src/files/stored-file.entity.js';
import type { NewJob } from '../../src/upstream-sync/upstream-jobs.service.js';

export interface FakeFile {
  id: string;
  userId: string;
  upstreamFileId: string | null;
  status: FileStatus;
  statusError: string | null;
}

export interface FakeAssistant {
  id: string;
  userId: string;
  vectorStoreId: string | null;
}

/**
 * The tables documents work on, in memory: files, assistants and the
 * attachments between them, behind the real repository interfaces. Every
 * call is logged in order, so specs can check that locks come first.
 */
export class InMemoryDocuments implements AssistantDocumentsStore, FileLocks, JobQueue {
  readonly files = new Map<string, FakeFile>();
  readonly assistants = new Map<string, FakeAssistant>();
  attachments: AssistantDocumentRow[] = [];
  readonly jobs: NewJob[] = [];
  readonly calls: string[] = [];

  addFile(file: Partial<FakeFile> & Pick<FakeFile, 'id' | 'userId'>): FakeFile {
    const stored = { upstreamFileId: null, status: 'ready' as const, statusError: null, ...file };
    this.files.set(stored.id, stored);
    return stored;
  }

  addAssistant(assistant: Partial<FakeAssistant> & Pick<FakeAssistant, 'id' | 'userId'>): FakeAssistant {
    const stored = { vectorStoreId: null, ...assistant };
    this.assistants.set(stored.id, stored);
    return stored;
  }

  /** An attachment as indexing would have left it. */
  attach(userId: string, assistantId: string, fileId: string, status: FileStatus = 'ready', error: string | null = null): void {
    this.attachments.push({ assistant_id: assistantId, file_id: fileId, user_id: userId, status, error });
  }

  async lockOwned(userId: string, ids: string[], _db: SqlExecutor): Promise<string[]> {
    const locked = [...ids].sort().filter((id) => this.files.get(id)?.userId === userId);
    this.calls.push(`lock ${locked.join(',')}`);
    return locked;
  }

  async enqueue(jobs: NewJob[]): Promise<void> {
    this.jobs.push(...jobs);
  }

  async listForAssistants(userId: string, assistantIds: string[]): Promise<AssistantDocumentRow[]> {
    return this.attachments.filter((row) => row.user_id === userId && assistantIds.includes(row.assistant_id));
  }

  async listForFiles(userId: string, fileIds: string[]): Promise<AssistantDocumentRow[]> {
    return this.attachments.filter((row) => row.user_id === userId && fileIds.includes(row.file_id));
  }

  async find(userId: string, assistantId: string, fileId: string): Promise<AssistantDocumentRow | undefined> {
    return this.attachments.find((row) => row.user_id === userId && row.assistant_id === assistantId && row.file_id === fileId);
  }

  async insertMissing(userId: string, assistantId: string, fileIds: string[], _db: SqlExecutor): Promise<string[]> {
    this.calls.push(`insert ${fileIds.join(',')}`);
    const added: string[] = [];
    for (const fileId of fileIds) {
      if (this.attachments.some((row) => row.assistant_id === assistantId && row.file_id === fileId)) continue;
      this.attach(userId, assistantId, fileId, 'processing');
      added.push(fileId);
    }
    return added;
  }

  async delete(userId: string, assistantId: string, fileIds: string[], _db: SqlExecutor): Promise<string[]> {
    this.calls.push(`delete ${fileIds.join(',')}`);
    const gone = (row: AssistantDocumentRow) => row.user_id === userId && row.assistant_id === assistantId && fileIds.includes(row.file_id);
    const removed = this.attachments.filter(gone).map((row) => row.file_id);
    this.attachments = this.attachments.filter((row) => !gone(row));
    return removed;
  }

  async copiesInAssistant(userId: string, assistantId: string, fileIds: string[], _db: SqlExecutor): Promise<VectorStoreCopy[]> {
    const assistant = this.assistants.get(assistantId);
    if (!assistant?.vectorStoreId || assistant.userId !== userId) return [];
    const vectorStoreId = assistant.vectorStoreId;
    return fileIds
      .map((id) => this.files.get(id))
      .filter((file): file is FakeFile => file?.userId === userId && file.upstreamFileId !== null)
      .map((file) => ({ vectorStoreId, upstreamFileId: file.upstreamFileId! }));
  }

  async vectorStoresHolding(userId: string, fileId: string, _db: SqlExecutor): Promise<string[]> {
    return this.attachments
      .filter((row) => row.user_id === userId && row.file_id === fileId)
      .map((row) => this.assistants.get(row.assistant_id)?.vectorStoreId)
      .filter((id): id is string => typeof id === 'string');
  }

  async resetFailed(userId: string, fileId: string, _db: SqlExecutor): Promise<string[]> {
    const failed = this.attachments.filter((row) => row.user_id === userId && row.file_id === fileId && row.status === 'failed');
    for (const row of failed) Object.assign(row, { status: 'processing', error: null });
    return failed.map((row) => row.assistant_id);
  }

  async setState(userId: string, assistantId: string, fileId: string, status: FileStatus, error: string | null): Promise<boolean> {
    const row = await this.find(userId, assistantId, fileId);
    if (row) Object.assign(row, { status, error });
    return row !== undefined;
  }

  async refreshFileStatus(userId: string, fileIds: string[], _db: SqlExecutor): Promise<void> {
    for (const id of fileIds) {
      const file = this.files.get(id);
      if (!file || file.userId !== userId) continue;
      const rows = this.attachments.filter((row) => row.file_id === id && row.user_id === userId);
      const failed = rows.find((row) => row.status === 'failed');
      file.status = rows.some((row) => row.status === 'processing') ? 'processing' : failed ? 'failed' : 'ready';
      file.statusError = failed?.error ?? null;
    }
  }
}
