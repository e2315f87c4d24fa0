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

  private async end(userId: string, keepSessionId: string | null): Promise<void> {
    await this.dataSource.query(
      `WITH ended AS (DELETE FROM "session" WHERE user_id = $1 AND ($2::text IS NULL OR sid <> $2))
       SELECT pg_notify('${SESSIONS_ENDED_CHANNEL}', $1::text)`,
      [userId, keepSessionId],
    );
    this.cache.forgetUser(userId);
  }
}
