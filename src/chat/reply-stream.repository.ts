import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql.js';
import type { RunStatus } from '../runs/run.entity.js';
import type { Message, MessageStatus } from '../threads/message.entity.js';
import { messageFromRow, type MessageRow } from '../threads/messages.repository.js';

/** The channel that wakes clients attached to a running reply: the run's id, once its row moved on. */
export const REPLY_PROGRESS_CHANNEL = 'reply_progress';
/** The channel that asks the instance generating a reply to write it often: the run's id, as a client attaches. */
export const REPLY_WATCH_CHANNEL = 'reply_watch';

/** A thread's running run, as a client attaching to its reply needs it. */
export interface RunningReplyRow {
  id: string;
  assistant_message_id: string | null;
}

/** A running reply as stored: its run's state and the text after an offset (characters). */
export interface ReplyProgressRow {
  run_status: RunStatus;
  error_code: string | null;
  /** The run is still marked running but its heartbeat is older than the stale period (its instance died). */
  stale: boolean;
  message_id: string | null;
  message_status: MessageStatus | null;
  /** Characters of the stored text. */
  length: number | null;
  /** The stored text after the offset asked for. */
  tail: string | null;
}

export interface ReplyProgress {
  runStatus: RunStatus;
  errorCode: string | null;
  stale: boolean;
  messageId: string | null;
  messageStatus: MessageStatus | null;
  length: number;
  tail: string;
}

/** The one mapping of a progress row. */
export function progressFromRow(row: ReplyProgressRow): ReplyProgress {
  return {
    runStatus: row.run_status,
    errorCode: row.error_code,
    stale: row.stale,
    messageId: row.message_id,
    messageStatus: row.message_status,
    length: row.length ?? 0,
    tail: row.tail ?? '',
  };
}

/** What attached clients read of a running reply (the partial text lives in its message row) and the wake-ups they get. */
@Injectable()
export class ReplyStreamRepository {
  constructor(private readonly sql: Sql) {}

  runningRun(userId: string, threadId: string): Promise<RunningReplyRow | undefined> {
    return this.sql.row<RunningReplyRow>(`SELECT id, assistant_message_id FROM runs WHERE thread_id = $1 AND user_id = $2 AND status = 'running'`, [
      threadId,
      userId,
    ]);
  }

  /** The run's state and its reply's text after `fromChars` characters, read together. */
  async progress(userId: string, runId: string, fromChars: number, staleSeconds: number): Promise<ReplyProgress | undefined> {
    const row = await this.sql.row<ReplyProgressRow>(
      `SELECT r.status AS run_status, r.error_code,
              (r.status = 'running' AND r.heartbeat_at < now() - make_interval(secs => $4)) AS stale,
              m.id AS message_id, m.status AS message_status, char_length(m.content) AS length,
              substring(m.content from $3::int + 1) AS tail
       FROM runs r LEFT JOIN messages m ON m.id = r.assistant_message_id AND m.user_id = r.user_id
       WHERE r.id = $1 AND r.user_id = $2`,
      [runId, userId, fromChars, staleSeconds],
    );
    return row && progressFromRow(row);
  }

  async message(userId: string, id: string): Promise<Message | undefined> {
    const row = await this.sql.row<MessageRow>('SELECT * FROM messages WHERE id = $1 AND user_id = $2', [id, userId]);
    return row && messageFromRow(row);
  }

  /** Asks the instance generating the run's reply to keep its row current (a client is attaching). */
  async watch(runId: string): Promise<void> {
    await this.sql.execute('SELECT pg_notify($1, $2)', [REPLY_WATCH_CHANNEL, runId]);
  }

  /** Wakes the clients attached to the run's reply, on every instance. */
  async announce(runId: string): Promise<void> {
    await this.sql.execute('SELECT pg_notify($1, $2)', [REPLY_PROGRESS_CHANNEL, runId]);
  }
}
