import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../database/sql.js';
import { UpstreamJobsService, type NewJob } from '../upstream-sync/upstream-jobs.service.js';
import { UpstreamWorker } from '../upstream-sync/upstream-worker.js';

/** What the rules need of the queue: queuing in a transaction (fakes in unit specs implement it). */
export type JobQueue = Pick<UpstreamQueue, 'enqueue'>;

/**
 * The upstream job queue as documents use it: jobs are queued in the
 * transaction that decides them, and the worker is nudged once it committed.
 */
@Injectable()
export class UpstreamQueue {
  constructor(
    private readonly jobs: UpstreamJobsService,
    private readonly worker: UpstreamWorker,
  ) {}

  async enqueue(jobs: NewJob[], db?: SqlExecutor): Promise<void> {
    await this.jobs.enqueue(jobs, db);
  }

  /** Looks for due work now (after a transaction that queued some committed). */
  nudge(): void {
    this.worker.nudge();
  }
}
