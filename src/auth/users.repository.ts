import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor, type Transaction } from '../database/sql.js';
import { User, type UserRole } from './user.entity.js';

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
  role: UserRole;
  disabled_at: Date | null;
  must_change_password: boolean;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS =
  'id, email, name, password_hash, api_key_ciphertext, api_key_key_id, api_key_hint, api_key_version, default_assistant_id, role, disabled_at, must_change_password, created_at, updated_at';

/** Accounts whose e-mail or name contains $1 (case-insensitive), or all when $1 is null. */
const MATCHING_USERS = `$1::text IS NULL OR strpos(lower(email), lower($1)) > 0 OR strpos(lower(COALESCE(name, '')), lower($1)) > 0`;

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
    role: row.role,
    disabledAt: row.disabled_at ?? null,
    mustChangePassword: row.must_change_password,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** The accounts: a user's row is found by its id (the user id itself) or, at sign-in, by e-mail. */
@Injectable()
export class UsersRepository {
  constructor(private readonly sql: Sql) {}

  /** Throws the unique violation of `users_email_key` when the e-mail is taken. */
  async insert(email: string, passwordHash: string, name: string | null, role: UserRole = 'user', db: SqlExecutor = this.sql): Promise<User> {
    const row = await db.row<UserRow>(
      `INSERT INTO users (email, password_hash, name, role) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`,
      [email, passwordHash, name, role],
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

  /** A new password chosen by the user: a forced change is done. */
  async setPasswordHash(userId: string, passwordHash: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('UPDATE users SET password_hash = $2, must_change_password = false, updated_at = CURRENT_TIMESTAMP WHERE id = $1', [
      userId,
      passwordHash,
    ]);
  }

  /** Replaces the hash only while it is still `current`. */
  async replacePasswordHash(userId: string, current: string, passwordHash: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('UPDATE users SET password_hash = $3, updated_at = CURRENT_TIMESTAMP WHERE id = $1 AND password_hash = $2', [
      userId,
      current,
      passwordHash,
    ]);
  }

  /** Makes registrations take turns until the transaction ends (the first account's role depends on the others). */
  async lockRegistrations(tx: Transaction): Promise<void> {
    await tx.takeTurns('registrations');
  }

  async anyExists(db: SqlExecutor = this.sql): Promise<boolean> {
    return (await db.row('SELECT 1 AS one FROM users LIMIT 1')) !== undefined;
  }

  async anyOtherThan(userId: string, db: SqlExecutor = this.sql): Promise<boolean> {
    return (await db.row('SELECT 1 AS one FROM users WHERE id <> $1 LIMIT 1', [userId])) !== undefined;
  }

  /** True when the user exists and is disabled. */
  async isDisabled(userId: string, db: SqlExecutor = this.sql): Promise<boolean> {
    return (await db.row('SELECT 1 AS one FROM users WHERE id = $1 AND disabled_at IS NOT NULL', [userId])) !== undefined;
  }

  /** Answers false when the user does not exist. */
  async setRole(userId: string, role: UserRole, db: SqlExecutor = this.sql): Promise<boolean> {
    return (await db.execute('UPDATE users SET role = $2, updated_at = CURRENT_TIMESTAMP WHERE id = $1', [userId, role])) > 0;
  }

  /** Disables (now) or enables the user; answers false when the user does not exist. */
  async setDisabled(userId: string, disabled: boolean, db: SqlExecutor = this.sql): Promise<boolean> {
    const changed = await db.execute(
      `UPDATE users SET disabled_at = CASE WHEN $2 THEN COALESCE(disabled_at, CURRENT_TIMESTAMP) END, updated_at = CURRENT_TIMESTAMP WHERE id = $1`,
      [userId, disabled],
    );
    return changed > 0;
  }

  async setMustChangePassword(userId: string, db: SqlExecutor = this.sql): Promise<boolean> {
    return (await db.execute('UPDATE users SET must_change_password = true, updated_at = CURRENT_TIMESTAMP WHERE id = $1', [userId])) > 0;
  }

  /** Makes changes to who is an administrator take turns until the transaction ends. */
  async lockAdmins(tx: Transaction): Promise<void> {
    await tx.takeTurns('administrators');
  }

  /** Administrators other than `userId`. */
  async countOtherAdmins(userId: string, db: SqlExecutor = this.sql): Promise<number> {
    const row = await db.row<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND id <> $1`, [userId]);
    return row!.n;
  }

  /** A page of accounts, oldest first, whose e-mail or name contains `search` (case-insensitive), and how many match. */
  async page(search: string | null, limit: number, offset: number, db: SqlExecutor = this.sql): Promise<{ users: User[]; total: number }> {
    // The page is read first (by the order's index); the total is a count of its own, in the same statement.
    const rows = await db.rows<UserRow & { total: number }>(
      `SELECT ${USER_COLUMNS}, (SELECT count(*)::int FROM users WHERE ${MATCHING_USERS}) AS total
       FROM (SELECT * FROM users WHERE ${MATCHING_USERS} ORDER BY created_at, id LIMIT $2 OFFSET $3) AS users
       ORDER BY created_at, id`,
      [search, limit, offset],
    );
    let total = rows[0]?.total;
    if (total === undefined) {
      const counted = await db.row<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE ${MATCHING_USERS}`, [search]);
      total = counted!.n;
    }
    return { users: rows.map(toUser), total };
  }

  /** Every row the user owns goes with it (foreign keys cascade). */
  async delete(userId: string, db: SqlExecutor = this.sql): Promise<void> {
    await db.execute('DELETE FROM users WHERE id = $1', [userId]);
  }
}
