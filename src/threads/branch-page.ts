// The statements that read a page of a thread's active branch in its API
// shape. A thread whose messages are all on its active branch (none was ever
// regenerated or edited) is read as a range of its messages; any other is
// walked up from its active leaf (or from the anchor) one message at a time.
import type { SqlParam } from '../database/sql.js';
import type { MessageCursor } from './messages.repository.js';
import { ACTIVE_LEAF, OWNER, PATH_COLUMNS, walkUp } from './branch-walk.js';
import { MESSAGE_RESPONSE_COLUMNS, messageFeedbackColumn, type MessageResponseRow, type SiblingColumns } from './thread.mapper.js';

export type BranchPageRow = MessageResponseRow & SiblingColumns;

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

/** What a page reads of a message: the columns of MESSAGE_RESPONSE_COLUMNS, and those a walk and SIBLINGS step along. */
const PAGE_COLUMNS = `${PATH_COLUMNS}, m.seq, m.thread_id, m.role, m.content, m.status, m.status_reason, m.reply_to_id, m.file_ids,
  m.citations, m.assistant_id, m.model, m.input_tokens, m.output_tokens, m.cost, m.created_at`;

/**
 * Whether every message of the thread is on its active branch: the branch
 * holds as many messages as its leaf's depth, and the tree as many as
 * `tree_size`. A message is always written after its parent, so along the
 * branch `seq` grows with the depth. No row while the thread is in the trash.
 */
const LINEAR = `linear AS (
    SELECT t.tree_size = l.depth AS linear FROM threads t
    JOIN messages l ON l.id = t.active_leaf_id AND l.thread_id = t.id AND l.user_id = t.user_id
    WHERE t.id = $1 AND t.user_id = $2 AND t.deleted_at IS NULL
  )`;

interface PageForm {
  /** Where the walk starts (a message id) and how far it goes (on the step's depth, and the start's `top`). */
  walkFrom: string;
  walkBound: (top: string) => string;
  /** Which of the walked messages the page keeps. */
  walkKeeps: string;
  /** Which messages of a linear thread the page keeps (on the message row `m`). */
  rangeKeeps: string;
  /** Newest first, or oldest first. */
  order: 'DESC' | 'ASC';
}

const selectColumns = (siblings: string) => `${MESSAGE_RESPONSE_COLUMNS}, ${messageFeedbackColumn('b')}, ${siblings}, b.depth`;

/** One page statement: the range for a linear thread, else the walk (each is only run when the thread is of its kind). */
function pageStatement(form: PageForm): string {
  return `${walkUp(form.walkFrom, form.walkBound, OWNER, PAGE_COLUMNS)}, ${LINEAR}
  SELECT * FROM (
    SELECT ${selectColumns('1 AS sibling_count, 1 AS sibling_index, json_build_array(b.id) AS sibling_ids')}
    FROM (SELECT ${PAGE_COLUMNS} FROM messages m WHERE m.thread_id = $1 AND m.user_id = $2 AND ${form.rangeKeeps}
          ORDER BY m.seq ${form.order} LIMIT $3) b
    WHERE (SELECT linear FROM linear)
    UNION ALL
    (SELECT ${selectColumns('siblings.sibling_count, siblings.sibling_index, siblings.sibling_ids')}
     FROM branch b ${SIBLINGS}
     WHERE NOT (SELECT linear FROM linear) AND ${form.walkKeeps}
     ORDER BY b.depth ${form.order} LIMIT $3)
  ) page ORDER BY depth ${form.order}`;
}

const ANCHOR = (column: string) => `(SELECT ${column} FROM messages WHERE id = $4 AND thread_id = $1 AND user_id = $2)`;

/** The newest messages of the active branch, newest first ($1 the thread, $2 the user, $3 the limit). */
const PAGE_NEWEST = pageStatement({
  walkFrom: ACTIVE_LEAF,
  walkBound: (top) => `m.depth > ${top} - $3`,
  walkKeeps: 'true',
  rangeKeeps: 'true',
  order: 'DESC',
});

/** The messages on the path to the anchor ($4), before it, newest first. */
const PAGE_BEFORE = pageStatement({
  walkFrom: `(SELECT a.parent_id FROM messages a JOIN threads t ON t.id = a.thread_id AND t.user_id = a.user_id AND t.deleted_at IS NULL
    WHERE a.id = $4 AND a.thread_id = $1 AND a.user_id = $2)`,
  walkBound: (top) => `m.depth > ${top} - $3`,
  walkKeeps: 'true',
  rangeKeeps: `m.seq < ${ANCHOR('seq')}`,
  order: 'DESC',
});

/** The messages of the active branch after the anchor ($4, when it is on it), oldest first. */
const PAGE_AFTER = pageStatement({
  walkFrom: ACTIVE_LEAF,
  walkBound: () => `m.depth >= ${ANCHOR('depth')}`,
  walkKeeps: `b.depth > ${ANCHOR('depth')} AND EXISTS (SELECT 1 FROM branch WHERE id = $4)`,
  rangeKeeps: `m.seq > ${ANCHOR('seq')}`,
  order: 'ASC',
});

/** The statement and parameters of a page read. */
export function pageQuery(userId: string, threadId: string, cursor: MessageCursor): { text: string; params: SqlParam[] } {
  if (cursor.anchorId === null) return { text: PAGE_NEWEST, params: [threadId, userId, cursor.limit] };
  return { text: cursor.direction === 'before' ? PAGE_BEFORE : PAGE_AFTER, params: [threadId, userId, cursor.limit, cursor.anchorId] };
}
