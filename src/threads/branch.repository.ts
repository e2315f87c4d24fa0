import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { Message, MessageRole } from './message.entity.js';
import { ACTIVE_LEAF, HISTORY_PATH_COLUMNS, OWNER, PATH_COLUMNS, walkUp } from './branch-walk.js';
import { pageQuery, type BranchPageRow } from './branch-page.js';
import { CONTEXT_MESSAGES, messageFromRow, type HistoryRow, type MessageCursor, type MessageRow } from './messages.repository.js';

export type { BranchPageRow } from './branch-page.js';

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
   * A thread that never branched is read as a range of its messages, any
   * other by walking its tree (branch-page.ts). Each form is prepared once per
   * connection (planning it cost about as much as running it).
   */
  async page(userId: string, threadId: string, cursor: MessageCursor): Promise<BranchPageRow[]> {
    const { text, params } = pageQuery(userId, threadId, cursor);
    return this.sql.prepared<BranchPageRow>(text, params);
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
