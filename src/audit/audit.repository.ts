import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { AuditDetail, AuditFilter, AuditRecord } from './audit-log.js';

/** A row of `audit_log` as PostgreSQL returns it. */
interface AuditRow {
  id: string;
  created_at: Date;
  action: string;
  actor_id: string | null;
  actor_email: string | null;
  target_id: string | null;
  target_email: string | null;
  address: string | null;
  detail: Record<string, unknown>;
}

function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    at: row.created_at,
    action: row.action,
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    targetId: row.target_id,
    targetEmail: row.target_email,
    address: row.address,
    detail: row.detail ?? {},
  };
}

export interface AuditInsert {
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  targetId: string | null;
  targetEmail: string | null;
  address: string | null;
  detail: AuditDetail;
}

/** The installation's audit log (not one user's data: administrators read all of it). */
@Injectable()
export class AuditRepository {
  constructor(private readonly sql: Sql) {}

  async insert(entry: AuditInsert, db: SqlExecutor = this.sql): Promise<void> {
    // An e-mail not given is the account's current one.
    await db.execute(
      `INSERT INTO audit_log (action, actor_id, actor_email, target_id, target_email, address, detail)
       SELECT $1, $2::uuid, COALESCE($3, (SELECT email FROM users WHERE id = $2::uuid)),
              $4::uuid, COALESCE($5, (SELECT email FROM users WHERE id = $4::uuid)), $6, $7`,
      [entry.action, entry.actorId, entry.actorEmail, entry.targetId, entry.targetEmail, entry.address, JSON.stringify(entry.detail)],
    );
  }

  /** Newest first, filtered; `before` pages by id. */
  async search(filter: AuditFilter, db: SqlExecutor = this.sql): Promise<AuditRecord[]> {
    const rows = await db.rows<AuditRow>(
      `SELECT id, created_at, action, actor_id, actor_email, target_id, target_email, address, detail FROM audit_log
       WHERE ($1::varchar IS NULL OR action = $1)
         AND ($2::uuid IS NULL OR actor_id = $2)
         AND ($3::timestamptz IS NULL OR created_at >= $3)
         AND ($4::timestamptz IS NULL OR created_at < $4)
         AND ($5::bigint IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [filter.action ?? null, filter.actorId ?? null, filter.from ?? null, filter.to ?? null, filter.before ?? null, filter.limit],
    );
    return rows.map(toAuditRecord);
  }

  /** Deletes up to `limit` entries older than `days` days; answers how many. */
  purgeOlderThan(days: number, limit: number, db: SqlExecutor = this.sql): Promise<number> {
    return db.execute(
      `DELETE FROM audit_log WHERE id IN (
         SELECT id FROM audit_log WHERE created_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)`,
      [days, limit],
    );
  }
}
