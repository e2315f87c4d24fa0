import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { StopReason } from './run-registry.js';
import { RunsService } from './runs.service.js';

export interface HeartbeatOf {
  userId: string;
  runId: string;
  /** Aborted with 'cancelled' when a cancel was asked for on another instance. */
  controller: AbortController;
  /** Work of each beat while the run goes on (saving the reply so far). */
  onBeat(): Promise<void>;
}

/** A running heartbeat; stop() ends it. */
export interface Heartbeat {
  stop(): void;
}

/**
 * While a run executes, it proves it is alive a few times per stale period
 * (RUN_STALE_AFTER_SECONDS), picks up a cancel asked on another instance,
 * and lets the run save its progress.
 */
@Injectable()
export class RunHeartbeats {
  constructor(
    private readonly runs: RunsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  get intervalMs(): number {
    return Math.max(200, Math.floor((this.config.chat.runStaleAfterSeconds * 1000) / 3));
  }

  start(of: HeartbeatOf): Heartbeat {
    const timer = setInterval(() => {
      void (async () => {
        const { cancelRequested } = await this.runs.heartbeat(of.userId, of.runId);
        if (cancelRequested) of.controller.abort('cancelled' satisfies StopReason);
        if (!of.controller.signal.aborted) await of.onBeat();
      })().catch((error: unknown) => this.logger.warn({ err: error, runId: of.runId }, 'run heartbeat failed'));
    }, this.intervalMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
}
