import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { UsersService } from '../auth/users.service.js';
import { DomainError, type ErrorDetail } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { FilesService } from '../files/files.service.js';
import { StoredFile, type FileStatus } from '../files/stored-file.entity.js';
import { LlmService } from '../llm/llm.service.js';
import type { IndexingState, UserLlm } from '../llm/user-llm.js';
import type { UpstreamJob } from '../upstream-sync/upstream-job.entity.js';
import { UpstreamJobsService, type NewJob } from '../upstream-sync/upstream-jobs.service.js';
import { backoffMs, UpstreamWorker, type JobOutcome } from '../upstream-sync/upstream-worker.js';
import { AssistantFile } from './assistant-file.entity.js';
import { Assistant } from './assistant.entity.js';

/** OpenAI's file_search reads these by extension; other text is sent as .txt. */
const SEARCHABLE_EXTENSIONS = new Set([
  '.c', '.cpp', '.cs', '.css', '.doc', '.docx', '.go', '.html', '.java', '.js', '.json', '.md', '.pdf', '.php',
  '.pptx', '.py', '.rb', '.sh', '.tex', '.ts', '.txt',
]);
const CLEANUP_ATTEMPTS = 20;
/** How long a job may take to create an assistant's vector store before another may try (a crashed job's claim runs out). */
const VECTOR_STORE_CLAIM_SECONDS = 120;
/** How soon a job waiting for another job to create the vector store looks again. */
const VECTOR_STORE_WAIT_MS = 250;

interface IndexPayload {
  assistantId: string;
  fileId: string;
  phase?: 'attach' | 'poll';
  polls?: number;
}

/** The assistant's vector store, or why there is none to attach to. */
type VectorStoreLookup = { vectorStoreId: string } | { creatingElsewhere: true } | { assistantGone: true };

const STATUS_OF: Record<IndexingState['status'], FileStatus> = { in_progress: 'processing', completed: 'ready', failed: 'failed' };

function upstreamName(file: StoredFile): string {
  const dot = file.filename.lastIndexOf('.');
  const extension = dot > 0 ? file.filename.slice(dot).toLowerCase() : '';
  return SEARCHABLE_EXTENSIONS.has(extension) ? file.filename : `${file.filename}.txt`;
}

/**
 * Documents attached to assistants and their copies in each assistant's
 * OpenAI vector store. Attaching records the intent at once; the upstream
 * work (upload, attach, wait for indexing) runs as background jobs.
 *
 * A document may be detached or deleted while its job is at OpenAI. So that
 * no copy is forgotten there, each step records its result where a removal
 * meets it: the uploaded file's id by a conditional update of the file's row,
 * the vector store's by one of the assistant's row, and a new attachment is
 * checked again under the file's row lock. A detach or a deletion reads the
 * ids under the same row locks, so each copy is either known to it (and
 * removed by the clean-up it queues) or removed by the job that made it.
 * (Deleting an assistant deletes its whole vector store.)
 */
