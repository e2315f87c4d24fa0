import { Inject, Injectable } from '@nestjs/common';
import { SessionCache } from '../common/auth/session-cache.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
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
   * `keep`, however many sign-ins race. When `refused` answers true (the
   * account was disabled meanwhile), every session of the user ends
   * instead and the answer is false.
   */
  async endOldest(userId: string, currentSessionId: string, keep: number, refused?: (tx: SqlExecutor) => Promise<boolean>): Promise<boolean> {
    const outcome = await this.transactions.run(async (tx) => {
      await this.sessions.lockUserSessions(userId, tx);
      if (refused && (await refused(tx))) {
        await this.sessions.endSessions(userId, null, tx);
        return { announced: true, admitted: false };
      }
      return { announced: await this.sessions.endBeyond(userId, currentSessionId, keep, tx), admitted: true };
    });
    if (outcome.announced) this.cache.forgetUser(userId);
    return outcome.admitted;
  }

  /**
   * Runs `change` (e.g. disabling the account) and ends every session of the
   * user in one transaction, under the lock sign-ins take (see endOldest):
   * a sign-in racing the change either sees it or has its session ended here.
   */
  async endAllWith<T>(userId: string, change: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const result = await this.transactions.run(async (tx) => {
      await this.sessions.lockUserSessions(userId, tx);
      const changed = await change(tx);
      await this.sessions.endSessions(userId, null, tx);
      return changed;
    });
    this.cache.forgetUser(userId);
    return result;
  }

  private async end(userId: string, keepSessionId: string | null): Promise<void> {
    await this.sessions.endSessions(userId, keepSessionId);
    this.cache.forgetUser(userId);
  }
}
