import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { Message, MessageRole } from './message.entity.js';
import { CONTEXT_MESSAGES, messageFromRow, type HistoryRow, type MessageCursor, type MessageRow } from './messages.repository.js';
import { MESSAGE_RESPONSE_COLUMNS, messageFeedbackColumn, type MessageResponseRow, type SiblingColumns } from './thread.mapper.js';

/** The thread and the user of a walk, when they are the statement's first two parameters. */
const OWNER = { thread: '$1', user: '$2' };
/** The least a walk carries: what it steps along. */
export const PATH_COLUMNS = 'm.id, m.parent_id, m.depth';
/** What a walk for a turn's history carries (HistoryRow, and the columns CONTEXT_MESSAGES reads). */
export const HISTORY_PATH_COLUMNS = `${PATH_COLUMNS}, m.seq, m.role, m.content, m.status, m.file_ids, m.reply_to_id`;

/**
 * The path from a message up to the thread's first message, as the recursive
 * CTE `branch` (`columns` of `messages`, which must include those of
 * PATH_COLUMNS, and `top`, the depth it starts at). Each step is a
 * primary-key lookup with the thread and the user in it; `bound` (on the
 * step's row `m`, and `top`) stops the walk early. `owner` names the thread
 * and the user (by default $1 and $2). Every column a step carries is copied
 * at each step: walks that read little carry little.
 *
 * The step is a lateral lookup of one row: as a join, PostgreSQL planned it
 * for the ten rows it assumes a step holds (there is one), and read all of
 * the thread's messages at every step instead of one by its key.
 */
export function walkUp(start: string, bound: (top: string) => string = () => 'true', owner = OWNER, columns = 'm.*'): string {
  return `WITH RECURSIVE branch AS (
    SELECT ${columns}, m.depth AS top FROM messages m
    WHERE m.id = ${start} AND m.thread_id = ${owner.thread} AND m.user_id = ${owner.user} AND ${bound('m.depth')}
    UNION ALL
    SELECT ${columns}, b.top FROM branch b CROSS JOIN LATERAL (
      SELECT * FROM messages m WHERE m.id = b.parent_id AND m.thread_id = ${owner.thread} AND m.user_id = ${owner.user} LIMIT 1
    ) m
    WHERE ${bound('b.top')}
  )`;
}

/** The thread's active leaf ($1 the thread, $2 the user); none while the thread is in the trash. */
export const ACTIVE_LEAF = '(SELECT active_leaf_id FROM threads WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL)';

/**
 * How many versions a message has (it and its siblings), which one it is
 * (1-based, oldest first), and their ids in that order (as JSON: parsed
 * natively, where a PostgreSQL array is parsed character by character).
 */
const SIBLINGS = `CROSS JOIN LATERAL (
    SELECT count(*)::int AS sibling_count, (count(*) FILTER (WHERE s.seq <= b.seq))::int AS sibling_index,
      json_agg(s.id ORDER BY s.seq) AS sibling_ids FROM (
      SELECT id, seq FROM messages WHERE b.parent_id IS NOT NULL AND thread_id = $1 AND parent_id = b.parent_id AND user_id = $2
      UNION ALL
      SELECT id, seq FROM messages WHERE b.parent_id IS NULL AND thread_id = $1 AND parent_id IS NULL AND user_id = $2
    ) s
  ) siblings`;

export type BranchPageRow = MessageResponseRow & SiblingColumns;

/** What a page's walk carries: the columns of MESSAGE_RESPONSE_COLUMNS, and those SIBLINGS reads. */
const PAGE_PATH_COLUMNS = `${PATH_COLUMNS}, m.seq, m.thread_id, m.role, m.content, m.status, m.status_reason, m.reply_to_id, m.file_ids,
  m.citations, m.assistant_id, m.model, m.input_tokens, m.output_tokens, m.cost, m.created_at`;
/** A page's messages in their API shape, with their versions ($1 the thread, $2 the user, $3 the limit; $4 the anchor). */
const PAGE_SELECT = `SELECT ${MESSAGE_RESPONSE_COLUMNS}, ${messageFeedbackColumn('b')}, siblings.sibling_count, siblings.sibling_index, siblings.sibling_ids
  FROM branch b ${SIBLINGS}`;
