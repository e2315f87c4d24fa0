import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { UsersService } from '../auth/users.service.js';
import { DomainError, type ErrorDetail } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { LlmService } from '../llm/llm.service.js';
import type { UserLlm } from '../llm/user-llm.js';
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

interface IndexPayload {
  assistantId: string;
  fileId: string;
  phase?: 'attach' | 'poll';
  polls?: number;
}

function upstreamName(file: StoredFile): string {
  const dot = file.filename.lastIndexOf('.');
  const extension = dot > 0 ? file.filename.slice(dot).toLowerCase() : '';
  return SEARCHABLE_EXTENSIONS.has(extension) ? file.filename : `${file.filename}.txt`;
}

/**
 * Documents attached to assistants and their copies in each assistant's
 * OpenAI vector store. Attaching records the intent at once; the upstream
 * work (upload, attach, wait for indexing) runs as background jobs.
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
      giveUp: (job, error) => this.markAttachment(job.payload as unknown as IndexPayload, 'failed', error.message),
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

  /** Detaches files from the assistant; the vector store copy is removed in the background. */
  async detach(assistant: Assistant, fileIds: string[], manager?: EntityManager): Promise<void> {
    if (fileIds.length === 0) return;
    const run = async (transaction: EntityManager) => {
      const removed = (await transaction.query(
        `DELETE FROM assistant_files af USING files f
         WHERE af.assistant_id = $1 AND af.user_id = $2 AND af.file_id = ANY($3::uuid[]) AND f.id = af.file_id
         RETURNING f.id, f.upstream_file_id`,
        [assistant.id, assistant.userId, fileIds],
      )) as [Array<{ id: string; upstream_file_id: string | null }>, number];
      if (assistant.vectorStoreId) {
        await this.jobs.enqueue(
          removed[0]
            .filter((row) => row.upstream_file_id)
            .map((row) => ({
              userId: assistant.userId,
              kind: 'detach_file' as const,
              payload: { vectorStoreId: assistant.vectorStoreId, upstreamFileId: row.upstream_file_id },
            })),
          transaction,
        );
      }
      await this.refreshFileStatus(
        removed[0].map((row) => row.id),
        transaction,
      );
    };
    if (manager) await run(manager);
    else await this.dataSource.transaction(run);
    this.worker.nudge();
  }

  /** Queues failed attachments of a file for another try. */
  async retry(userId: string, fileId: string): Promise<number> {
    const file = await this.files.findOwned(userId, fileId);
    const count = await this.dataSource.transaction(async (manager) => {
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
    const assistant = await this.dataSource.getRepository(Assistant).findOneByOrFail({ id: payload.assistantId });
    const file = await this.files.findOwned(job.userId, payload.fileId);
    const llm = await this.llmFor(job.userId);

    const polls = payload.polls ?? 0;
    let state;
    if (payload.phase === 'poll' && assistant.vectorStoreId && file.upstreamFileId) {
      state = await llm.indexingState(assistant.vectorStoreId, file.upstreamFileId);
    } else {
      const upstreamFileId = await this.ensureUpstreamFile(file, llm);
      const vectorStoreId = await this.ensureVectorStore(assistant, llm);
      state = await llm.attachFile(vectorStoreId, upstreamFileId);
    }
    if (state.status === 'in_progress') {
      return { retryInMs: backoffMs(polls + 1, 250), payload: { ...payload, phase: 'poll', polls: polls + 1 } };
    }
    await this.markAttachment(payload, state.status === 'completed' ? 'ready' : 'failed', state.status === 'failed' ? state.error : null);
    return { done: true };
  }

  /** Uploads the bytes once per file; a concurrent upload of the same file is undone. */
  private async ensureUpstreamFile(file: StoredFile, llm: UserLlm): Promise<string> {
    if (file.upstreamFileId) return file.upstreamFileId;
    const uploaded = await llm.uploadFile(upstreamName(file), await this.files.bytes(file));
    const claimed = (await this.dataSource.query(
      'UPDATE files SET upstream_file_id = $1 WHERE id = $2 AND upstream_file_id IS NULL RETURNING id',
      [uploaded, file.id],
    )) as [unknown[], number];
    if (claimed[1] === 1) return uploaded;
    await llm.deleteFile(uploaded).catch(() => undefined);
    const [{ upstream_file_id }] = (await this.dataSource.query('SELECT upstream_file_id FROM files WHERE id = $1', [file.id])) as Array<{
      upstream_file_id: string;
    }>;
    return upstream_file_id;
  }

  /** One vector store per assistant, created with its first document. */
  private async ensureVectorStore(assistant: Assistant, llm: UserLlm): Promise<string> {
    if (assistant.vectorStoreId) return assistant.vectorStoreId;
    const created = await llm.createVectorStore(assistant.name, { assistant_id: assistant.id });
    const claimed = (await this.dataSource.query(
      'UPDATE assistants SET vector_store_id = $1 WHERE id = $2 AND vector_store_id IS NULL RETURNING id',
      [created, assistant.id],
    )) as [unknown[], number];
    if (claimed[1] === 1) return created;
    await llm.deleteVectorStore(created).catch(() => undefined);
    const current = await this.dataSource.getRepository(Assistant).findOneByOrFail({ id: assistant.id });
    return current.vectorStoreId!;
  }

  private async markAttachment(payload: IndexPayload, status: 'ready' | 'failed', error: string | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(AssistantFile, { assistantId: payload.assistantId, fileId: payload.fileId }, { status, error });
      await this.refreshFileStatus([payload.fileId], manager);
    });
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
