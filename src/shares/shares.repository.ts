import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor, type Transaction } from '../database/sql.js';
import { isoTimestamp } from '../threads/thread.mapper.js';
import type { SharedMessage } from './thread-share.entity.js';

export interface ShareRow {
  id: string;
  thread_id: string;
  title: string | null;
  message_count: number;
  include_files: boolean;
  created_at: string;
}

export interface SharedSnapshotRow {
  /** The owner: for reading the files the snapshot includes, never shown. */
  user_id: string;
  include_files: boolean;
  title: string | null;
  messages: SharedMessage[];
  created_at: string;
}

export interface NewShare {
  userId: string;
  threadId: string;
  tokenHash: Buffer;
  title: string | null;
  messages: SharedMessage[];
  includeFiles: boolean;
}

const SHARE_COLUMNS = `id, thread_id, title, message_count, include_files, ${isoTimestamp('created_at', 'created_at')}`;

@Injectable()
export class SharesRepository {
  constructor(private readonly sql: Sql) {}

  /** Takes the user's share lock for the rest of the transaction: the user's new shares are counted and stored in turn. */
  async lockUser(userId: string, tx: Transaction): Promise<void> {
    await tx.takeTurns(userId, 1502);
  }

  /** Stores the snapshot unless the user has `maxPerUser` shares already (undefined then). */
  insert(share: NewShare, maxPerUser: number, db: SqlExecutor = this.sql): Promise<ShareRow | undefined> {
    return db.row<ShareRow>(
      `INSERT INTO thread_shares (user_id, thread_id, token_hash, title, messages, message_count, include_files)
       SELECT $1, $2, $3, $4, $5::jsonb, $6, $7
        WHERE (SELECT count(*) FROM thread_shares WHERE user_id = $1) < $8
       RETURNING ${SHARE_COLUMNS}`,
      [share.userId, share.threadId, share.tokenHash, share.title, JSON.stringify(share.messages), share.messages.length, share.includeFiles, maxPerUser],
    );
  }

  /** The user's shares, newest first. */
  list(userId: string, limit: number): Promise<ShareRow[]> {
    return this.sql.rows<ShareRow>(`SELECT ${SHARE_COLUMNS} FROM thread_shares WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [
      userId,
      limit,
    ]);
  }

  /** Revokes one of the user's shares; false when there was none. */
  async delete(userId: string, id: string): Promise<boolean> {
    return (await this.sql.execute('DELETE FROM thread_shares WHERE id = $1 AND user_id = $2', [id, userId])) > 0;
  }

  /**
   * The snapshot behind a token's hash: the public read, which knows no user,
   * finds it by the hash alone. None while its thread is in the trash.
   */
  findByTokenHash(tokenHash: Buffer): Promise<SharedSnapshotRow | undefined> {
    return this.sql.row<SharedSnapshotRow>(
      `SELECT s.user_id, s.include_files, s.title, s.messages, ${isoTimestamp('s.created_at', 'created_at')} FROM thread_shares s
        WHERE s.token_hash = $1
          AND EXISTS (SELECT 1 FROM threads t WHERE t.id = s.thread_id AND t.user_id = s.user_id AND t.deleted_at IS NULL)`,
      [tokenHash],
    );
  }
}
