import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor, type Transaction } from '../database/sql.js';
import type { ApiTokenScope } from './api-token.entity.js';

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  scopes: ApiTokenScope[];
  prefix: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

export interface NewApiToken {
  userId: string;
  name: string;
  scopes: ApiTokenScope[];
  tokenHash: Buffer;
  prefix: string;
  expiresAt: Date | null;
}

const COLUMNS = 'id, user_id, name, scopes, prefix, expires_at, last_used_at, created_at';

/** A token found by its hash, with what the request needs to know of it. */
export interface ActiveTokenRow {
  id: string;
  user_id: string;
  scopes: ApiTokenScope[];
  /** The last use is older than a minute (or there was none): it is written again. */
  stale: boolean;
}

/** The api_tokens table. Tokens are only ever looked up by their SHA-256. */
@Injectable()
export class ApiTokensRepository {
  constructor(private readonly sql: Sql) {}

  /** Serialises the token creations of one user, so the limit holds under concurrent requests. */
  async lockUser(userId: string, tx: Transaction): Promise<void> {
    await tx.takeTurns(userId, 1700);
  }

  /** Stores the token unless the user holds `maxPerUser` already (undefined then). */
  insert(token: NewApiToken, maxPerUser: number, db: SqlExecutor = this.sql): Promise<ApiTokenRow | undefined> {
    return db.row<ApiTokenRow>(
      `INSERT INTO api_tokens (user_id, name, scopes, token_hash, prefix, expires_at)
       SELECT $1, $2, $3::text[], $4, $5, $6
        WHERE (SELECT count(*) FROM api_tokens WHERE user_id = $1) < $7
       RETURNING ${COLUMNS}`,
      [token.userId, token.name, token.scopes, token.tokenHash, token.prefix, token.expiresAt, maxPerUser],
    );
  }

  /** The user's tokens, newest first. */
  list(userId: string, limit: number): Promise<ApiTokenRow[]> {
    return this.sql.rows<ApiTokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [userId, limit]);
  }

  /** Deletes the user's token; the deleted row, or undefined when it is not the user's. */
  delete(userId: string, id: string): Promise<ApiTokenRow | undefined> {
    return this.sql.row<ApiTokenRow>(`DELETE FROM api_tokens WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`, [id, userId]);
  }

  /**
   * The token with this hash while it may be used: not expired, its owner
   * not disabled and not asked by an administrator to change the password
   * (read on every request, so either counts at once).
   * A token is looked up by its hash alone: the row names its user.
   */
  findActive(tokenHash: Buffer): Promise<ActiveTokenRow | undefined> {
    return this.sql.row<ActiveTokenRow>(
      `SELECT t.id, t.user_id, t.scopes, (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > now())
          AND u.disabled_at IS NULL AND NOT u.must_change_password`,
      [tokenHash],
    );
  }

  /** Records a use, at most once a minute whatever the number of instances. */
  async touch(userId: string, id: string): Promise<void> {
    await this.sql.execute(
      `UPDATE api_tokens SET last_used_at = now()
        WHERE id = $1 AND user_id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id, userId],
    );
  }
}
