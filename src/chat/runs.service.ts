import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUniqueViolation } from '../auth/users.service.js';
import { Run, type RunKind, type RunStatus } from './run.entity.js';

export interface ClaimedRun {
  id: string;
  /** The id the reply will be stored under. */
  replyId: string;
}

/** One running run per thread, held by the partial unique index `runs_one_running_per_thread`. */
@Injectable()
export class RunsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Claims the thread inside the caller's transaction. A run whose heartbeat
   * went stale (its process died) is closed first, its partial reply kept as
   * incomplete; a live run makes this a 409 run_in_progress.
   */
  async claim(manager: EntityManager, threadId: string, userId: string, kind: RunKind): Promise<ClaimedRun> {
    await manager.query(
      `WITH stale AS (
         UPDATE runs SET status = 'failed', error_code = 'abandoned', finished_at = now()
         WHERE thread_id = $1 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $2)
         RETURNING assistant_message_id)
       UPDATE messages SET status = 'incomplete', status_reason = 'interrupted', updated_at = now()
       WHERE id IN (SELECT assistant_message_id FROM stale) AND status = 'streaming'`,
      [threadId, this.config.chat.runStaleAfterSeconds],
    );
    const id = randomUUID();
    const replyId = randomUUID();
    try {
      await manager.query('SAVEPOINT claim_run');
      await manager.query(
        `INSERT INTO runs (id, thread_id, user_id, kind, status, assistant_message_id) VALUES ($1, $2, $3, $4, 'running', $5)`,
        [id, threadId, userId, kind, replyId],
      );
      await manager.query('RELEASE SAVEPOINT claim_run');
    } catch (error) {
      if (isUniqueViolation(error, 'runs_one_running_per_thread')) {
        throw new DomainError('run_in_progress', 'The assistant is already answering in this thread; wait for it or cancel it');
      }
      throw error;
    }
    return { id, replyId };
  }

  async setUserMessage(manager: EntityManager, runId: string, messageId: string): Promise<void> {
    await manager.query('UPDATE runs SET user_message_id = $2 WHERE id = $1', [runId, messageId]);
  }

  /** Proves the run is alive; answers whether a cancel was asked for meanwhile. */
  async heartbeat(runId: string): Promise<{ cancelRequested: boolean }> {
    const [rows] = (await this.dataSource.query(
      `UPDATE runs SET heartbeat_at = now() WHERE id = $1 AND status = 'running' RETURNING cancel_requested`,
      [runId],
    )) as [Array<{ cancel_requested: boolean }>, number];
    return { cancelRequested: rows[0]?.cancel_requested ?? false };
  }

  async finish(manager: EntityManager, runId: string, status: RunStatus, errorCode: string | null): Promise<void> {
    await manager.query(`UPDATE runs SET status = $2, error_code = $3, finished_at = now() WHERE id = $1 AND status = 'running'`, [
      runId,
      status,
      errorCode,
    ]);
  }

  /** Marks the thread's running run for cancellation; 409 when nothing is running. */
  async requestCancel(userId: string, threadId: string): Promise<string> {
    const [rows] = (await this.dataSource.query(
      `UPDATE runs SET cancel_requested = true WHERE thread_id = $1 AND user_id = $2 AND status = 'running' RETURNING id`,
      [threadId, userId],
    )) as [Array<{ id: string }>, number];
    if (rows.length === 0) throw new DomainError('no_run_in_progress', 'Nothing is running in this thread');
    return rows[0].id;
  }

  async status(runId: string): Promise<RunStatus | undefined> {
    const run = await this.dataSource.getRepository(Run).findOne({ select: { status: true }, where: { id: runId } });
    return run?.status;
  }
}
