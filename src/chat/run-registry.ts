import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';

export type StopReason = 'cancelled' | 'client_disconnected' | 'server_shutting_down';

const CANCEL_CHANNEL = 'run_cancel';
const RECONNECT_MS = 2_000;

/** A run in progress on this instance, and how to stop it. */
export interface ActiveRun {
  id: string;
  controller: AbortController;
  /** Resolves when the run has stored its outcome. */
  finished: Promise<void>;
}

/**
 * The runs this instance is executing. A cancel that arrives on another
 * instance reaches this one through PostgreSQL NOTIFY; the run's heartbeat
 * also checks the cancel flag, in case a notification was missed.
 */
@Injectable()
export class RunRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly runs = new Map<string, ActiveRun>();
  private listener: pg.Client | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  onModuleInit(): void {
    void this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    await this.listener?.end().catch(() => undefined);
  }

  get size(): number {
    return this.runs.size;
  }

  add(run: ActiveRun): void {
    this.runs.set(run.id, run);
    void run.finished.finally(() => this.runs.delete(run.id));
  }

  /** Stops a run if it is executing here; true when it was. */
  stop(runId: string, reason: StopReason): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    run.controller.abort(reason);
    return true;
  }

  /** Asks every instance to stop the run. */
  async broadcastCancel(runId: string, notify: (channel: string, payload: string) => Promise<unknown>): Promise<void> {
    if (this.stop(runId, 'cancelled')) return;
    await notify(CANCEL_CHANNEL, runId);
  }

  /** Stops every local run with the reason, and waits until they have stored their outcome. */
  async stopAll(reason: StopReason): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs) run.controller.abort(reason);
    await Promise.allSettled(runs.map((run) => run.finished));
  }

  /** Waits for the local runs to finish on their own, up to the deadline; true if they all did. */
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.runs.values()].map((run) => run.finished));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([all.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }

  private async listen(): Promise<void> {
    if (this.stopped || !this.config.database.url) return;
    const client = new pg.Client({ connectionString: this.config.database.url, connectionTimeoutMillis: 5_000 });
    const retry = () => {
      if (this.stopped || this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
      this.reconnect.unref();
    };
    this.listener = client;
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message) => {
      if (message.channel === CANCEL_CHANNEL && message.payload) this.stop(message.payload, 'cancelled');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CANCEL_CHANNEL}`);
    } catch (error) {
      this.logger.debug({ err: error }, 'run cancel listener not connected; retrying');
      retry();
    }
  }
}
