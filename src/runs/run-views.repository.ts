import { Injectable } from '@nestjs/common';
import type { AssistantTool } from '../assistants/assistant.entity.js';
import { keysetSql, pageRows, type KeysetPage } from '../database/keyset-page.js';
import { Sql } from '../database/sql.js';
import type { RunStatus } from './run.entity.js';

/** A run with what its OpenAI-style view shows: the assistant that answered (or the thread's) and the reply's model and usage. */
export interface RunViewRow {
  id: string;
  thread_id: string;
  status: RunStatus;
  cancel_requested: boolean;
  error_code: string | null;
  started_at: Date;
  finished_at: Date | null;
  assistant_id: string | null;
  assistant_model: string | null;
  assistant_instructions: string | null;
  assistant_tools: AssistantTool[] | null;
  assistant_temperature: number | null;
  reply_model: string | null;
  reply_status_reason: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
}

const SELECT = `SELECT r.id, r.thread_id, r.status, r.cancel_requested, r.error_code, r.started_at, r.finished_at,
    a.id AS assistant_id, a.model AS assistant_model, a.instructions AS assistant_instructions, a.tools AS assistant_tools,
    a.temperature AS assistant_temperature, m.model AS reply_model, m.status_reason AS reply_status_reason, m.input_tokens, m.output_tokens
  FROM runs r
  JOIN threads t ON t.id = r.thread_id AND t.user_id = r.user_id
  LEFT JOIN messages m ON m.id = r.assistant_message_id AND m.user_id = r.user_id
  LEFT JOIN assistants a ON a.id = COALESCE(m.assistant_id, t.assistant_id) AND a.user_id = r.user_id`;

/** Reads of runs for the /v1 run routes (a thread's runs, by start time). */
@Injectable()
export class RunViewsRepository {
  constructor(private readonly sql: Sql) {}

  find(userId: string, threadId: string, runId: string): Promise<RunViewRow | undefined> {
    return this.sql.row<RunViewRow>(`${SELECT} WHERE r.id = $1 AND r.thread_id = $2 AND r.user_id = $3`, [runId, threadId, userId]);
  }

  async page(userId: string, threadId: string, page: KeysetPage): Promise<{ runs: RunViewRow[]; hasMore: boolean }> {
    const keyset = keysetSql(page, 'runs', 'r', 'user_id = $1 AND c.thread_id = $2', 3, 'started_at');
    const rows = await this.sql.rows<RunViewRow>(`${SELECT} WHERE r.user_id = $1 AND r.thread_id = $2 AND ${keyset.where} ${keyset.orderAndLimit}`, [
      userId,
      threadId,
      ...keyset.params,
    ]);
    const { rows: kept, hasMore } = pageRows(rows, page, keyset.reversed);
    return { runs: kept, hasMore };
  }
}
