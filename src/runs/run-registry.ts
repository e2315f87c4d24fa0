import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { ShutdownDrain } from '../common/lifecycle/shutdown-drain.js';
import { DatabaseNotifications } from '../database/notifications.js';

export type StopReason = 'cancelled' | 'client_disconnected' | 'server_shutting_down';

const CANCEL_CHANNEL = 'run_cancel';

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
 * also checks the cancel flag, in case a notification was missed. On
 * shutdown they are the work drained (ShutdownDrain).
 */
@Injectable()
export class RunRegistry implements ShutdownDrain {
  private readonly runs = new Map<string, ActiveRun>();

  constructor(notifications: DatabaseNotifications) {
    notifications.subscribe(CANCEL_CHANNEL, (runId) => this.stop(runId, 'cancelled'));
  }

  get inFlight(): number {
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

  stopRemaining(): Promise<void> {
    return this.stopAll('server_shutting_down');
  }

  /** Waits for the local runs to finish on their own, up to the deadline; true if they all did. */
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.runs.values()].map((run) => run.finished)).then(() => true);
    const deadline = new AbortController();
    try {
      return await Promise.race([all, sleep(timeoutMs, false, { signal: deadline.signal })]);
    } finally {
      deadline.abort();
    }
  }
}
