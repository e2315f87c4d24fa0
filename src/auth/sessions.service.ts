import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SESSIONS_ENDED_CHANNEL, SessionCache } from '../common/auth/session-cache.js';

/**
 * Server-side control over a user's sessions (found by the indexed user_id
 * column). Ending sessions is announced to every instance in the same
 * statement, so none of them keeps serving a cached copy.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: SessionCache,
  ) {}

  async endOthers(userId: string, keepSessionId: string): Promise<void> {
    await this.end(userId, keepSessionId);
  }

  async endAll(userId: string): Promise<void> {
    await this.end(userId, null);
  }

  /**
   * Ends the user's sessions beyond the `keep` most recently signed in
   * (`currentSessionId` always stays). Run after the new session is stored.
   * A user's trims take turns (a transaction lock on the user): a trim then
   * sees every session stored before it, and the last one leaves at most
   * `keep`, however many sign-ins race.
   */
  async endOldest(userId: string, currentSessionId: string, keep: number): Promise<void> {
    const announced = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('sessions-of:' || $1, 0))`, [userId]);
      return (await manager.query(
        `WITH ended AS (
           DELETE FROM "session" WHERE user_id = $1 AND sid IN (
             SELECT sid FROM "session" WHERE user_id = $1
             ORDER BY sid = $2 DESC, COALESCE((sess ->> 'createdAt')::bigint, 0) DESC, expire DESC
             OFFSET $3)
           RETURNING sid)
         SELECT pg_notify('${SESSIONS_ENDED_CHANNEL}', $1::text) FROM (SELECT count(*) AS n FROM ended) AS total WHERE total.n > 0`,
        [userId, currentSessionId, keep],
      )) as unknown[];
    });
    if (announced.length > 0) this.cache.forgetUser(userId);
  }

  private async end(userId: string, keepSessionId: string | null): Promise<void> {
    await this.dataSource.query(
      `WITH ended AS (DELETE FROM "session" WHERE user_id = $1 AND ($2::text IS NULL OR sid <> $2))
       SELECT pg_notify('${SESSIONS_ENDED_CHANNEL}', $1::text)`,
      [userId, keepSessionId],
    );
    this.cache.forgetUser(userId);
  }
}
