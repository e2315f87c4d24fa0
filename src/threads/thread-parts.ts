import { randomUUID } from 'node:crypto';
import type { SqlParam } from '../database/sql.js';
import type { CompositeStatement } from '../database/statement.js';
import { walkUp } from './branch-walk.js';

export interface NewThread {
  id?: string;
  assistantId: string | null;
  title: string | null;
  metadata?: Record<string, string>;
}

/** What a turn or a new message adds to a thread's counters. */
export interface ThreadActivity {
  /** Messages added to the thread's tree. */
  messages: number;
  /** A message was written (its time becomes the thread's last message time). */
  messageWritten: boolean;
  /**
   * The message that becomes the active branch's leaf (the message count
   * becomes its depth): given, or the row of an earlier part of the statement.
   */
  leaf?: { id: string; depth: number } | { part: string };
  inputTokens?: number;
  outputTokens?: number;
  cost?: number;
  /** Moves the thread to this assistant. */
  assistantId?: string | null;
}

/**
 * The insert as a part of a larger statement, named `name`. A thread that
 * starts with its first message (a new conversation's turn) counts it from
 * the start, as its active leaf: a statement cannot update a row it inserts.
 */
export function insertThreadPart(statement: CompositeStatement, name: string, userId: string, thread: NewThread, firstMessageId: string | null): void {
  const p = (value: SqlParam) => statement.param(value);
  const first = firstMessageId !== null;
  statement.with(
    name,
    `INSERT INTO threads (id, user_id, assistant_id, title, is_archived, metadata, message_count, tree_size, active_leaf_id, last_message_at, last_activity_at)
     VALUES (${p(thread.id ?? randomUUID())}, ${p(userId)}, ${p(thread.assistantId)}, ${p(thread.title)}, false,
             ${p(JSON.stringify(thread.metadata ?? {}))}::jsonb, ${first ? '1, 1' : '0, 0'}, ${p(firstMessageId)}::uuid, ${first ? 'now()' : 'NULL'}, now())
     RETURNING *`,
  );
}

/** The counters' move as a part of a larger statement, named `name`; with `onlyIf`, only when that part returned a row. */
export function recordThreadActivityPart(
  statement: CompositeStatement,
  name: string,
  userId: string,
  id: string,
  activity: ThreadActivity,
  onlyIf?: string,
): void {
  const p = (value: SqlParam) => statement.param(value);
  const { leaf } = activity;
  const leafId = leaf === undefined ? 'NULL::uuid' : 'part' in leaf ? `(SELECT id FROM ${leaf.part})` : `${p(leaf.id)}::uuid`;
  const leafDepth = leaf === undefined ? 'NULL::int' : 'part' in leaf ? `(SELECT depth FROM ${leaf.part})` : `${p(leaf.depth)}::int`;
  statement.with(
    name,
    `UPDATE threads SET message_count = COALESCE(${leafDepth}, message_count + ${p(activity.messages)}::int),
       tree_size = tree_size + ${p(activity.messages)}::int, active_leaf_id = COALESCE(${leafId}, active_leaf_id),
       input_tokens = input_tokens + ${p(activity.inputTokens ?? 0)}::bigint, output_tokens = output_tokens + ${p(activity.outputTokens ?? 0)}::bigint,
       total_cost = total_cost + ${p(activity.cost ?? 0)}::numeric,
       last_message_at = CASE WHEN ${p(activity.messageWritten)}::boolean THEN now() ELSE last_message_at END,
       last_activity_at = now(), updated_at = now(), assistant_id = COALESCE(${p(activity.assistantId ?? null)}::uuid, assistant_id)
     WHERE id = ${p(id)} AND user_id = ${p(userId)}${onlyIf ? ` AND EXISTS (SELECT 1 FROM ${onlyIf})` : ''}
     RETURNING message_count`,
  );
}

/**
 * $1 the thread, $2 the user, $3 the new leaf (null: the active one). The
 * branch is walked once; the counters are its sums, and the summary goes when
 * its last message is not on the branch.
 */
export const moveToLeafStatement = `${walkUp('COALESCE($3::uuid, (SELECT active_leaf_id FROM threads WHERE id = $1 AND user_id = $2))')},
  totals AS (
    SELECT (SELECT id FROM branch ORDER BY depth DESC LIMIT 1) AS leaf_id, count(*)::int AS message_count,
           COALESCE(sum(input_tokens), 0) AS input_tokens, COALESCE(sum(output_tokens), 0) AS output_tokens, COALESCE(sum(cost), 0) AS cost
    FROM branch HAVING count(*) > 0),
  moved AS (
    UPDATE threads t SET active_leaf_id = totals.leaf_id, message_count = totals.message_count,
      input_tokens = totals.input_tokens, output_tokens = totals.output_tokens, total_cost = totals.cost,
      summary = CASE WHEN kept.on_branch THEN t.summary END,
      summary_through_seq = CASE WHEN kept.on_branch THEN t.summary_through_seq END,
      summary_message_count = CASE WHEN kept.on_branch THEN t.summary_message_count ELSE 0 END,
      summary_updated_at = CASE WHEN kept.on_branch THEN t.summary_updated_at END,
      updated_at = now()
    FROM totals, threads before
    CROSS JOIN LATERAL (SELECT before.summary_through_seq IS NULL OR EXISTS (SELECT 1 FROM branch WHERE seq = before.summary_through_seq) AS on_branch) kept
    WHERE t.id = $1 AND t.user_id = $2 AND before.id = $1 AND before.user_id = $2
    RETURNING t.message_count, NOT kept.on_branch AS summary_dropped)
  SELECT * FROM moved`;
