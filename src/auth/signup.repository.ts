import { Injectable } from '@nestjs/common';
import { settingsRow } from '../database/settings-row.js';
import { Sql, type SqlExecutor, type Transaction } from '../database/sql.js';
import type { SignupPolicy } from './signup-settings.entity.js';

export interface SignupSettingsRecord {
  policy: SignupPolicy;
  domains: string[];
  updatedAt: Date;
}

interface SignupSettingsRow {
  policy: SignupPolicy;
  domains: string[];
  updated_at: Date;
}

const toSettings = (row: SignupSettingsRow): SignupSettingsRecord => ({ policy: row.policy, domains: row.domains ?? [], updatedAt: row.updated_at });

export interface InviteRecord {
  id: string;
  maxUses: number;
  uses: number;
  expiresAt: Date;
  revokedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

interface InviteRow {
  id: string;
  max_uses: number;
  uses: number;
  expires_at: Date;
  revoked_at: Date | null;
  created_by: string | null;
  created_at: Date;
}

const INVITE_COLUMNS = 'id, max_uses, uses, expires_at, revoked_at, created_by, created_at';

const toInvite = (row: InviteRow): InviteRecord => ({
  id: row.id,
  maxUses: row.max_uses,
  uses: row.uses,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** An invite that can still admit someone. */
const ACTIVE = 'revoked_at IS NULL AND uses < max_uses AND expires_at > now()';

/** The installation's sign-up policy (one row) and its invites. */
@Injectable()
export class SignupRepository {
  constructor(private readonly sql: Sql) {}

  /** The stored policy; the first read stores `initial` (from the environment). */
  async settings(initial: { policy: SignupPolicy; domains: string[] }, db: SqlExecutor = this.sql): Promise<SignupSettingsRecord> {
    const row = await settingsRow<SignupSettingsRow>(db, { table: 'signup_settings', written: 'policy, domains', read: 'policy, domains, updated_at' }, [
      initial.policy,
      initial.domains,
    ]);
    return toSettings(row);
  }

  async setSettings(policy: SignupPolicy, domains: string[], db: SqlExecutor = this.sql): Promise<SignupSettingsRecord> {
    const row = await db.row<SignupSettingsRow>(
      `INSERT INTO signup_settings (id, policy, domains) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET policy = EXCLUDED.policy, domains = EXCLUDED.domains, updated_at = CURRENT_TIMESTAMP
       RETURNING policy, domains, updated_at`,
      [policy, domains],
    );
    return toSettings(row!);
  }

  async insertInvite(
    invite: { tokenHash: Buffer; maxUses: number; expiresAt: Date; createdBy: string },
    db: SqlExecutor = this.sql,
  ): Promise<InviteRecord> {
    const row = await db.row<InviteRow>(
      `INSERT INTO invites (token_hash, max_uses, expires_at, created_by) VALUES ($1, $2, $3, $4) RETURNING ${INVITE_COLUMNS}`,
      [invite.tokenHash, invite.maxUses, invite.expiresAt, invite.createdBy],
    );
    return toInvite(row!);
  }

  async countActiveInvites(db: SqlExecutor = this.sql): Promise<number> {
    const row = await db.row<{ n: number }>(`SELECT count(*)::int AS n FROM invites WHERE ${ACTIVE}`);
    return row!.n;
  }

  /** Makes invite creations take turns until the transaction ends (so the active count holds). */
  async lockInvites(tx: Transaction): Promise<void> {
    await tx.takeTurns('invites');
  }

  /** Newest first. */
  async invites(limit: number, offset: number, db: SqlExecutor = this.sql): Promise<InviteRecord[]> {
    const rows = await db.rows<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`, [limit, offset]);
    return rows.map(toInvite);
  }

  /** Answers the invite, or undefined when there is none with this id. */
  async revokeInvite(id: string, db: SqlExecutor = this.sql): Promise<InviteRecord | undefined> {
    const row = await db.row<InviteRow>(
      `UPDATE invites SET revoked_at = COALESCE(revoked_at, CURRENT_TIMESTAMP) WHERE id = $1 RETURNING ${INVITE_COLUMNS}`,
      [id],
    );
    return row && toInvite(row);
  }

  /** Takes one use of the invite if it can still admit someone (the row lock serializes racing sign-ups). */
  async useInvite(tokenHash: Buffer, db: SqlExecutor = this.sql): Promise<InviteRecord | undefined> {
    const row = await db.row<InviteRow>(`UPDATE invites SET uses = uses + 1 WHERE token_hash = $1 AND ${ACTIVE} RETURNING ${INVITE_COLUMNS}`, [
      tokenHash,
    ]);
    return row && toInvite(row);
  }
}
