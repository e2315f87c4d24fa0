import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Message } from '../threads/message.entity.js';
import { messageFromRow } from '../threads/thread.mapper.js';
import { Run, type RunKind, type RunStatus } from './run.entity.js';

export interface ClaimedRun {
  id: string;
  /** The id the reply will be stored under. */
  replyId: string;
}

export interface TurnStart {
  threadId: string;
  userId: string;
  kind: RunKind;
  /** Creates the thread in the same statement (a new conversation). */
  newThread?: { assistantId: string; title: string | null };
  /** Moves an existing thread to this assistant. */
  assistantId?: string;
  /** The user's message that starts the turn (none for run and regenerate). */
  userMessage?: { content: string; fileIds: string[]; replyToId: string | null };
}

export interface BegunTurn {
  run: ClaimedRun;
  userMessage: Message | null;
  /** An existing thread's message count after this turn's message, as of the latest commit. */
  threadMessageCount: number | null;
}

/** One running run per thread, held by the partial unique index `runs_one_running_per_thread`. */
@Injectable()
export class RunsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Starts a turn in one statement: creates the thread when it is new,
   * claims it with a running run (the partial unique index allows one), and
   * stores the user's message with the thread's counters. A run whose
   * heartbeat went stale (its process died) is closed first, its partial
   * reply kept as incomplete; a live run makes this a 409 run_in_progress.
   */
  async begin(start: TurnStart): Promise<BegunTurn> {
    let begun = await this.tryBegin(start);
    if (!begun && !start.newThread && (await this.takeOverStale(start.threadId))) begun = await this.tryBegin(start);
    if (!begun) {
      throw new DomainError('run_in_progress', 'The assistant is already answering in this thread; wait for it or cancel it');
    }
    return begun;
  }

  private async tryBegin(start: TurnStart): Promise<BegunTurn | undefined> {
    const run = { id: randomUUID(), replyId: randomUUID() };
    const message = start.userMessage;
    const messageId = message ? randomUUID() : null;
    const parameters: unknown[] = [run.id, start.threadId, start.userId, start.kind, run.replyId, messageId];
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    const parts: string[] = [];
    if (start.newThread) {
      parts.push(`new_thread AS (
        INSERT INTO threads (id, user_id, assistant_id, title, message_count, last_message_at, last_activity_at)
        VALUES ($2, $3, ${parameter(start.newThread.assistantId)}, ${parameter(start.newThread.title)}, ${message ? 1 : 0},
                ${message ? 'now()' : 'NULL'}, now()))`);
    }
    parts.push(`run AS (
      INSERT INTO runs (id, thread_id, user_id, kind, status, assistant_message_id, user_message_id)
      VALUES ($1, $2, $3, $4, 'running', $5, $6)
      ON CONFLICT (thread_id) WHERE status = 'running' DO NOTHING
      RETURNING id)`);
    if (message) {
      parts.push(`message AS (
        INSERT INTO messages (id, thread_id, user_id, role, content, status, file_ids, reply_to_id, citations)
        SELECT $6, $2, $3, 'user', ${parameter(message.content)}, 'completed', ${parameter(JSON.stringify(message.fileIds))}::jsonb,
               ${parameter(message.replyToId)}::uuid, '[]' FROM run
        RETURNING *)`);
    }
    if (!start.newThread) {
      const started = message ? 'EXISTS (SELECT 1 FROM message)' : 'EXISTS (SELECT 1 FROM run)';
      parts.push(`thread_update AS (
        UPDATE threads SET ${message ? 'message_count = message_count + 1, last_message_at = now(),' : ''}
          last_activity_at = now(), updated_at = now(), assistant_id = COALESCE(${parameter(start.assistantId ?? null)}::uuid, assistant_id)
        WHERE id = $2 AND ${started}
        RETURNING message_count)`);
    }
    const count = start.newThread ? 'NULL' : '(SELECT message_count FROM thread_update)';
    const select = message
      ? `SELECT run.id AS run_id, ${count} AS thread_message_count, message.* FROM run CROSS JOIN message`
      : `SELECT run.id AS run_id, ${count} AS thread_message_count FROM run`;
    const rows = (await this.dataSource.query(`WITH ${parts.join(',\n')}\n${select}`, parameters)) as Array<Record<string, unknown>>;
    if (rows.length === 0) return undefined;
    const threadMessageCount = rows[0].thread_message_count === null ? null : Number(rows[0].thread_message_count);
    return { run, userMessage: message ? messageFromRow(rows[0]) : null, threadMessageCount };
  }

  /** Closes the thread's running run if its heartbeat went stale; true when it did. */
  private async takeOverStale(threadId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH stale AS (
         UPDATE runs SET status = 'failed', error_code = 'abandoned', finished_at = now()
         WHERE thread_id = $1 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $2)
         RETURNING assistant_message_id),
       reply AS (
         UPDATE messages SET status = 'incomplete', status_reason = 'interrupted', updated_at = now()
         WHERE id IN (SELECT assistant_message_id FROM stale) AND status = 'streaming')
       SELECT count(*)::int AS taken FROM stale`,
      [threadId, this.config.chat.runStaleAfterSeconds],
    )) as Array<{ taken: number }>;
    return rows[0].taken > 0;
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
