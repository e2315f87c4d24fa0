import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor, type SqlParam } from '../database/sql.js';
import { CompositeStatement } from '../database/statement.js';
import type { Message, MessageCitation, MessageRole, MessageStatus } from './message.entity.js';

/** The messages that count as conversation: not still being written, not empty. */
export const CONTEXT_MESSAGES = "status <> 'streaming' AND content <> ''";

/** The columns of MessageRow, named: a statement that returns them keeps its shape when `messages` gains a column. */
export const MESSAGE_ROW_COLUMNS = `id, seq, thread_id, user_id, parent_id, depth, role, content, status, status_reason, reply_to_id, file_ids,
  citations, assistant_id, model, input_tokens, output_tokens, cost, upstream_response_id, created_at, updated_at`;

/** A row of `messages` as node-postgres returns it (bigint and numeric as text). */
export interface MessageRow {
  id: string;
  seq: string;
  thread_id: string;
  user_id: string;
  parent_id: string | null;
  depth: number;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  status_reason: string | null;
  reply_to_id: string | null;
  file_ids: string[] | null;
  citations: MessageCitation[] | null;
  assistant_id: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: string | null;
  upstream_response_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const toNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));

/** The one mapping of a message row. */
export function messageFromRow(row: MessageRow): Message {
  return {
    id: row.id,
    seq: Number(row.seq),
    threadId: row.thread_id,
    userId: row.user_id,
    parentId: row.parent_id,
    depth: Number(row.depth),
    role: row.role,
    content: row.content,
    status: row.status,
    statusReason: row.status_reason,
    replyToId: row.reply_to_id,
    fileIds: row.file_ids ?? [],
    citations: row.citations ?? [],
    assistantId: row.assistant_id,
    model: row.model,
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    cost: toNumber(row.cost),
    upstreamResponseId: row.upstream_response_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A message as it is written: a user's message, or a reply (first written while it streams, then again as it ends). */
export interface MessageWrite {
  id: string;
  threadId: string;
  userId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  /**
   * Where a new message goes in the thread's tree: under this message (null:
   * as a first message), or with 'active-leaf' under the thread's active leaf.
   * Not changed when the row is written again.
   */
  parent?: string | null | 'active-leaf';
  statusReason?: string | null;
  replyToId?: string | null;
  fileIds?: string[];
  citations?: MessageCitation[];
  assistantId?: string | null;
  model?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  cost?: number | null;
  upstreamResponseId?: string | null;
}

export interface HistoryRow {
  id: string;
  seq: string;
  role: MessageRole;
  content: string;
  file_ids: string[];
  reply_to_id: string | null;
}

/** The start of a message another one replies to. */
export interface QuotedRow {
  id: string;
  role: MessageRole;
  excerpt: string;
}

export interface MessageCursor {
  limit: number;
  /** The message the page starts after (ascending) or ends before (descending). */
  anchorId: string | null;
  direction: 'before' | 'after';
}

/**
 * The write as a part of a larger statement, named `name` (its rows: the
 * message's MESSAGE_ROW_COLUMNS and `inserted`). Its text depends only on
 * which parts are present, so statements built of it can be prepared. With `onlyIf`, written only when that part
 * returned a row (a turn's message only when its run claimed the thread).
 */
export function writeMessagePart(statement: CompositeStatement, name: string, message: MessageWrite, onlyIf?: string): void {
  const p = (value: SqlParam) => statement.param(value);
  const thread = `${p(message.threadId)}::uuid`;
  const user = `${p(message.userId)}::uuid`;
  const parentId =
    message.parent === 'active-leaf'
      ? `(SELECT active_leaf_id FROM threads WHERE id = ${thread} AND user_id = ${user})`
      : `${p(message.parent ?? null)}::uuid`;
  // The parent is looked up in the same thread of the same user: a message never hangs under another's.
  statement.with(`${name}_parent`, `SELECT id, depth FROM messages WHERE id = ${parentId} AND thread_id = ${thread} AND user_id = ${user}`);
  const values = [
    `${p(message.id)}::uuid`,
    thread,
    user,
    `(SELECT id FROM ${name}_parent)`,
    `COALESCE((SELECT depth FROM ${name}_parent), 0) + 1`,
    `${p(message.role)}::text`,
    `${p(message.content)}::text`,
    `${p(message.status)}::text`,
    `${p(message.statusReason ?? null)}::text`,
    `${p(message.replyToId ?? null)}::uuid`,
    `${p(JSON.stringify(message.fileIds ?? []))}::jsonb`,
    `${p(JSON.stringify(message.citations ?? []))}::jsonb`,
    `${p(message.assistantId ?? null)}::uuid`,
    `${p(message.model ?? null)}::text`,
    `${p(message.inputTokens ?? null)}::int`,
    `${p(message.outputTokens ?? null)}::int`,
    `${p(message.cost ?? null)}::numeric`,
    `${p(message.upstreamResponseId ?? null)}::text`,
  ].join(', ');
  statement.with(
    name,
    `INSERT INTO messages (id, thread_id, user_id, parent_id, depth, role, content, status, status_reason, reply_to_id, file_ids, citations,
                           assistant_id, model, input_tokens, output_tokens, cost, upstream_response_id)
     SELECT ${values}${onlyIf ? ` WHERE EXISTS (SELECT 1 FROM ${onlyIf})` : ''}
     ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, status = EXCLUDED.status, status_reason = EXCLUDED.status_reason,
       citations = EXCLUDED.citations, model = EXCLUDED.model, input_tokens = EXCLUDED.input_tokens,
       output_tokens = EXCLUDED.output_tokens, cost = EXCLUDED.cost, upstream_response_id = EXCLUDED.upstream_response_id,
       updated_at = now()
     WHERE messages.user_id = EXCLUDED.user_id
     RETURNING ${MESSAGE_ROW_COLUMNS}, (xmax = 0) AS inserted`,
  );
}

@Injectable()
export class MessagesRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * The one place a message row is written: inserted, or (a reply written
   * again as it streams and ends) updated in place. `inserted` tells the
   * caller whether the thread gained a message.
   */
  async write(message: MessageWrite, db: SqlExecutor = this.sql): Promise<{ message: Message; inserted: boolean }> {
    const statement = new CompositeStatement();
    writeMessagePart(statement, 'message', message);
    const [row] = await db.prepared<MessageRow & { inserted: boolean }>(statement.text('SELECT * FROM message'), statement.params);
    if (!row) throw new Error(`message ${message.id} belongs to another user`);
    return { message: messageFromRow(row), inserted: row.inserted };
  }

  /** Replies left streaming by a run that died: kept, as incomplete. */
  async markInterrupted(userId: string, ids: string[], db: SqlExecutor = this.sql): Promise<void> {
    if (ids.length === 0) return;
    await db.execute(
      `UPDATE messages SET status = 'incomplete', status_reason = 'interrupted', updated_at = now()
       WHERE id = ANY($1::uuid[]) AND user_id = $2 AND status = 'streaming'`,
      [ids, userId],
    );
  }

  async exists(userId: string, threadId: string, id: string): Promise<boolean> {
    const row = await this.sql.row<{ id: string }>('SELECT id FROM messages WHERE id = $1 AND thread_id = $2 AND user_id = $3', [
      id,
      threadId,
      userId,
    ]);
    return row !== undefined;
  }

  /** The ids of the files the thread's messages carry, in order of use (repeats included). */
  async attachedFileIds(userId: string, threadId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ file_id: string }>(
      `SELECT attached.file_id FROM messages
       CROSS JOIN LATERAL jsonb_array_elements_text(messages.file_ids) WITH ORDINALITY AS attached(file_id, position)
       WHERE messages.thread_id = $1 AND messages.user_id = $2
       ORDER BY messages.seq, attached.position`,
      [threadId, userId],
    );
    return rows.map((row) => row.file_id);
  }

  /** The first characters of the thread's messages with these ids (what replies to them quote). */
  async excerpts(userId: string, threadId: string, ids: string[], maxChars: number): Promise<QuotedRow[]> {
    if (ids.length === 0) return [];
    return this.sql.rows<QuotedRow>(
      `SELECT id, role, left(content, $4) AS excerpt FROM messages
       WHERE id = ANY($3::uuid[]) AND thread_id = $1 AND user_id = $2`,
      [threadId, userId, ids, maxChars],
    );
  }
}
