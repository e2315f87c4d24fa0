import { Inject, Injectable } from '@nestjs/common';
import type { Assistant } from '../assistants/assistant.entity.js';
import { AssistantsRepository } from '../assistants/assistants.repository.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { Transactions } from '../database/sql.js';
import { FilesService } from '../files/files.service.js';
import type { FileStatus, StoredFile } from '../files/stored-file.entity.js';
import { StoredFilesRepository } from '../files/stored-files.repository.js';
import type { IndexingState, UserLlm } from '../llm/user-llm.js';
import type { ClaimedJob } from '../upstream-sync/upstream-jobs.service.js';
import { backoffMs } from '../llm/retry-rule.js';
import type { JobOutcome } from '../upstream-sync/upstream-worker.js';
import { AssistantDocumentsRepository, type AssistantDocumentsStore } from './assistant-documents.repository.js';
import { UpstreamLlm } from './upstream-llm.js';
import { upstreamName } from './upstream-names.js';
import { UpstreamQueue } from './upstream-queue.js';

/** How long a job may take to create an assistant's vector store before another may try (a crashed job's claim runs out). */
const VECTOR_STORE_CLAIM_SECONDS = 120;
/** How soon a job waiting for another job to create the vector store looks again. */
const VECTOR_STORE_WAIT_MS = 250;

export interface IndexPayload {
  assistantId: string;
  fileId: string;
  phase?: 'attach' | 'poll';
  polls?: number;
}

/** The job's payload as this service queued it (jsonb read back). */
function indexPayload(payload: Record<string, unknown>): IndexPayload {
  const { assistantId, fileId, phase, polls } = payload;
  return {
    assistantId: String(assistantId),
    fileId: String(fileId),
    phase: phase === 'poll' ? 'poll' : 'attach',
    polls: typeof polls === 'number' ? polls : undefined,
  };
}

/** The assistant's vector store, or why there is none to attach to. */
type VectorStoreLookup = { vectorStoreId: string } | { creatingElsewhere: true } | { assistantGone: true };

const STATUS_OF: Record<IndexingState['status'], FileStatus> = { in_progress: 'processing', completed: 'ready', failed: 'failed' };

/**
 * The `index_file` job: uploads a document to OpenAI Files, attaches it to
 * its assistant's vector store (created with the first document) and waits
 * for the indexing. A document may be detached or deleted meanwhile; so that
 * no copy is forgotten there, each step records its result where a removal
 * meets it: the uploaded file's id by a conditional update of the file's row,
 * the vector store's by one of the assistant's row, and a new attachment is
 * checked again under the file's row lock (see DocumentAttachments).
 */
