import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { UsagePurpose } from './model-call.entity.js';

/** A call to record: the thread it was for, and what it used. */
export interface NewModelCall {
  threadId: string;
  purpose: Exclude<UsagePurpose, 'reply'>;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}

/** The calls made with a user's key besides the replies (titles, summaries). */
@Injectable()
export class ModelCallsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Records a call under the thread's current assistant; nothing when the
   * thread is not the user's (or was deleted meanwhile). True when recorded.
   */
  async record(userId: string, call: NewModelCall, db: SqlExecutor = this.sql): Promise<boolean> {
    const inserted = await db.execute(
      `INSERT INTO model_calls (user_id, thread_id, assistant_id, purpose, model, input_tokens, output_tokens, cost)
       SELECT t.user_id, t.id, t.assistant_id, $3::varchar, $4::varchar, $5::int, $6::int, $7::numeric FROM threads t WHERE t.id = $2 AND t.user_id = $1`,
      [userId, call.threadId, call.purpose, call.model, call.inputTokens, call.outputTokens, call.cost],
    );
    return inserted > 0;
  }
}