@Injectable()
export class AssistantFilesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FilesService,
    private readonly users: UsersService,
    private readonly llm: LlmService,
    private readonly jobs: UpstreamJobsService,
    private readonly worker: UpstreamWorker,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  onModuleInit(): void {
    this.worker.register('index_file', {
      run: (job) => this.runIndexing(job),
      giveUp: async (job, error) => {
        await this.recordState(job.userId, job.payload as unknown as IndexPayload, { status: 'failed', error: error.message });
      },
    });
    this.worker.register('detach_file', {
      maxAttempts: CLEANUP_ATTEMPTS,
      run: async (job) => {
        const { vectorStoreId, upstreamFileId } = job.payload as { vectorStoreId: string; upstreamFileId: string };
        await (await this.llmFor(job.userId)).detachFile(vectorStoreId, upstreamFileId);
        return { done: true };
      },
    });
    this.worker.register('delete_vector_store', {
      maxAttempts: CLEANUP_ATTEMPTS,
      run: async (job) => {
        await (await this.llmFor(job.userId)).deleteVectorStore(String(job.payload.vectorStoreId));
        return { done: true };
      },
    });
    this.worker.register('delete_upstream_file', {
      maxAttempts: CLEANUP_ATTEMPTS,
      run: async (job) => {
        await (await this.llmFor(job.userId)).deleteFile(String(job.payload.upstreamFileId));
        return { done: true };
      },
    });
  }

  /** File ids attached to each assistant. */
  async fileIdsByAssistant(assistantIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(assistantIds.map((id) => [id, []]));
    if (assistantIds.length === 0) return result;
    const rows = await this.dataSource.getRepository(AssistantFile).find({
      select: { assistantId: true, fileId: true },
      where: { assistantId: In(assistantIds) },
      order: { createdAt: 'ASC' },
    });
    for (const row of rows) result.get(row.assistantId)?.push(row.fileId);
    return result;
  }

  /**
   * Attaches the user's own documents to the assistant (404 for anyone
   * else's file; images cannot be searched). Runs inside the caller's
   * transaction when one is given.
   */
  async attach(assistant: Assistant, files: StoredFile[], manager?: EntityManager): Promise<void> {
    const images = files.filter((file) => file.kind !== 'document');
    if (images.length > 0) {
      const details: ErrorDetail[] = images.map((file) => ({
        field: 'fileIds',
        message: `${file.filename} is an image; only documents can be searched by an assistant`,
      }));
      throw new DomainError('validation_failed', details[0].message, details);
    }
    if (files.length === 0) return;
    const run = async (transaction: EntityManager) => {
      await this.lockFiles(transaction, assistant.userId, files.map((file) => file.id));
      const inserted = await transaction
        .createQueryBuilder()
        .insert()
        .into(AssistantFile)
        .values(files.map((file) => ({ assistantId: assistant.id, fileId: file.id, userId: assistant.userId, status: 'processing' as const, error: null })))
        .orIgnore()
        .returning(['fileId'])
        .execute();
      const newIds = new Set((inserted.raw as Array<{ file_id: string }>).map((row) => row.file_id));
      const jobs: NewJob[] = [...newIds].map((fileId) => ({
        userId: assistant.userId,
        kind: 'index_file',
        payload: { assistantId: assistant.id, fileId, phase: 'attach' },
      }));
      await this.jobs.enqueue(jobs, transaction);
      await this.refreshFileStatus([...newIds], transaction);
    };
    if (manager) await run(manager);
    else await this.dataSource.transaction(run);
    this.worker.nudge();
  }

  /**
   * Detaches files from the assistant; the vector store copies are removed in
   * the background. The copies' ids are read under the files' row locks (see
   * the class comment), not taken from the assistant as the caller read it.
   */
  async detach(assistant: Assistant, fileIds: string[], manager?: EntityManager): Promise<void> {
    if (fileIds.length === 0) return;
    const run = async (transaction: EntityManager) => {
      await this.lockFiles(transaction, assistant.userId, fileIds);
      const removed = (await transaction.query(
        `DELETE FROM assistant_files WHERE assistant_id = $1 AND user_id = $2 AND file_id = ANY($3::uuid[]) RETURNING file_id`,
        [assistant.id, assistant.userId, fileIds],
      )) as [Array<{ file_id: string }>, number];
      const removedIds = removed[0].map((row) => row.file_id);
      // A statement of its own: it sees what indexing committed before the locks were granted.
      const copies = (await transaction.query(
        `SELECT a.vector_store_id, f.upstream_file_id FROM assistants a, files f
         WHERE a.id = $1 AND a.user_id = $2 AND f.id = ANY($3::uuid[]) AND f.user_id = $2
           AND a.vector_store_id IS NOT NULL AND f.upstream_file_id IS NOT NULL`,
        [assistant.id, assistant.userId, removedIds],
      )) as Array<{ vector_store_id: string; upstream_file_id: string }>;
      await this.jobs.enqueue(
        copies.map((copy) => ({
          userId: assistant.userId,
          kind: 'detach_file' as const,
          payload: { vectorStoreId: copy.vector_store_id, upstreamFileId: copy.upstream_file_id },
        })),
        transaction,
      );
      await this.refreshFileStatus(removedIds, transaction);
    };
    if (manager) await run(manager);
    else await this.dataSource.transaction(run);
    this.worker.nudge();
  }

  /** Queues failed attachments of a file for another try. */
  async retry(userId: string, fileId: string): Promise<number> {
    const file = await this.files.findOwned(userId, fileId);
    const count = await this.dataSource.transaction(async (manager) => {
      await this.lockFiles(manager, userId, [file.id]);
      const failed = (await manager.query(
        `UPDATE assistant_files SET status = 'processing', error = NULL, updated_at = now()
         WHERE file_id = $1 AND user_id = $2 AND status = 'failed' RETURNING assistant_id`,
        [file.id, userId],
      )) as [Array<{ assistant_id: string }>, number];
      await this.jobs.enqueue(
        failed[0].map((row) => ({
          userId,
          kind: 'index_file' as const,
          payload: { assistantId: row.assistant_id, fileId: file.id, phase: 'attach' },
        })),
        manager,
      );
      await this.refreshFileStatus([file.id], manager);
      return failed[0].length;
    });
    this.worker.nudge();
    return count;
  }

  /** Deletes upstream copies right away (an account is going away and its key with it). */
  async purgeUpstream(userId: string): Promise<void> {
    const llm = await this.llmFor(userId).catch(() => undefined);
    if (!llm) return;
    const stores = (await this.dataSource.query(
      'SELECT vector_store_id FROM assistants WHERE user_id = $1 AND vector_store_id IS NOT NULL',
      [userId],
    )) as Array<{ vector_store_id: string }>;
    const files = (await this.dataSource.query(
      'SELECT upstream_file_id FROM files WHERE user_id = $1 AND upstream_file_id IS NOT NULL',
      [userId],
    )) as Array<{ upstream_file_id: string }>;
    const work = [
      ...stores.map(({ vector_store_id }) => () => llm.deleteVectorStore(vector_store_id)),
      ...files.map(({ upstream_file_id }) => () => llm.deleteFile(upstream_file_id)),
    ];
    for (let index = 0; index < work.length; index += 5) {
      await Promise.all(
        work.slice(index, index + 5).map((task) =>
          task().catch((error: unknown) => this.logger.warn({ err: error, userId }, 'upstream clean-up failed during account deletion')),
        ),
      );
    }
  }

  private async llmFor(userId: string): Promise<UserLlm> {
    return this.llm.forUser(await this.users.get(userId));
  }

  private async runIndexing(job: UpstreamJob): Promise<JobOutcome> {
    const payload = job.payload as unknown as IndexPayload;
    const attachment = await this.dataSource
      .getRepository(AssistantFile)
      .findOneBy({ assistantId: payload.assistantId, fileId: payload.fileId, userId: job.userId });
    if (!attachment) return { done: true };
    const assistant = await this.dataSource.getRepository(Assistant).findOneBy({ id: payload.assistantId, userId: job.userId });
    const file = await this.dataSource.getRepository(StoredFile).findOneBy({ id: payload.fileId, userId: job.userId });
    if (!assistant || !file) return { done: true };
    const llm = await this.llmFor(job.userId);

    const polls = payload.polls ?? 0;
    const pollLater: JobOutcome = { retryInMs: backoffMs(polls + 1, 250), payload: { ...payload, phase: 'poll', polls: polls + 1 } };
    if (payload.phase === 'poll' && assistant.vectorStoreId && file.upstreamFileId) {
      const state = await llm.indexingState(assistant.vectorStoreId, file.upstreamFileId);
      if (state.status === 'in_progress') return pollLater;
      // Should the attachment be gone by now, whoever removed it knew this copy (it was checked after attaching).
      await this.recordState(job.userId, payload, state);
      return { done: true };
    }

    const upstreamFileId = await this.ensureUpstreamFile(job.userId, file, llm);
    if (!upstreamFileId) return { done: true };
    const store = await this.ensureVectorStore(job.userId, assistant, llm);
    if ('assistantGone' in store) return { done: true };
    // Waiting is no failed attempt: handing the payload back starts the attempt count over.
    if ('creatingElsewhere' in store) return { retryInMs: backoffMs(1, VECTOR_STORE_WAIT_MS), payload: job.payload };
    const copy = { vectorStoreId: store.vectorStoreId, upstreamFileId };
    const state = await llm.attachFile(copy.vectorStoreId, copy.upstreamFileId);
    const attached = await this.recordState(job.userId, payload, state);
    if (!attached) {
      // Detached or deleted while this job was at OpenAI, perhaps before the ids were recorded: the copy is ours to remove.
      await this.jobs.enqueue([{ userId: job.userId, kind: 'detach_file', payload: copy }]);
      return { done: true };
    }
    return state.status === 'in_progress' ? pollLater : { done: true };
  }

  /**
   * The file's copy in OpenAI Files, uploaded once per file. The id is
   * recorded only on the file's row as it still is: a concurrent upload's
   * copy wins over this one, and a deleted file records nothing; the
   * unrecorded copy is removed again. Undefined when the file is gone.
   */
  private async ensureUpstreamFile(userId: string, file: StoredFile, llm: UserLlm): Promise<string | undefined> {
    if (file.upstreamFileId) return file.upstreamFileId;
    const uploaded = await llm.uploadFile(upstreamName(file), await this.files.bytes(file));
    const recorded = (await this.dataSource.query(
      'UPDATE files SET upstream_file_id = COALESCE(upstream_file_id, $1) WHERE id = $2 AND user_id = $3 RETURNING upstream_file_id',
      [uploaded, file.id, userId],
    )) as [Array<{ upstream_file_id: string }>, number];
    const upstreamFileId = recorded[0][0]?.upstream_file_id;
    if (upstreamFileId !== uploaded) {
      await this.jobs.enqueue([{ userId, kind: 'delete_upstream_file', payload: { upstreamFileId: uploaded } }]);
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
  private async ensureVectorStore(userId: string, assistant: Assistant, llm: UserLlm): Promise<VectorStoreLookup> {
    if (assistant.vectorStoreId) return { vectorStoreId: assistant.vectorStoreId };
    const claimed = (await this.dataSource.query(
      `UPDATE assistants SET vector_store_claimed_until = now() + make_interval(secs => $3)
       WHERE id = $1 AND user_id = $2 AND vector_store_id IS NULL
         AND (vector_store_claimed_until IS NULL OR vector_store_claimed_until < now())
       RETURNING id`,
      [assistant.id, userId, VECTOR_STORE_CLAIM_SECONDS],
    )) as [unknown[], number];
    if (claimed[1] === 0) {
      const [current] = (await this.dataSource.query('SELECT vector_store_id FROM assistants WHERE id = $1 AND user_id = $2', [
        assistant.id,
        userId,
      ])) as Array<{ vector_store_id: string | null }>;
      if (!current) return { assistantGone: true };
      return current.vector_store_id ? { vectorStoreId: current.vector_store_id } : { creatingElsewhere: true };
    }

    let created: string;
    try {
      created = await llm.createVectorStore(assistant.name, { assistant_id: assistant.id });
    } catch (error) {
      // The next job may try at once rather than when the lease runs out (which it still does if this fails too).
      await this.dataSource
        .query('UPDATE assistants SET vector_store_claimed_until = NULL WHERE id = $1 AND user_id = $2 AND vector_store_id IS NULL', [
          assistant.id,
          userId,
        ])
        .catch((releaseError: unknown) =>
          this.logger.warn({ err: releaseError, assistantId: assistant.id }, 'could not release a vector store claim'),
        );
      throw error;
    }
    const recorded = (await this.dataSource.query(
      `UPDATE assistants SET vector_store_id = COALESCE(vector_store_id, $1), vector_store_claimed_until = NULL
       WHERE id = $2 AND user_id = $3 RETURNING vector_store_id`,
      [created, assistant.id, userId],
    )) as [Array<{ vector_store_id: string }>, number];
    const vectorStoreId = recorded[0][0]?.vector_store_id;
    if (vectorStoreId !== created) {
      await this.jobs.enqueue([{ userId, kind: 'delete_vector_store', payload: { vectorStoreId: created } }]);
    }
    return vectorStoreId ? { vectorStoreId } : { assistantGone: true };
  }

  /**
   * Records how the attachment's indexing stands, under its file's row lock
   * (which also tells a detach or deletion that came first); false when the
   * attachment or its file is gone.
   */
  private async recordState(userId: string, payload: IndexPayload, state: IndexingState): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if ((await this.lockFiles(manager, userId, [payload.fileId])).length === 0) return false;
      const where = { assistantId: payload.assistantId, fileId: payload.fileId, userId };
      const error = state.status === 'failed' ? state.error : null;
      const updated = await manager.update(AssistantFile, where, { status: STATUS_OF[state.status], error });
      if (!updated.affected) return false;
      await this.refreshFileStatus([payload.fileId], manager);
      return true;
    });
  }

  /**
   * Locks the user's files' rows, in id order, and returns the ids of those
   * that exist. Changes to a file's attachments and to their upstream state
   * take this lock first, before any attachment row, as its deletion does
   * (FilesService.delete).
   */
  private async lockFiles(manager: EntityManager, userId: string, fileIds: string[]): Promise<string[]> {
    const rows = (await manager.query('SELECT id FROM files WHERE id = ANY($1::uuid[]) AND user_id = $2 ORDER BY id FOR NO KEY UPDATE', [
      fileIds,
      userId,
    ])) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** A file is processing while any attachment is, failed if any failed, ready otherwise. */
  private async refreshFileStatus(fileIds: string[], manager: EntityManager): Promise<void> {
    if (fileIds.length === 0) return;
    // Serializes concurrent refreshes of a file: each then reads the others' committed attachment states.
    await manager.query('SELECT id FROM files WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE', [fileIds]);
    await manager.query(
      `UPDATE files f SET
         status = COALESCE(agg.status, 'ready'),
         status_error = agg.error,
         updated_at = now()
       FROM (SELECT id FROM files WHERE id = ANY($1::uuid[])) target
       LEFT JOIN LATERAL (
         SELECT CASE WHEN bool_or(status = 'processing') THEN 'processing'
                     WHEN bool_or(status = 'failed') THEN 'failed' ELSE 'ready' END AS status,
                (array_agg(error) FILTER (WHERE status = 'failed'))[1] AS error
         FROM assistant_files WHERE file_id = target.id
       ) agg ON true
       WHERE f.id = target.id`,
      [fileIds],
    );
  }
}
