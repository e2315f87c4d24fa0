import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Assistant } from '../assistants/assistant.entity.js';
import { assertUsable } from '../assistants/assistants.service.js';
import type { User } from '../auth/user.entity.js';
import { notFound } from '../common/errors/domain-error.js';
import type { Thread } from '../threads/thread.entity.js';
import { noAssistant } from '../threads/threads.service.js';
import type { HistoryMessage } from './context-builder.js';
import { CONTEXT_MESSAGES } from './context.service.js';

/** What a turn needs of its user: the key that pays for it. */
export type TurnUser = Pick<User, 'id' | 'apiKeyCiphertext' | 'apiKeyKeyId' | 'apiKeyVersion' | 'defaultAssistantId'>;
export type TurnThread = Pick<Thread, 'id' | 'userId' | 'assistantId' | 'title' | 'summary' | 'messageCount'>;
export type TurnAssistant = Pick<Assistant, 'id' | 'name' | 'isActive' | 'model' | 'instructions' | 'temperature' | 'tools' | 'vectorStoreId'>;

export interface TurnScope {
  user: TurnUser;
  /** Null when the turn starts a thread. */
  thread: TurnThread | null;
  assistant: TurnAssistant;
  /** A run was answering in the thread when it was read. */
  busy: boolean;
  /** The newest messages of the thread's conversation, oldest first, when they were asked for. */
  history: HistoryMessage[] | undefined;
}

/**
 * The user, the thread and the assistant that answers, read in one
 * statement with ownership in it. The assistant is the one asked for, else
 * the thread's, else the user's default; it must be the user's and active.
 */
const SCOPE = `
  SELECT u.id AS user_id, u.api_key_ciphertext, u.api_key_key_id, u.api_key_version, u.default_assistant_id,
         t.id AS thread_id, t.assistant_id AS thread_assistant_id, t.title AS thread_title, t.summary AS thread_summary,
         t.message_count AS thread_message_count,
         COALESCE($3::uuid, t.assistant_id, u.default_assistant_id) AS wanted_assistant_id,
         a.id AS assistant_id, a.name AS assistant_name, a.is_active AS assistant_is_active, a.model AS assistant_model,
         a.instructions AS assistant_instructions, a.temperature AS assistant_temperature, a.tools AS assistant_tools,
         a.vector_store_id AS assistant_vector_store_id,
         EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = t.id AND r.status = 'running') AS thread_busy,
         CASE WHEN $4::int > 0 THEN (
           SELECT COALESCE(json_agg(json_build_object('id', h.id, 'role', h.role, 'content', h.content, 'fileIds', h.file_ids) ORDER BY h.seq), '[]')
           FROM (SELECT id, role, content, file_ids, seq FROM messages
                 WHERE thread_id = t.id AND ${CONTEXT_MESSAGES} ORDER BY seq DESC LIMIT $4) h
         ) END AS history
  FROM users u
  LEFT JOIN threads t ON t.id = $2::uuid AND t.user_id = u.id
  LEFT JOIN assistants a ON a.id = COALESCE($3::uuid, t.assistant_id, u.default_assistant_id) AND a.user_id = u.id
  WHERE u.id = $1`;

type ScopeRow = Record<string, unknown>;

@Injectable()
export class TurnScopes {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The scope of a turn on an existing thread (404 when it is not the user's). */
  async loadForThread(userId: string, threadId: string): Promise<TurnScope & { thread: TurnThread }> {
    return (await this.load(userId, threadId, null)) as TurnScope & { thread: TurnThread };
  }

  /**
   * @param threadId the thread the turn continues (none: a new thread)
   * @param assistantId the assistant asked for in the request, if any
   * @param historyLimit also read this many of the thread's newest messages (0: none)
   */
  async load(userId: string, threadId: string | null, assistantId: string | null, historyLimit = 0): Promise<TurnScope> {
    const [row] = (await this.dataSource.query(SCOPE, [userId, threadId, assistantId, historyLimit])) as ScopeRow[];
    if (!row) throw notFound('User');
    if (threadId && !row.thread_id) throw notFound('Thread');
    if (!row.wanted_assistant_id) throw noAssistant();
    if (!row.assistant_id) throw notFound('Assistant');
    return {
      user: {
        id: row.user_id as string,
        apiKeyCiphertext: (row.api_key_ciphertext as string | null) ?? null,
        apiKeyKeyId: (row.api_key_key_id as string | null) ?? null,
        apiKeyVersion: row.api_key_version as number,
        defaultAssistantId: (row.default_assistant_id as string | null) ?? null,
      },
      thread: row.thread_id
        ? {
            id: row.thread_id as string,
            userId,
            assistantId: (row.thread_assistant_id as string | null) ?? null,
            title: (row.thread_title as string | null) ?? null,
            summary: (row.thread_summary as string | null) ?? null,
            messageCount: row.thread_message_count as number,
          }
        : null,
      assistant: assertUsable({
        id: row.assistant_id as string,
        name: row.assistant_name as string,
        isActive: row.assistant_is_active as boolean,
        model: row.assistant_model as string,
        instructions: (row.assistant_instructions as string | null) ?? null,
        temperature: (row.assistant_temperature as number | null) ?? null,
        tools: (row.assistant_tools as Assistant['tools'] | null) ?? [],
        vectorStoreId: (row.assistant_vector_store_id as string | null) ?? null,
      }),
      busy: row.thread_busy === true,
      history: historyLimit > 0 && row.thread_id ? (row.history as HistoryMessage[]) : undefined,
    };
  }
}
