import { Injectable } from '@nestjs/common';
import { SESSIONS_ENDED_CHANNEL } from '../common/auth/session-cache.js';
import { Sql, type SqlExecutor, type Transaction } from '../database/sql.js';

/**
 * The session rows of a user (the table connect-pg-simple keeps, found by its
 * indexed user_id column). Every statement that ends sessions announces it to
 * every instance in the same statement, so none keeps serving a cached copy.
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly sql: Sql) {}

  /** Ends the user's sessions, all of them or all but `keepSessionId`, and announces it. */
  async endSessions(userId: string, keepSessionId: string | null, db: SqlExecutor = this.sql): Promise<void> {
    await db.rows(
      `WITH ended AS (DELETE FROM "session" WHERE user_id = $1 AND ($2::text IS NULL OR sid <> $2))
       SELECT pg_notify('${SESSIONS_ENDED_CHANNEL}', $1::text)`,
      [userId, keepSessionId],
    );
  }

  /** Makes the user's trims take turns until the transaction ends. */
  async lockUserSessions(userId: string, tx: Transaction): Promise<void> {
    await tx.takeTurns(`sessions-of:${userId}`);
  }

  /**
   * Ends the user's sessions beyond the `keep` most recently signed in
   * (`currentSessionId` always stays); true when any ended (and it was announced).
   */
  async endBeyond(userId: string, currentSessionId: string, keep: number, db: SqlExecutor = this.sql): Promise<boolean> {
    const announced = await db.rows(
      `WITH ended AS (
         DELETE FROM "session" WHERE user_id = $1 AND sid IN (
           SELECT sid FROM "session" WHERE user_id = $1
           ORDER BY sid = $2 DESC, COALESCE((sess ->> 'createdAt')::bigint, 0) DESC, expire DESC
           OFFSET $3)
         RETURNING sid)
       SELECT pg_notify('${SESSIONS_ENDED_CHANNEL}', $1::text) FROM (SELECT count(*) AS n FROM ended) AS total WHERE total.n > 0`,
      [userId, currentSessionId, keep],
    );
    return announced.length > 0;
  }
}
