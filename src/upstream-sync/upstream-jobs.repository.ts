import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { UpstreamJobKind } from './upstream-job.entity.js';

/** A job as the queue stores it. */
export interface UpstreamJobRow {
  id: string;
  user_id: string;
  kind: UpstreamJobKind;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface NewJob {
  userId: string;
  kind: UpstreamJobKind;
  payload: Record<string, unknown>;
  delayMs?: number;
}

/**
 * The upstream_jobs table. The queue is the platform's own, not a user's
 * data read on a user's behalf: workers claim due jobs of every user, and
 * follow-up statements address a claimed job by its id.
 */
@Injectable()
export class UpstreamJobsRepository {
  constructor(private readonly sql: Sql) {}

  async insert(jobs: NewJob[], db: SqlExecutor = this.sql): Promise<void> {
    if (jobs.length === 0) return;
    await db.execute(
      `INSERT INTO upstream_jobs (user_id, kind, payload, run_at)
       SELECT job.user_id, job.kind, job.payload, now() + make_interval(secs => job.delay_seconds)
       FROM unnest($1::uuid[], $2::varchar[], $3::jsonb[], $4::float8[]) AS job(user_id, kind, payload, delay_seconds)`,
      [
        jobs.map((job) => job.userId),
        jobs.map((job) => job.kind),
        jobs.map((job) => JSON.stringify(job.payload)),
        jobs.map((job) => Math.max(0, job.delayMs ?? 0) / 1000),
      ],
    );
  }

  /** Claims up to `limit` due jobs for `claimSeconds`, counting the attempt. */
  claimDue(limit: number, claimSeconds: number): Promise<UpstreamJobRow[]> {
    return this.sql.rows<UpstreamJobRow>(
      `UPDATE upstream_jobs SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM upstream_jobs
         WHERE run_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY run_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING id, user_id, kind, payload, attempts`,
      [limit, claimSeconds],
    );
  }

  async delete(id: string, userId: string): Promise<void> {
    await this.sql.execute('DELETE FROM upstream_jobs WHERE id = $1 AND user_id = $2', [id, userId]);
  }

  async reschedule(id: string, userId: string, delayMs: number, payload: Record<string, unknown> | null, error: string | null): Promise<void> {
    await this.sql.execute(
      `UPDATE upstream_jobs SET run_at = now() + make_interval(secs => $3), locked_until = NULL,
         payload = COALESCE($4::jsonb, payload),
         attempts = CASE WHEN $4::jsonb IS NULL THEN attempts ELSE 0 END,
         last_error = $5
       WHERE id = $1 AND user_id = $2`,
      [id, userId, delayMs / 1000, payload ? JSON.stringify(payload) : null, error],
    );
  }
}