/** The newest messages of the active branch, newest first. */
const PAGE_NEWEST = `${walkUp(ACTIVE_LEAF, (top) => `m.depth > ${top} - $3`, OWNER, PAGE_PATH_COLUMNS)} ${PAGE_SELECT} ORDER BY b.depth DESC`;
/** The messages on the path to the anchor, before it, newest first. */
const PAGE_BEFORE = `${walkUp(
  `(SELECT a.parent_id FROM messages a JOIN threads t ON t.id = a.thread_id AND t.user_id = a.user_id AND t.deleted_at IS NULL
    WHERE a.id = $4 AND a.thread_id = $1 AND a.user_id = $2)`,
  (top) => `m.depth > ${top} - $3`,
  OWNER,
  PAGE_PATH_COLUMNS,
)} ${PAGE_SELECT} ORDER BY b.depth DESC`;
const ANCHOR_DEPTH = '(SELECT depth FROM messages WHERE id = $4 AND thread_id = $1 AND user_id = $2)';
/** The messages of the active branch after the anchor (when it is on it), oldest first. */
const PAGE_AFTER = `${walkUp(ACTIVE_LEAF, () => `m.depth >= ${ANCHOR_DEPTH}`, OWNER, PAGE_PATH_COLUMNS)}
  ${PAGE_SELECT} WHERE b.depth > ${ANCHOR_DEPTH} AND EXISTS (SELECT 1 FROM branch WHERE id = $4)
  ORDER BY b.depth ASC LIMIT $3`;

/** A message with what its place in the tree allows: its parent, its versions, its replies. */
export interface TreeNode {
  id: string;
  seq: number;
  role: MessageRole;
  parentId: string | null;
  parentRole: MessageRole | null;
  parentSeq: number | null;
  replyToId: string | null;
  fileIds: string[];
  /** It and its siblings. */
  versions: number;
  /** Messages right below it. */
  children: number;
}

interface TreeNodeRow {
  id: string;
  seq: string;
  role: MessageRole;
  parent_id: string | null;
  parent_role: MessageRole | null;
  parent_seq: string | null;
  reply_to_id: string | null;
  file_ids: string[];
  versions: number;
  children: number;
}

function treeNodeFromRow(row: TreeNodeRow): TreeNode {
  return {
    id: row.id,
    seq: Number(row.seq),
    role: row.role,
    parentId: row.parent_id,
    parentRole: row.parent_role,
    parentSeq: row.parent_seq === null ? null : Number(row.parent_seq),
    replyToId: row.reply_to_id,
    fileIds: row.file_ids ?? [],
    versions: Number(row.versions),
    children: Number(row.children),
  };
}

/**
 * A thread's messages as a tree: its active branch (read upwards from the
 * active leaf), the versions of a message, the way down to a leaf, and the
 * copy of a path into another thread.
 */
