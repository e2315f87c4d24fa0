import type { AppLogger } from '../logging/logger.js';

/** Requests within this long of the one that took effect are that same request. */
export const REPEAT_WINDOW_MS = 1_000;

/** What a stop request means: start the graceful stop, nothing new, stop now, or exit at once. */
export type StopAction = 'stop' | 'same' | 'stop-now' | 'exit-now';

/**
 * Tells repeated stop requests apart from insistence. One Ctrl-C in a terminal
 * reaches every process of the foreground group, and npm passes its own copy on
 * to node, so node sees two signals a few milliseconds apart for one key press;
 * a supervisor that signals the whole process group does the same. Requests
 * within REPEAT_WINDOW_MS of the one that took effect are therefore the same
 * request. A later one is the operator insisting: stop now (requests in flight
 * are cut short, the database is still stopped). One after that exits at once.
 * A request that may not escalate (the primary's stop message to a worker,
 * which the worker may get after the terminal's signal) only ever starts the stop.
 */
export class StopRequests {
  private level = 0;
  private lastEffectAt = 0;

  constructor(
    private readonly windowMs = REPEAT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  classify(mayEscalate = true): StopAction {
    const now = this.now();
    if (this.level > 0 && (!mayEscalate || now - this.lastEffectAt < this.windowMs)) return 'same';
    this.level = Math.min(this.level + 1, 3);
    this.lastEffectAt = now;
    return this.level === 1 ? 'stop' : this.level === 2 ? 'stop-now' : 'exit-now';
  }
}

export interface StopHandlers {
  /** Stop gracefully (called once). */
  stop(reason: string): void;
  /** Stop without waiting for requests in flight, the database included (called at most once). */
  stopNow(reason: string): void;
}

/** What SIGINT and SIGTERM ask for; an exit at once is done here (the database's watchdog stops it). */
export function listenForStopRequests(logger: AppLogger, handlers: StopHandlers): (reason: string, mayEscalate?: boolean) => void {
  const requests = new StopRequests();
  const request = (reason: string, mayEscalate = true) => {
    switch (requests.classify(mayEscalate)) {
      case 'stop':
        handlers.stop(reason);
        return;
      case 'same':
        logger.debug({ reason }, 'already stopping (the same request)');
        return;
      case 'stop-now':
        logger.warn({ reason }, 'asked again: stopping now without waiting for requests in flight');
        handlers.stopNow(reason);
        return;
      case 'exit-now':
        logger.warn({ reason }, 'asked a third time: exiting at once');
        logger.flush();
        process.exit(1);
    }
  };
  process.on('SIGINT', () => request('SIGINT'));
  process.on('SIGTERM', () => request('SIGTERM'));
  return request;
}
