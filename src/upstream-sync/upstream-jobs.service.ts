import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { UpstreamJob, type UpstreamJobKind } from './upstream-job.entity.js';

export interface NewJob {
  userId: string;
  kind: UpstreamJobKind;
  payload: Record<string, unknown>;
  delayMs?: number;
}

/** How long a claim protects a job from other workers (a crashed worker's claim runs out). */
const CLAIM_SECONDS = 120;

/** The durable queue of upstream work, claimed with SKIP LOCKED so instances never collide. */
@Injectable()
export class UpstreamJobsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds jobs, inside the caller's transaction when one is given. */
  async enqueue(jobs: NewJob[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (jobs.length === 0) return;
    await manager.query(
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

  async claim(limit: number): Promise<UpstreamJob[]> {
    const rows = (await this.dataSource.query(
      `UPDATE upstream_jobs SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM upstream_jobs
         WHERE run_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY run_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING id, user_id, kind, payload, attempts`,
      [limit, CLAIM_SECONDS],
    )) as [Array<{ id: string; user_id: string; kind: UpstreamJobKind; payload: Record<string, unknown>; attempts: number }>, number];
    return rows[0].map((row) =>
      Object.assign(new UpstreamJob(), {
        id: row.id,
        userId: row.user_id,
        kind: row.kind,
        payload: row.payload,
        attempts: row.attempts,
      }),
    );
  }

  async complete(id: string): Promise<void> {
    await this.dataSource.getRepository(UpstreamJob).delete({ id });
  }

  /** Runs the job again later; progress (a new payload) starts its attempt count over. */
  async reschedule(id: string, delayMs: number, update: { payload?: Record<string, unknown>; error?: string } = {}): Promise<void> {
    await this.dataSource.query(
      `UPDATE upstream_jobs SET run_at = now() + make_interval(secs => $2), locked_until = NULL,
         payload = COALESCE($3::jsonb, payload),
         attempts = CASE WHEN $3::jsonb IS NULL THEN attempts ELSE 0 END,
         last_error = $4
       WHERE id = $1`,
      [id, delayMs / 1000, update.payload ? JSON.stringify(update.payload) : null, update.error ?? null],
    );
  }
}
