import { Inject, Injectable } from '@nestjs/common';
import { SessionCache } from '../common/auth/session-cache.js';
import { Transactions } from '../database/sql.js';
import { SessionsRepository } from './sessions.repository.js';

/** The port SessionsService needs of its repository (fakes in unit specs implement it). */
export type SessionsStore = Pick<SessionsRepository, keyof SessionsRepository>;

/**
 * Server-side control over a user's sessions. Ending sessions is announced to
 * every instance in the same statement, so none of them keeps serving a cached copy.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(SessionsRepository) private readonly sessions: SessionsStore,
    private readonly transactions: Transactions,
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
    const announced = await this.transactions.run(async (tx) => {
      await this.sessions.lockUserSessions(userId, tx);
      return this.sessions.endBeyond(userId, currentSessionId, keep, tx);
    });
    if (announced) this.cache.forgetUser(userId);
  }

  private async end(userId: string, keepSessionId: string | null): Promise<void> {
    await this.sessions.endSessions(userId, keepSessionId);
    this.cache.forgetUser(userId);
  }
}
