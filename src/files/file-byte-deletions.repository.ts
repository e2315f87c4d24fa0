import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';

export interface FileByteDeletionRow {
  id: string;
  user_id: string;
  /** Null: every byte of the user. */
  file_id: string | null;
}

/** A pending removal that waits this long while its owner still exists was of a deletion that did not happen. */
const STALE_AFTER = "interval '1 hour'";

/** Pending removals of bytes kept outside the database (file_byte_deletions). */
@Injectable()
export class FileByteDeletionsRepository {
  constructor(private readonly sql: Sql) {}

  /** Records that a file's bytes must go; in the transaction that deletes the file. */
  async recordFile(userId: string, fileId: string, db: SqlExecutor = this.sql): Promise<string> {
    const row = await db.row<{ id: string }>('INSERT INTO file_byte_deletions (user_id, file_id) VALUES ($1, $2) RETURNING id', [userId, fileId]);
    return row!.id;
  }

  /** Records that every byte of the user must go (before their account is deleted). */
  async recordOwner(userId: string, db: SqlExecutor = this.sql): Promise<string> {
    const row = await db.row<{ id: string }>('INSERT INTO file_byte_deletions (user_id, file_id) VALUES ($1, NULL) RETURNING id', [userId]);
    return row!.id;
  }

  async done(userId: string, id: string): Promise<void> {
    await this.sql.execute('DELETE FROM file_byte_deletions WHERE id = $1 AND user_id = $2', [id, userId]);
  }

  /** Every pending removal of the user is done (all their bytes are gone). */
  async allDone(userId: string): Promise<void> {
    await this.sql.execute('DELETE FROM file_byte_deletions WHERE user_id = $1', [userId]);
  }

  /** A removal failed: it is tried again later, later after each failure (up to 64 retry intervals). */
  async failed(userId: string, id: string, error: string, retryMs: number): Promise<void> {
    await this.sql.execute(
      `UPDATE file_byte_deletions
       SET attempts = attempts + 1, last_error = $3,
           next_attempt_at = now() + make_interval(secs => $4::double precision / 1000 * LEAST(power(2, attempts), 64))
       WHERE id = $1 AND user_id = $2`,
      [id, userId, error.slice(0, 1000), retryMs],
    );
  }

  /**
   * Claims due removals whose owner is gone (the file's row, or the account
   * for a whole user's bytes): each is pushed back as if it failed, so another
   * instance does not take it, and is removed by `done` when it succeeds.
   */
  async claimDue(limit: number, retryMs: number): Promise<FileByteDeletionRow[]> {
    return this.sql.rows<FileByteDeletionRow>(
      `UPDATE file_byte_deletions d
       SET attempts = d.attempts + 1,
           next_attempt_at = now() + make_interval(secs => $2::double precision / 1000 * LEAST(power(2, d.attempts), 64))
       WHERE d.id IN (
         SELECT q.id FROM file_byte_deletions q
         WHERE q.next_attempt_at <= now()
           AND CASE WHEN q.file_id IS NULL
                    THEN NOT EXISTS (SELECT 1 FROM users u WHERE u.id = q.user_id)
                    ELSE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = q.file_id AND f.user_id = q.user_id) END
         ORDER BY q.next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING d.id, d.user_id, d.file_id`,
      [limit, retryMs],
    );
  }

  /** Forgets removals recorded for a deletion that did not happen (the owner is still there an hour later). */
  async dropStale(): Promise<number> {
    return this.sql.execute(
      `DELETE FROM file_byte_deletions q
       WHERE q.created_at < now() - ${STALE_AFTER}
         AND CASE WHEN q.file_id IS NULL
                  THEN EXISTS (SELECT 1 FROM users u WHERE u.id = q.user_id)
                  ELSE EXISTS (SELECT 1 FROM files f WHERE f.id = q.file_id AND f.user_id = q.user_id) END`,
    );
  }
}
