import { Inject, Injectable } from '@nestjs/common';
import { AssistantsRepository } from '../assistants/assistants.repository.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { SqlExecutor } from '../database/sql.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { StoredFilesRepository } from '../files/stored-files.repository.js';
import type { NewJob } from '../upstream-sync/upstream-jobs.service.js';
import type { JobHandler } from '../upstream-sync/upstream-worker.js';
import { AssistantDocumentsRepository, type AssistantDocumentsStore } from './assistant-documents.repository.js';
import { UpstreamLlm } from './upstream-llm.js';
import { UpstreamQueue, type JobQueue } from './upstream-queue.js';

/** Clean-up is retried longer than indexing: a copy left at OpenAI is never seen again. */
export const CLEANUP_ATTEMPTS = 20;
/** Upstream deletions run at once during an account's deletion. */
const PURGE_CONCURRENCY = 5;

/**
 * Removal of copies at OpenAI: queued in the transaction that makes them
 * unneeded (a file deleted, an assistant deleted), run in the background, or
 * at once when the account goes away with its key.
 */
@Injectable()
export class UpstreamCleanup {
  constructor(
    @Inject(AssistantDocumentsRepository) private readonly attachments: AssistantDocumentsStore,
    @Inject(AssistantsRepository) private readonly assistants: Pick<AssistantsRepository, 'vectorStoreIds'>,
    @Inject(StoredFilesRepository) private readonly storedFiles: Pick<StoredFilesRepository, 'upstreamFileIds'>,
    @Inject(UpstreamQueue) private readonly queue: JobQueue,
    @Inject(UpstreamLlm) private readonly llm: Pick<UpstreamLlm, 'forUser'>,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  /** The clean-up job kinds and what each does. */
  handlers(): Record<'detach_file' | 'delete_vector_store' | 'delete_upstream_file', JobHandler> {
    return {
      detach_file: {
        maxAttempts: CLEANUP_ATTEMPTS,
        run: async (job) => {
          const { vectorStoreId, upstreamFileId } = job.payload;
          await (await this.llm.forUser(job.userId)).detachFile(String(vectorStoreId), String(upstreamFileId));
          return { done: true };
        },
      },
      delete_vector_store: {
        maxAttempts: CLEANUP_ATTEMPTS,
        run: async (job) => {
          await (await this.llm.forUser(job.userId)).deleteVectorStore(String(job.payload.vectorStoreId));
          return { done: true };
        },
      },
      delete_upstream_file: {
        maxAttempts: CLEANUP_ATTEMPTS,
        run: async (job) => {
          await (await this.llm.forUser(job.userId)).deleteFile(String(job.payload.upstreamFileId));
          return { done: true };
        },
      },
    };
  }

  /**
   * A file is being deleted (its row locked FOR UPDATE): its copy in OpenAI
   * Files, and that copy in the vector stores of the assistants it is attached
   * to, are queued for removal. A copy recorded after this lock is removed by
   * the job that made it, as that job then finds the file gone.
   */
  async fileDeleted(file: StoredFile, db: SqlExecutor): Promise<void> {
    const { upstreamFileId, userId } = file;
    if (!upstreamFileId) return;
    const jobs: NewJob[] = (await this.attachments.vectorStoresHolding(userId, file.id, db)).map((vectorStoreId) => ({
      userId,
      kind: 'detach_file',
      payload: { vectorStoreId, upstreamFileId },
    }));
    jobs.push({ userId, kind: 'delete_upstream_file', payload: { upstreamFileId } });
    await this.queue.enqueue(jobs, db);
  }

  /** An assistant was deleted: its whole vector store goes. */
  async assistantDeleted(userId: string, vectorStoreId: string | null, db: SqlExecutor): Promise<void> {
    if (!vectorStoreId) return;
    await this.queue.enqueue([{ userId, kind: 'delete_vector_store', payload: { vectorStoreId } }], db);
  }

  /** Deletes upstream copies right away (an account is going away and its key with it). */
  async purge(userId: string): Promise<void> {
    const llm = await this.llm.forUser(userId).catch(() => undefined);
    if (!llm) return;
    const stores = await this.assistants.vectorStoreIds(userId);
    const files = await this.storedFiles.upstreamFileIds(userId);
    const work = [...stores.map((id) => () => llm.deleteVectorStore(id)), ...files.map((id) => () => llm.deleteFile(id))];
    for (let index = 0; index < work.length; index += PURGE_CONCURRENCY) {
      await Promise.all(
        work.slice(index, index + PURGE_CONCURRENCY).map((task) =>
          task().catch((error: unknown) => this.logger.warn({ err: error, userId }, 'upstream clean-up failed during account deletion')),
        ),
      );
    }
  }
}
