import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { backoffMs, isRetryable } from '../llm/retry-rule.js';
import type { UpstreamJobKind } from './upstream-job.entity.js';
import { UpstreamJobsService, type ClaimedJob } from './upstream-jobs.service.js';

export type JobOutcome = { done: true } | { retryInMs: number; payload?: Record<string, unknown> };

export interface JobHandler {
  run(job: ClaimedJob): Promise<JobOutcome>;
  /** Attempts before giving up on retryable failures (default from configuration). */
  maxAttempts?: number;
  /** Called once when the job will not be tried again. */
  giveUp?(job: ClaimedJob, error: DomainError): Promise<void>;
}

const BATCH = 10;

/**
 * Runs queued upstream work in the background, on every instance: polls
 * the queue, and runs at once when nudged after new work was queued.
 */
@Injectable()
export class UpstreamWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly handlers = new Map<UpstreamJobKind, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly jobs: UpstreamJobsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  register(kind: UpstreamJobKind, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  onApplicationBootstrap(): void {
    if (!this.config.upstreamSync.enabled) return;
    this.timer = setInterval(() => this.nudge(), this.config.upstreamSync.pollIntervalMs);
    this.timer.unref();
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks for due work now (after something was queued). */
  nudge(): void {
    if (this.stopped || !this.config.upstreamSync.enabled) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'upstream sync pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const claimed = await this.jobs.claim(BATCH);
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((job) => this.execute(job)));
    }
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      this.logger.error({ jobId: job.id, kind: job.kind }, 'no handler for upstream job');
      await this.jobs.complete(job);
      return;
    }
    try {
      const outcome = await handler.run(job);
      if ('done' in outcome) await this.jobs.complete(job);
      else await this.jobs.reschedule(job, outcome.retryInMs, { payload: outcome.payload });
    } catch (thrown) {
      const error = thrown instanceof DomainError ? thrown : new DomainError('upstream_error', String((thrown as Error)?.message ?? thrown));
      const log = { jobId: job.id, kind: job.kind, attempt: job.attempts, code: error.code, err: error.message };
      if (isRetryable(error) && job.attempts < (handler.maxAttempts ?? this.config.upstreamSync.maxAttempts)) {
        this.logger.warn(log, 'upstream job failed; will retry');
        const wait = Math.max(backoffMs(job.attempts), (error.retryAfterSeconds ?? 0) * 1000);
        await this.jobs.reschedule(job, wait, { error: error.message });
        return;
      }
      this.logger.warn(log, 'upstream job gave up');
      await handler.giveUp?.(job, error).catch((giveUpError: unknown) =>
        this.logger.error({ jobId: job.id, err: giveUpError }, 'upstream job clean-up failed'),
      );
      await this.jobs.complete(job);
    }
  }
}
