import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor, type SqlParam } from '../database/sql.js';
import { CompositeStatement } from '../database/statement.js';
import type { Thread } from './thread.entity.js';
import { THREAD_RESPONSE_COLUMNS, type ThreadResponseRow } from './thread.mapper.js';
import { insertThreadPart, moveToLeafStatement, recordThreadActivityPart, type NewThread, type ThreadActivity } from './thread-parts.js';

export { insertThreadPart, recordThreadActivityPart, type NewThread, type ThreadActivity } from './thread-parts.js';

/** A row of `threads` as node-postgres returns it (bigint and numeric as text). */
export interface ThreadRow {
  id: string;
  user_id: string;
  assistant_id: string | null;
  title: string | null;
  is_archived: boolean;
  metadata: Record<string, string>;
  summary: string | null;
  summary_message_count: number;
  summary_through_seq: string | null;
  summary_updated_at: Date | null;
  message_count: number;
  active_leaf_id: string | null;
  tree_size: number;
  input_tokens: string;
  output_tokens: string;
  total_cost: string;
  last_message_at: Date | null;
  last_activity_at: Date;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The one mapping of a thread row. */
export function threadFromRow(row: ThreadRow): Thread {
  return {
    id: row.id,
    userId: row.user_id,
    assistantId: row.assistant_id,
    title: row.title,
    isArchived: row.is_archived,
    metadata: row.metadata,
    summary: row.summary,
    summaryMessageCount: row.summary_message_count,
    summaryThroughSeq: row.summary_through_seq === null ? null : Number(row.summary_through_seq),
    summaryUpdatedAt: row.summary_updated_at,
    messageCount: row.message_count,
    activeLeafId: row.active_leaf_id,
    treeSize: row.tree_size,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalCost: Number(row.total_cost),
    lastMessageAt: row.last_message_at,
    lastActivityAt: row.last_activity_at,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface ThreadChanges {
  title?: string | null;
  isArchived?: boolean;
  metadata?: Record<string, string>;
  assistantId?: string | null;
}

export interface ThreadListFilter {
  /** The trash instead of the other threads. */
  trashed: boolean;
  /** Archived threads only, or the others; both when undefined. */
  archived?: boolean;
  assistantId?: string;
  search?: string;
  limit: number;
  offset: number;
}

export interface SummaryState {
  summary: string | null;
  summaryThroughSeq: string | null;
  messageCount: number;
  summaryMessageCount: number;
}

@Injectable()
export class ThreadsRepository {
  constructor(private readonly sql: Sql) {}

  /** The user's thread unless it is in the trash. */
  async findOwned(userId: string, id: string, db: SqlExecutor = this.sql): Promise<Thread | undefined> {
    const row = await db.row<ThreadRow>('SELECT * FROM threads WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL', [id, userId]);
    return row && threadFromRow(row);
  }

  async insert(userId: string, thread: NewThread, db: SqlExecutor = this.sql): Promise<Thread> {
    const statement = new CompositeStatement();
    insertThreadPart(statement, 'thread', userId, thread, null);
    const row = await db.row<ThreadRow>(statement.text('SELECT * FROM thread'), statement.params);
    return threadFromRow(row!);
  }

  /** A page of threads in their API shape, newest activity first, with the total that match. */
  async list(userId: string, filter: ThreadListFilter): Promise<{ rows: ThreadResponseRow[]; total: number }> {
    const parameters: SqlParam[] = [userId];
    const parameter = (value: SqlParam) => `$${parameters.push(value)}`;
    const filters: string[] = [filter.trashed ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL'];
    if (filter.archived !== undefined) filters.push(`is_archived = ${parameter(filter.archived)}`);
    if (filter.assistantId) filters.push(`assistant_id = ${parameter(filter.assistantId)}`);
    if (filter.search) {
      filters.push(`title ILIKE ${parameter(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
    }
    const where = ['user_id = $1', ...filters].join(' AND ');
    const order = (table: string) => (filter.trashed ? `${table}.deleted_at DESC, ${table}.id DESC` : `${table}.last_activity_at DESC, ${table}.id DESC`);
    // The page is read first and only its rows are formatted; the total comes with it (one round trip),
    // counted from the index alone outside the trash. Only a page past the end needs a count of its own.
    // Prepared once per connection for each combination of filters (each makes its own text).
    const rows = await this.sql.prepared<ThreadResponseRow & { total: string }>(
      `SELECT ${THREAD_RESPONSE_COLUMNS}, (SELECT COUNT(*) FROM threads WHERE ${where}) AS total
       FROM (SELECT * FROM threads WHERE ${where} ORDER BY ${order('threads')}
             LIMIT ${parameter(filter.limit)} OFFSET ${parameter(filter.offset)}) AS page
       ORDER BY ${order('page')}`,
      parameters,
    );
    if (rows.length > 0) return { rows, total: Number(rows[0].total) };
    const count = await this.sql.row<{ total: number }>(
      `SELECT COUNT(*)::int AS total FROM threads WHERE ${where}`,
      parameters.slice(0, parameters.length - 2),
    );
    return { rows: [], total: count?.total ?? 0 };
  }

  async update(userId: string, id: string, changes: ThreadChanges): Promise<void> {
    const parameters: SqlParam[] = [id, userId];
    const sets: string[] = [];
    if (changes.title !== undefined) sets.push(`title = $${parameters.push(changes.title)}`);
    if (changes.isArchived !== undefined) sets.push(`is_archived = $${parameters.push(changes.isArchived)}`);
    if (changes.metadata !== undefined) sets.push(`metadata = $${parameters.push(JSON.stringify(changes.metadata))}::jsonb`);
    if (changes.assistantId !== undefined) sets.push(`assistant_id = $${parameters.push(changes.assistantId)}`);
    if (sets.length === 0) return;
    await this.sql.execute(`UPDATE threads SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND user_id = $2`, parameters);
  }

  /** Deletes the thread for good, from the trash or not; its messages and runs go with it (foreign keys). False when there was none. */
  async delete(userId: string, id: string): Promise<boolean> {
    return (await this.sql.execute('DELETE FROM threads WHERE id = $1 AND user_id = $2', [id, userId])) > 0;
  }

  /** Moves the thread to the trash; false when it is not the user's or is there already. */
  async trash(userId: string, id: string): Promise<boolean> {
    const moved = await this.sql.execute('UPDATE threads SET deleted_at = now() WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL', [id, userId]);
    return moved > 0;
  }

  /** Takes the thread out of the trash (a thread not in it is left as it is); undefined when it is not the user's. */
  async restore(userId: string, id: string): Promise<Thread | undefined> {
    const row = await this.sql.row<ThreadRow>(
      'UPDATE threads SET deleted_at = NULL, updated_at = CASE WHEN deleted_at IS NULL THEN updated_at ELSE now() END WHERE id = $1 AND user_id = $2 RETURNING *',
      [id, userId],
    );
    return row && threadFromRow(row);
  }

  /**
   * Threads of every user that have been in the trash for `retentionDays`
   * or longer, oldest deletion first: the trash's purge reads across users,
   * then deletes each thread as its owner would.
   */
  async trashedFor(retentionDays: number, limit: number): Promise<Array<{ userId: string; id: string }>> {
    const rows = await this.sql.rows<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM threads WHERE deleted_at <= now() - make_interval(days => $1) ORDER BY deleted_at, id LIMIT $2',
      [retentionDays, limit],
    );
    return rows.map((row) => ({ userId: row.user_id, id: row.id }));
  }

  /** Takes the thread's row lock for the rest of the transaction; false when it is not the user's. */
  async lock(userId: string, id: string, db: SqlExecutor): Promise<boolean> {
    return (await db.row<{ id: string }>('SELECT id FROM threads WHERE id = $1 AND user_id = $2 FOR UPDATE', [id, userId])) !== undefined;
  }

  /** Whether a reply is being written in the thread. */
  async isAnswering(userId: string, id: string, db: SqlExecutor = this.sql): Promise<boolean> {
    const row = await db.row<{ answering: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM runs WHERE thread_id = $1 AND user_id = $2 AND status = 'running') AS answering`,
      [id, userId],
    );
    return row?.answering ?? false;
  }

  /**
   * The one place a thread's counters move: message count, tokens, cost and
   * activity times. Answers the message count after the change (none when
   * the thread is not the user's).
   */
  async recordActivity(userId: string, id: string, activity: ThreadActivity, db: SqlExecutor = this.sql): Promise<number | undefined> {
    const statement = new CompositeStatement();
    recordThreadActivityPart(statement, 'activity', userId, id, activity);
    return (await db.row<{ message_count: number }>(statement.text('SELECT message_count FROM activity'), statement.params))?.message_count;
  }

  /**
   * Makes the branch that ends at `leafId` (null: the active one) the
   * thread's active branch, with its counters (messages, tokens, cost) summed
   * over that branch, and its summary dropped when the summary's last message
   * is not on it. Undefined when the leaf is not in the user's thread.
   */
  async moveToLeaf(userId: string, id: string, leafId: string | null, db: SqlExecutor = this.sql): Promise<{ messageCount: number; summaryDropped: boolean } | undefined> {
    const row = await db.row<{ message_count: number; summary_dropped: boolean }>(moveToLeafStatement, [id, userId, leafId]);
    return row && { messageCount: row.message_count, summaryDropped: row.summary_dropped };
  }

  /** Forgets the thread's summary (it covers messages no longer on the branch a turn answers). */
  async dropSummary(userId: string, id: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute(
      'UPDATE threads SET summary = NULL, summary_through_seq = NULL, summary_message_count = 0, summary_updated_at = NULL, updated_at = now() WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
  }

  /** Names the thread unless it has a title already; the title it ends up with, or null when unchanged. */
  async setTitleIfNone(userId: string, id: string, title: string): Promise<string | null> {
    const row = await this.sql.row<{ title: string }>(
      'UPDATE threads SET title = $3, updated_at = now() WHERE id = $1 AND user_id = $2 AND title IS NULL RETURNING title',
      [id, userId, title],
    );
    return row?.title ?? null;
  }

  async summaryState(userId: string, id: string): Promise<SummaryState | undefined> {
    const row = await this.sql.row<Pick<ThreadRow, 'summary' | 'summary_through_seq' | 'message_count' | 'summary_message_count'>>(
      'SELECT summary, summary_through_seq, message_count, summary_message_count FROM threads WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
    return (
      row && {
        summary: row.summary,
        summaryThroughSeq: row.summary_through_seq,
        messageCount: row.message_count,
        summaryMessageCount: row.summary_message_count,
      }
    );
  }

  /** Stores a summary unless a newer one (covering later messages) was stored meanwhile. */
  async saveSummary(userId: string, id: string, summary: string, throughSeq: string): Promise<void> {
    await this.sql.execute(
      `UPDATE threads SET summary = $3, summary_through_seq = $4, summary_message_count = message_count,
         summary_updated_at = now(), updated_at = now()
       WHERE id = $1 AND user_id = $2 AND (summary_through_seq IS NULL OR summary_through_seq < $4)`,
      [id, userId, summary, throughSeq],
    );
  }
}