@Injectable()
export class BranchRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * A page of the active branch in its API shape, in the order read (newest
   * first for `before`), each message with its sibling count and index; none
   * while the thread is in the trash. `before` reads the path that leads to
   * the anchor; `after` reads on from the anchor when it is on the active branch.
   * Each form is prepared once per connection (planning it cost about as much
   * as running it).
   */
  async page(userId: string, threadId: string, cursor: MessageCursor): Promise<BranchPageRow[]> {
    if (cursor.anchorId === null) return this.sql.prepared<BranchPageRow>(PAGE_NEWEST, [threadId, userId, cursor.limit]);
    const text = cursor.direction === 'before' ? PAGE_BEFORE : PAGE_AFTER;
    return this.sql.prepared<BranchPageRow>(text, [threadId, userId, cursor.limit, cursor.anchorId]);
  }

  /** Messages of the active branch after a position, oldest first (for export: a page at a time). */
  async conversationAfter(userId: string, threadId: string, afterSeq: number, limit: number): Promise<Message[]> {
    const rows = await this.sql.rows<MessageRow>(`${walkUp(ACTIVE_LEAF, () => 'm.seq > $3')} SELECT * FROM branch ORDER BY seq ASC LIMIT $4`, [
      threadId,
      userId,
      afterSeq,
      limit,
    ]);
    return rows.map(messageFromRow);
  }

  /**
   * The newest messages of the path that ends at `fromId` that go into a
   * turn's input, newest first: at most `limit` steps up, and only those
   * after `afterSeq` (what a summary does not cover).
   */
  async history(userId: string, threadId: string, fromId: string, limit: number, afterSeq: number | null = null): Promise<HistoryRow[]> {
    return this.sql.rows<HistoryRow>(
      `${walkUp('$3', (top) => `m.depth > ${top} - $4 AND ($5::bigint IS NULL OR m.seq > $5)`, OWNER, HISTORY_PATH_COLUMNS)}
       SELECT id, seq, role, content, file_ids, reply_to_id FROM branch WHERE ${CONTEXT_MESSAGES} ORDER BY seq DESC`,
      [threadId, userId, fromId, limit, afterSeq],
    );
  }

  /** The position of the oldest message of the active branch's newest `window`: what precedes it is summarized. */
  async windowStart(userId: string, threadId: string, window: number): Promise<string | undefined> {
    const row = await this.sql.row<{ seq: string }>(`${walkUp(ACTIVE_LEAF, (top) => `m.depth > ${top} - $3`, OWNER, `${PATH_COLUMNS}, m.seq`)} SELECT seq FROM branch WHERE depth = top - $3 + 1`, [
      threadId,
      userId,
      window,
    ]);
    return row?.seq;
  }

  /** Messages of the active branch between two positions to summarize, newest first and at most `limit`. */
  async between(userId: string, threadId: string, fromSeq: string, toSeq: string, limit: number): Promise<Array<{ seq: string; role: MessageRole; content: string }>> {
    return this.sql.rows(
      `${walkUp(ACTIVE_LEAF, () => 'm.seq > $3', OWNER, `${PATH_COLUMNS}, m.seq, m.role, m.content`)}
       SELECT seq, role, content FROM branch WHERE seq < $4 AND content <> '' ORDER BY seq DESC LIMIT $5`,
      [threadId, userId, fromSeq, toSeq, limit],
    );
  }

  /** A message of the thread (null: its active leaf) with its parent, its versions and its replies; undefined when there is none. */
  async node(userId: string, threadId: string, id: string | null, db: SqlExecutor = this.sql): Promise<TreeNode | undefined> {
    const row = await db.row<TreeNodeRow>(
      `SELECT m.id, m.seq, m.role, m.parent_id, p.role AS parent_role, p.seq AS parent_seq, m.reply_to_id, m.file_ids,
              (SELECT count(*) FROM messages s WHERE s.thread_id = $1 AND s.user_id = $2
                 AND (s.parent_id = m.parent_id OR (m.parent_id IS NULL AND s.parent_id IS NULL)))::int AS versions,
              (SELECT count(*) FROM messages c WHERE c.thread_id = $1 AND c.parent_id = m.id AND c.user_id = $2)::int AS children
       FROM messages m
       LEFT JOIN messages p ON p.id = m.parent_id AND p.thread_id = $1 AND p.user_id = $2
       WHERE m.id = COALESCE($3::uuid, ${ACTIVE_LEAF}) AND m.thread_id = $1 AND m.user_id = $2`,
      [threadId, userId, id],
    );
    return row && treeNodeFromRow(row);
  }

  /** The leaf a branch through this message ends at: down from it, always to the newest reply. Undefined when the message is not in the thread. */
  async latestLeafBelow(userId: string, threadId: string, id: string, db: SqlExecutor = this.sql): Promise<string | undefined> {
    const row = await db.row<{ id: string }>(
      `WITH RECURSIVE down AS (
         SELECT m.id, 1 AS step FROM messages m WHERE m.id = $3 AND m.thread_id = $1 AND m.user_id = $2
         UNION ALL
         SELECT (SELECT c.id FROM messages c WHERE c.thread_id = $1 AND c.parent_id = d.id AND c.user_id = $2 ORDER BY c.seq DESC LIMIT 1), d.step + 1
         FROM down d WHERE d.id IS NOT NULL
       )
       SELECT id FROM down WHERE id IS NOT NULL ORDER BY step DESC LIMIT 1`,
      [threadId, userId, id],
    );
    return row?.id;
  }

  /**
   * Copies the path that ends at `id` into another thread of the user's, with
   * new ids (parents and replied-to messages follow the copies). The copies
   * carry no usage: what was spent is counted once, on the originals. The
   * copied leaf, with its depth; undefined when the message is not in the thread.
   */
  async copyPath(userId: string, threadId: string, id: string, toThreadId: string, db: SqlExecutor): Promise<{ id: string; depth: number; count: number } | undefined> {
    const row = await db.row<{ id: string | null; depth: number | null; count: number }>(
      `${walkUp('$3')},
       ids AS (SELECT id AS old_id, gen_random_uuid() AS new_id FROM branch),
       copied AS (
         INSERT INTO messages (id, thread_id, user_id, parent_id, depth, role, content, status, status_reason, reply_to_id,
                               file_ids, citations, assistant_id, model, created_at, updated_at)
         SELECT ids.new_id, $4::uuid, $2::uuid, (SELECT new_id FROM ids WHERE old_id = b.parent_id), b.depth, b.role, b.content,
                CASE WHEN b.status = 'streaming' THEN 'incomplete' ELSE b.status END,
                CASE WHEN b.status = 'streaming' THEN 'interrupted' ELSE b.status_reason END,
                (SELECT new_id FROM ids WHERE old_id = b.reply_to_id), b.file_ids, b.citations, b.assistant_id, b.model, b.created_at, now()
         FROM branch b JOIN ids ON ids.old_id = b.id
         WHERE EXISTS (SELECT 1 FROM threads WHERE id = $4::uuid AND user_id = $2)
         ORDER BY b.depth
         RETURNING id, depth)
       SELECT (SELECT id FROM copied ORDER BY depth DESC LIMIT 1) AS id, (SELECT max(depth) FROM copied) AS depth, (SELECT count(*)::int FROM copied) AS count`,
      [threadId, userId, id, toThreadId],
    );
    return row && row.id !== null && row.depth !== null ? { id: row.id, depth: row.depth, count: row.count } : undefined;
  }
}
