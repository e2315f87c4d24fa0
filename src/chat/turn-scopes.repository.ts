import { Injectable } from '@nestjs/common';
import type { Assistant } from '../assistants/assistant.entity.js';
import { assertUsable } from '../assistants/assistants.service.js';
import type { User } from '../auth/user.entity.js';
import type { BudgetLimits } from '../config/budgets.js';
import { limitsFromRow } from '../budgets/budgets.repository.js';
import { notFound } from '../common/errors/domain-error.js';
import { Sql } from '../database/sql.js';
import { HISTORY_PATH_COLUMNS, walkUp } from '../threads/branch-walk.js';
import { CONTEXT_MESSAGES } from '../threads/messages.repository.js';
import type { Thread } from '../threads/thread.entity.js';
import type { HistoryMessage } from './context-builder.js';

/** What a turn needs of its user: the key that pays for it, and the user's own budget limits (null: none set). */
export type TurnUser = Pick<User, 'id' | 'apiKeyCiphertext' | 'apiKeyKeyId' | 'apiKeyVersion' | 'defaultAssistantId'> & {
  budgetOverride: BudgetLimits | null;
};
export type TurnThread = Pick<Thread, 'id' | 'userId' | 'assistantId' | 'title' | 'summary' | 'summaryThroughSeq' | 'messageCount' | 'activeLeafId' | 'treeSize'>;
/** Who answers: an assistant of the user's, or (id null) the plain chat's profile without instructions or tools. */
export type TurnAssistant = Pick<Assistant, 'name' | 'isActive' | 'model' | 'instructions' | 'temperature' | 'tools' | 'vectorStoreId'> & {
  id: string | null;
};

export interface TurnScope {
  user: TurnUser;
  /** Null when the turn starts a thread. */
  thread: TurnThread | null;
  /** Null when no assistant is asked for, the thread has none and the user has no default one. */
  assistant: TurnAssistant | null;
  /** A run was answering in the thread when it was read. */
  busy: boolean;
  /** The newest messages of the thread's active branch (with afterSummary, those its summary does not cover), oldest first, when asked for. */
  history: HistoryMessage[] | undefined;
}

/**
 * The user (with their budget limits), the thread and the assistant that
 * answers, read in one statement with ownership in it. The assistant is the
 * one asked for, else the thread's, else the user's default; it must be the
 * user's and active. There may be none (a plain chat). Prepared: its plan
 * (primary keys, the branch walk) does not depend on the parameters.
 */
const SCOPE = `
  SELECT u.id AS user_id, u.api_key_ciphertext, u.api_key_key_id, u.api_key_version, u.default_assistant_id,
         ub.user_id IS NOT NULL AS has_budget, ub.tokens AS budget_tokens, ub.usd AS budget_usd,
         t.id AS thread_id, t.assistant_id AS thread_assistant_id, t.title AS thread_title, t.summary AS thread_summary,
         t.summary_through_seq AS thread_summary_through_seq, t.message_count AS thread_message_count,
         t.active_leaf_id AS thread_active_leaf_id, t.tree_size AS thread_tree_size,
         COALESCE($3::uuid, t.assistant_id, u.default_assistant_id) AS wanted_assistant_id,
         a.id AS assistant_id, a.name AS assistant_name, a.is_active AS assistant_is_active, a.model AS assistant_model,
         a.instructions AS assistant_instructions, a.temperature AS assistant_temperature, a.tools AS assistant_tools,
         a.vector_store_id AS assistant_vector_store_id,
         EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = t.id AND r.user_id = u.id AND r.status = 'running') AS thread_busy,
         CASE WHEN $4::int > 0 THEN (
           ${walkUp('t.active_leaf_id', (top) => `m.depth > ${top} - $4 AND ($5::boolean IS NOT TRUE OR m.seq > COALESCE(t.summary_through_seq, 0))`, { thread: 't.id', user: 'u.id' }, HISTORY_PATH_COLUMNS)}
           SELECT COALESCE(json_agg(json_build_object('id', h.id, 'seq', h.seq, 'role', h.role, 'content', h.content, 'fileIds', h.file_ids, 'replyToId', h.reply_to_id) ORDER BY h.seq), '[]')
           FROM branch h WHERE ${CONTEXT_MESSAGES}
         ) END AS history
  FROM users u
  LEFT JOIN user_budgets ub ON ub.user_id = u.id
  LEFT JOIN threads t ON t.id = $2::uuid AND t.user_id = u.id AND t.deleted_at IS NULL
  LEFT JOIN assistants a ON a.id = COALESCE($3::uuid, t.assistant_id, u.default_assistant_id) AND a.user_id = u.id AND a.deleted_at IS NULL
  WHERE u.id = $1`;