@Injectable()
export class DocumentIndexing {
  constructor(
    @Inject(AssistantDocumentsRepository) private readonly attachments: AssistantDocumentsStore,
    private readonly assistants: AssistantsRepository,
    private readonly storedFiles: StoredFilesRepository,
    private readonly files: FilesService,
    private readonly transactions: Transactions,
    private readonly queue: UpstreamQueue,
    private readonly llm: UpstreamLlm,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  async run(job: ClaimedJob): Promise<JobOutcome> {
    const payload = indexPayload(job.payload);
    const attachment = await this.attachments.find(job.userId, payload.assistantId, payload.fileId);
    if (!attachment) return { done: true };
    // An assistant in the trash keeps its documents indexed, for when it is restored.
    const assistant = await this.assistants.findStored(job.userId, payload.assistantId);
    const file = await this.storedFiles.findOwned(job.userId, payload.fileId);
    if (!assistant || !file) return { done: true };
    const llm = await this.llm.forUser(job.userId);

    const polls = payload.polls ?? 0;
    const pollLater: JobOutcome = { retryInMs: backoffMs(polls + 1, 250), payload: { ...payload, phase: 'poll', polls: polls + 1 } };
    if (payload.phase === 'poll' && assistant.vectorStoreId && file.upstreamFileId) {
      const state = await llm.indexingState(assistant.vectorStoreId, file.upstreamFileId);
      if (state.status === 'in_progress') return pollLater;
      // Should the attachment be gone by now, whoever removed it knew this copy (it was checked after attaching).
      await this.recordState(job.userId, payload, state);
      return { done: true };
    }

    const upstreamFileId = await this.ensureUpstreamFile(file, llm);
    if (!upstreamFileId) return { done: true };
    const store = await this.ensureVectorStore(assistant, llm);
    if ('assistantGone' in store) return { done: true };
    // Waiting is no failed attempt: handing the payload back starts the attempt count over.
    if ('creatingElsewhere' in store) return { retryInMs: backoffMs(1, VECTOR_STORE_WAIT_MS), payload: job.payload };
    const copy = { vectorStoreId: store.vectorStoreId, upstreamFileId };
    const state = await llm.attachFile(copy.vectorStoreId, copy.upstreamFileId);
    const attached = await this.recordState(job.userId, payload, state);
    if (!attached) {
      // Detached or deleted while this job was at OpenAI, perhaps before the ids were recorded: the copy is ours to remove.
      await this.queue.enqueue([{ userId: job.userId, kind: 'detach_file', payload: copy }]);
      return { done: true };
    }
    return state.status === 'in_progress' ? pollLater : { done: true };
  }

  /** After the last try failed: the attachment is marked failed with the reason. */
  async giveUp(job: ClaimedJob, error: Error): Promise<void> {
    await this.recordState(job.userId, indexPayload(job.payload), { status: 'failed', error: error.message });
  }

  /**
   * The file's copy in OpenAI Files, uploaded once per file under the name
   * its content calls for. The id is recorded only on the file's row as it
   * still is: a concurrent upload's copy wins over this one, and a deleted
   * file records nothing; the unrecorded copy is removed again. Undefined
   * when the file is gone.
   */
  private async ensureUpstreamFile(file: StoredFile, llm: UserLlm): Promise<string | undefined> {
    if (file.upstreamFileId) return file.upstreamFileId;
    const uploaded = await llm.uploadFile(upstreamName(file), await this.files.bytes(file));
    const upstreamFileId = await this.storedFiles.recordUpstreamFile(file.userId, file.id, uploaded);
    if (upstreamFileId !== uploaded) {
      await this.queue.enqueue([{ userId: file.userId, kind: 'delete_upstream_file', payload: { upstreamFileId: uploaded } }]);
    }
    return upstreamFileId;
  }

  /**
   * One vector store per assistant, created with its first document by the
   * one job that claims the creation; the others wait for it.
   *
   * The claim is a lease on the assistant's row (`vector_store_claimed_until`)
   * rather than an advisory or row lock: a lock would have to be held on a
   * pooled connection for as long as OpenAI takes to answer, and each job
   * waiting for it would pin another one, so a batch of documents could take
   * the whole pool. The lease costs two short statements, and runs out if its
   * job dies. Should a creation outlast it, the store is still recorded only
   * where none is yet, and the one not recorded is deleted again.
   */
  private async ensureVectorStore(assistant: Assistant, llm: UserLlm): Promise<VectorStoreLookup> {
    if (assistant.vectorStoreId) return { vectorStoreId: assistant.vectorStoreId };
    const { id, userId } = assistant;
    if (!(await this.assistants.claimVectorStore(userId, id, VECTOR_STORE_CLAIM_SECONDS))) {
      const current = await this.assistants.findStored(userId, id);
      if (!current) return { assistantGone: true };
      return current.vectorStoreId ? { vectorStoreId: current.vectorStoreId } : { creatingElsewhere: true };
    }

    let created: string;
    try {
      created = await llm.createVectorStore(assistant.name, { assistant_id: id });
    } catch (error) {
      // The next job may try at once rather than when the lease runs out (which it still does if this fails too).
      await this.assistants
        .releaseVectorStoreClaim(userId, id)
        .catch((releaseError: unknown) => this.logger.warn({ err: releaseError, assistantId: id }, 'could not release a vector store claim'));
      throw error;
    }
    const vectorStoreId = await this.assistants.recordVectorStore(userId, id, created);
    if (vectorStoreId !== created) {
      await this.queue.enqueue([{ userId, kind: 'delete_vector_store', payload: { vectorStoreId: created } }]);
    }
    return vectorStoreId ? { vectorStoreId } : { assistantGone: true };
  }

  /**
   * Records how the attachment's indexing stands, under its file's row lock
   * (which also tells a detach or deletion that came first); false when the
   * attachment or its file is gone.
   */
  private recordState(userId: string, payload: IndexPayload, state: IndexingState): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      if ((await this.storedFiles.lockOwned(userId, [payload.fileId], tx)).length === 0) return false;
      const error = state.status === 'failed' ? state.error : null;
      if (!(await this.attachments.setState(userId, payload.assistantId, payload.fileId, STATUS_OF[state.status], error, tx))) return false;
      await this.attachments.refreshFileStatus(userId, [payload.fileId], tx);
      return true;
    });
  }
}
