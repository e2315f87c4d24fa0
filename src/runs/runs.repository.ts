import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor, type SqlParam } from '../database/sql.js';
import { CompositeStatement } from '../database/statement.js';
import type { Run, RunKind, RunStatus } from './run.entity.js';

/** A row of `runs`. */
export interface RunRow {
  id: string;
  thread_id: string;
  user_id: string;
  kind: RunKind;
  status: RunStatus;
  user_message_id: string | null;
  assistant_message_id: string | null;
  cancel_requested: boolean;
  error_code: string | null;
  heartbeat_at: Date;
  started_at: Date;
  finished_at: Date | null;
}

/** The one mapping of a run row. */
export function runFromRow(row: RunRow): Run {
  return {
    id: row.id,
    threadId: row.thread_id,
    userId: row.user_id,
    kind: row.kind,
    status: row.status,
    userMessageId: row.user_message_id,
    assistantMessageId: row.assistant_message_id,
    cancelRequested: row.cancel_requested,
    errorCode: row.error_code,
    heartbeatAt: row.heartbeat_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export interface RunClaim {
  id: string;
  threadId: string;
  userId: string;
  kind: RunKind;
  userMessageId: string | null;
  assistantMessageId: string;
}

/** One running run per thread, held by the partial unique index `runs_one_running_per_thread`. */
/** The claim as a part of a larger statement, named `name`: a row when it claimed the thread, none when a run holds it. */
export function claimRunPart(statement: CompositeStatement, name: string, claim: RunClaim): void {
  const p = (value: SqlParam) => statement.param(value);
  statement.with(
    name,
    `INSERT INTO runs (id, thread_id, user_id, kind, status, assistant_message_id, user_message_id)
     VALUES (${p(claim.id)}, ${p(claim.threadId)}, ${p(claim.userId)}, ${p(claim.kind)}, 'running', ${p(claim.assistantMessageId)}, ${p(claim.userMessageId)})
     ON CONFLICT (thread_id) WHERE status = 'running' DO NOTHING
     RETURNING *`,
  );
}

@Injectable()
export class RunsRepository {
  constructor(private readonly sql: Sql) {}

  /** Fails the thread's running run if its heartbeat is older than `staleSeconds`; the id of its reply when it did. */
  async abandonStale(userId: string, threadId: string, staleSeconds: number, db: SqlExecutor = this.sql): Promise<Array<string | null> | undefined> {
    const rows = await db.rows<Pick<RunRow, 'assistant_message_id'>>(
      `UPDATE runs SET status = 'failed', error_code = 'abandoned', finished_at = now()
       WHERE thread_id = $1 AND user_id = $2 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $3)
       RETURNING assistant_message_id`,
      [threadId, userId, staleSeconds],
    );
    return rows.length > 0 ? rows.map((row) => row.assistant_message_id) : undefined;
  }

  /** Proves the run is alive; answers whether a cancel was asked for meanwhile (false once it ended). */
  async heartbeat(userId: string, runId: string): Promise<boolean> {
    const row = await this.sql.row<Pick<RunRow, 'cancel_requested'>>(
      `UPDATE runs SET heartbeat_at = now() WHERE id = $1 AND user_id = $2 AND status = 'running' RETURNING cancel_requested`,
      [runId, userId],
    );
    return row?.cancel_requested ?? false;
  }

  async finish(userId: string, runId: string, status: RunStatus, errorCode: string | null, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute(`UPDATE runs SET status = $3, error_code = $4, finished_at = now() WHERE id = $1 AND user_id = $2 AND status = 'running'`, [
      runId,
      userId,
      status,
      errorCode,
    ]);
  }

  /** Marks the thread's running run for cancellation; its id, or undefined when nothing runs. */
  async requestCancel(userId: string, threadId: string): Promise<string | undefined> {
    const row = await this.sql.row<Pick<RunRow, 'id'>>(
      `UPDATE runs SET cancel_requested = true WHERE thread_id = $1 AND user_id = $2 AND status = 'running' RETURNING id`,
      [threadId, userId],
    );
    return row?.id;
  }

  async status(userId: string, runId: string): Promise<RunStatus | undefined> {
    return (await this.sql.row<Pick<RunRow, 'status'>>('SELECT status FROM runs WHERE id = $1 AND user_id = $2', [runId, userId]))?.status;
  }

  /** Tells every instance listening on the channel (PostgreSQL NOTIFY). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.sql.execute('SELECT pg_notify($1, $2)', [channel, payload]);
  }
}
