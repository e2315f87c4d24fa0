import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql.js';
import { CompositeStatement } from '../database/statement.js';
import type { Message } from '../threads/message.entity.js';
import { messageFromRow, writeMessagePart, type MessageRow } from '../threads/messages.repository.js';
import { insertThreadPart, recordThreadActivityPart, type NewThread } from '../threads/threads.repository.js';
import { claimRunPart, type RunClaim } from './runs.repository.js';

/** What a turn's start writes: the claim, and with it a new thread, a change of assistant and the user's message. */
export interface TurnStartWrite {
  claim: RunClaim;
  /** Created with the turn (a new conversation), under the claim's thread id. */
  newThread?: Omit<NewThread, 'id'>;
  /** Moves an existing thread to this assistant. */
  assistantId?: string;
  /**
   * The user's message, stored under the claim's `userMessageId`: under the
   * thread's active leaf, or (an edit) under the given parent, as a sibling of
   * the edited message. It becomes the active leaf.
   */
  question?: { content: string; fileIds: string[]; replyToId: string | null; parentId?: string | null };
}

export interface TurnStarted {
  userMessage: Message | null;
  /** An existing thread's message count after the turn's message (none for a new thread). */
  threadMessageCount: number | null;
}

/**
 * A turn's start in one statement, the hot path of every chat turn: the new
 * thread, the claim (one running run per thread), the user's message and the
 * thread's counters, each written by its own repository's part. Nothing is
 * written when the thread is already claimed (undefined). Each of its few
 * forms is prepared once per connection.
 */
@Injectable()
export class TurnStartRepository {
  constructor(private readonly sql: Sql) {}

  async begin(start: TurnStartWrite): Promise<TurnStarted | undefined> {
    const { claim, question } = start;
    const statement = new CompositeStatement();
    const firstMessageId = question ? claim.userMessageId : null;
    if (start.newThread) insertThreadPart(statement, 'new_thread', claim.userId, { ...start.newThread, id: claim.threadId }, firstMessageId);
    claimRunPart(statement, 'run', claim);
    if (question) {
      const { parentId, ...content } = question;
      const message = { id: claim.userMessageId!, threadId: claim.threadId, userId: claim.userId, role: 'user' as const, status: 'completed' as const };
      const parent = start.newThread ? null : parentId === undefined ? ('active-leaf' as const) : parentId;
      writeMessagePart(statement, 'message', { ...message, ...content, parent }, 'run');
    }
    if (!start.newThread) {
      const activity = {
        messages: question ? 1 : 0,
        messageWritten: question !== undefined,
        assistantId: start.assistantId,
        leaf: question ? { part: 'message' } : undefined,
      };
      recordThreadActivityPart(statement, 'activity', claim.userId, claim.threadId, activity, question ? 'message' : 'run');
    }
    const count = start.newThread ? 'NULL::int' : '(SELECT message_count FROM activity)';
    const select = question
      ? `SELECT ${count} AS thread_message_count, message.* FROM run CROSS JOIN message`
      : `SELECT ${count} AS thread_message_count FROM run`;
    const [row] = await this.sql.prepared<Partial<MessageRow> & { thread_message_count: number | null }>(statement.text(select), statement.params);
    if (!row) return undefined;
    return { userMessage: question ? messageFromRow(row as MessageRow) : null, threadMessageCount: row.thread_message_count };
  }
}