/** A row of SCOPE: the thread's and the assistant's columns are null when there is none. */
interface ScopeRow {
  user_id: string;
  api_key_ciphertext: string | null;
  api_key_key_id: string | null;
  api_key_version: number;
  default_assistant_id: string | null;
  has_budget: boolean;
  budget_tokens: string | null;
  budget_usd: string | null;
  thread_id: string | null;
  thread_assistant_id: string | null;
  thread_title: string | null;
  thread_summary: string | null;
  thread_summary_through_seq: string | null;
  thread_message_count: number | null;
  thread_active_leaf_id: string | null;
  thread_tree_size: number | null;
  wanted_assistant_id: string | null;
  assistant_id: string | null;
  assistant_name: string | null;
  assistant_is_active: boolean | null;
  assistant_model: string | null;
  assistant_instructions: string | null;
  assistant_temperature: number | null;
  assistant_tools: Assistant['tools'] | null;
  assistant_vector_store_id: string | null;
  thread_busy: boolean;
  history: HistoryMessage[] | null;
}

/** The one mapping of a scope row (ownership, and the presence of an assistant asked for, checked). */
function scopeFromRow(row: ScopeRow, userId: string, threadId: string | null, historyLimit: number): TurnScope {
  if (threadId && !row.thread_id) throw notFound('Thread');
  if (row.wanted_assistant_id && !row.assistant_id) throw notFound('Assistant');
  return {
    user: {
      id: row.user_id,
      apiKeyCiphertext: row.api_key_ciphertext,
      apiKeyKeyId: row.api_key_key_id,
      apiKeyVersion: row.api_key_version,
      defaultAssistantId: row.default_assistant_id,
      budgetOverride: row.has_budget ? limitsFromRow({ tokens: row.budget_tokens, usd: row.budget_usd }) : null,
    },
    thread: row.thread_id
      ? {
          id: row.thread_id,
          userId,
          assistantId: row.thread_assistant_id,
          title: row.thread_title,
          summary: row.thread_summary,
          summaryThroughSeq: row.thread_summary_through_seq === null ? null : Number(row.thread_summary_through_seq),
          messageCount: row.thread_message_count ?? 0,
          activeLeafId: row.thread_active_leaf_id,
          treeSize: row.thread_tree_size ?? 0,
        }
      : null,
    assistant: row.assistant_id === null ? null : assertUsable({
      id: row.assistant_id,
      name: row.assistant_name ?? '',
      isActive: row.assistant_is_active === true,
      model: row.assistant_model ?? '',
      instructions: row.assistant_instructions,
      temperature: row.assistant_temperature,
      tools: row.assistant_tools ?? [],
      vectorStoreId: row.assistant_vector_store_id,
    }),
    busy: row.thread_busy === true,
    history: historyLimit > 0 && row.thread_id ? (row.history ?? []) : undefined,
  };
}

/** The scope of a turn, read in one statement with ownership in it. */
@Injectable()
export class TurnScopes {
  constructor(private readonly sql: Sql) {}

  /** The scope of a turn on an existing thread (404 when it is not the user's). */
  async loadForThread(userId: string, threadId: string): Promise<TurnScope & { thread: TurnThread }> {
    const scope = await this.load(userId, threadId, null);
    if (!scope.thread) throw notFound('Thread');
    return { ...scope, thread: scope.thread };
  }

  /**
   * @param threadId the thread the turn continues (none: a new thread)
   * @param assistantId the assistant asked for in the request, if any
   * @param historyLimit also read this many of the thread's newest messages (0: none)
   * @param afterSummary of those, only the ones the thread's summary does not cover
   */
  async load(userId: string, threadId: string | null, assistantId: string | null, historyLimit = 0, afterSummary = false): Promise<TurnScope> {
    const [row] = await this.sql.prepared<ScopeRow>(SCOPE, [userId, threadId, assistantId, historyLimit, afterSummary]);
    if (!row) throw notFound('User');
    return scopeFromRow(row, userId, threadId, historyLimit);
  }
}
