// Walks up a thread's tree of messages: the path from a message to the
// thread's first one, as a recursive CTE other statements build on.

/** The thread and the user of a walk, when they are the statement's first two parameters. */
export const OWNER = { thread: '$1', user: '$2' };
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
