import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../database/sql.js';
import type { UpstreamJob } from './upstream-job.entity.js';
import { UpstreamJobsRepository, type NewJob, type UpstreamJobRow } from './upstream-jobs.repository.js';

export type { NewJob } from './upstream-jobs.repository.js';

/** How long a claim protects a job from other workers (a crashed worker's claim runs out). */
const CLAIM_SECONDS = 120;

/** A claimed job, as handlers see it. */
export type ClaimedJob = Pick<UpstreamJob, 'id' | 'userId' | 'kind' | 'payload' | 'attempts'>;

function toClaimedJob(row: UpstreamJobRow): ClaimedJob {
  return { id: row.id, userId: row.user_id, kind: row.kind, payload: row.payload, attempts: row.attempts };
}

/** The durable queue of upstream work, claimed with SKIP LOCKED so instances never collide. */
@Injectable()
export class UpstreamJobsService {
  constructor(private readonly jobs: UpstreamJobsRepository) {}

  /** Adds jobs, inside the caller's transaction when one is given. */
  enqueue(jobs: NewJob[], db?: SqlExecutor): Promise<void> {
    return this.jobs.insert(jobs, db);
  }

  async claim(limit: number): Promise<ClaimedJob[]> {
    return (await this.jobs.claimDue(limit, CLAIM_SECONDS)).map(toClaimedJob);
  }

  complete(job: ClaimedJob): Promise<void> {
    return this.jobs.delete(job.id, job.userId);
  }

  /** Runs the job again later; progress (a new payload) starts its attempt count over. */
  reschedule(job: ClaimedJob, delayMs: number, update: { payload?: Record<string, unknown>; error?: string } = {}): Promise<void> {
    return this.jobs.reschedule(job.id, job.userId, delayMs, update.payload ?? null, update.error ?? null);
  }
}
