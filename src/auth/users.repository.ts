import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import { User } from './user.entity.js';

/** A row of `users` as PostgreSQL returns it. */
export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  api_key_ciphertext: string | null;
  api_key_key_id: string | null;
  api_key_hint: string | null;
  api_key_version: number;
  default_assistant_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS =
  'id, email, name, password_hash, api_key_ciphertext, api_key_key_id, api_key_hint, api_key_version, default_assistant_id, created_at, updated_at';

export function toUser(row: UserRow): User {
  return Object.assign(new User(), {
    id: row.id,
    email: row.email,
    name: row.name ?? null,
    passwordHash: row.password_hash,
    apiKeyCiphertext: row.api_key_ciphertext ?? null,
    apiKeyKeyId: row.api_key_key_id ?? null,
    apiKeyHint: row.api_key_hint ?? null,
    apiKeyVersion: row.api_key_version,
    defaultAssistantId: row.default_assistant_id ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** The accounts: a user's row is found by its id (the user id itself) or, at sign-in, by e-mail. */
@Injectable()
export class UsersRepository {
  constructor(private readonly sql: Sql) {}

  /** Throws the unique violation of `users_email_key` when the e-mail is taken. */
  async insert(email: string, passwordHash: string, name: string | null, db: SqlExecutor = this.sql): Promise<User> {
    const row = await db.row<UserRow>(
      `INSERT INTO users (email, password_hash, name) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
      [email, passwordHash, name],
    );
    return toUser(row!);
  }

  async findByEmail(email: string, db: SqlExecutor = this.sql): Promise<User | undefined> {
    const row = await db.row<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1 LIMIT 1`, [email]);
    return row && toUser(row);
  }

  async findById(userId: string, db: SqlExecutor = this.sql): Promise<User | undefined> {
    const row = await db.row<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [userId]);
    return row && toUser(row);
  }

  async setPasswordHash(userId: string, passwordHash: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('UPDATE users SET password_hash = $2, updated_at = CURRENT_TIMESTAMP WHERE id = $1', [userId, passwordHash]);
  }

  /** Replaces the hash only while it is still `current`. */
  async replacePasswordHash(userId: string, current: string, passwordHash: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('UPDATE users SET password_hash = $3, updated_at = CURRENT_TIMESTAMP WHERE id = $1 AND password_hash = $2', [
      userId,
      current,
      passwordHash,
    ]);
  }

  /** Every row the user owns goes with it (foreign keys cascade). */
  async delete(userId: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('DELETE FROM users WHERE id = $1', [userId]);
  }
}
