import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from '../../config/config.js';
import type { AppLogger } from '../logging/logger.js';

/** What the primary sends a worker to stop it gracefully. */
export const STOP_MESSAGE = 'assistants-platform:stop';

/** A worker that dies within this long of its start is restarted after a growing pause. */
const QUICK_EXIT_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs the server in `config.workers` processes that share the port
 * (node:cluster): one Node.js process uses one core, so a machine with more
 * is used fully. Everything shared already lives in PostgreSQL, so workers
 * are instances like any other, started with the database this process
 * resolved. Only the first one prunes expired sessions and purges the
 * trash. A worker that dies is replaced until the workers are stopped.
 */
export interface WorkerSupervisor {
  /** Stops every worker gracefully; settles once all have exited (true when all exited 0). */
  stop(reason: string): Promise<boolean>;
  /** Ends every worker at once (SIGKILL). */
  kill(): void;
}

export function superviseWorkers(config: AppConfig, logger: AppLogger): WorkerSupervisor {
  const log = logger.child({ component: 'workers' });
  let stopping = false;
  let clean = true;
  const restartDelays = new Map<number, number>();
  /** Workers that are serving (a message sent to one still starting could arrive before it listens for it). */
  const listening = new WeakSet<Worker>();

  const start = (index: number) => {
    const startedAt = Date.now();
    const worker = cluster.fork({
      DATABASE_URL: config.database.url,
      ...(index > 0 ? { SESSION_PRUNE_INTERVAL_SECONDS: '0', TRASH_SWEEP_INTERVAL_SECONDS: '0' } : {}),
    });
    worker.once('listening', () => listening.add(worker));
    worker.on('exit', (code, signal) => {
      if (stopping) {
        if (code !== 0) clean = false;
        return;
      }
      const delay = Date.now() - startedAt < QUICK_EXIT_MS ? Math.min(MAX_RESTART_DELAY_MS, (restartDelays.get(index) ?? 500) * 2) : 1_000;
      restartDelays.set(index, delay);
      log.error({ slot: index, pid: worker.process.pid, code, signal, restartInMs: delay }, 'worker exited; starting a new one');
      setTimeout(() => {
        if (!stopping) start(index);
      }, delay).unref();
    });
    return worker;
  };

  for (let index = 0; index < config.workers; index++) start(index);
  log.info({ workers: config.workers }, 'server processes started');

  const current = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);

  const stopAll = (reason: string) =>
    new Promise<boolean>((resolve) => {
      stopping = true;
      const workers = current();
      log.info({ reason, workers: workers.length }, 'stopping the server processes');
      // A terminal's Ctrl-C reaches the workers by itself; a signal sent to this process alone is passed on
      // as a message, which a worker that is already stopping takes as the same request.
      const tell = (worker: Worker) => {
        if (worker.isConnected()) worker.send(STOP_MESSAGE);
      };
      for (const worker of workers) {
        if (listening.has(worker)) tell(worker);
        else worker.once('listening', () => tell(worker));
      }
      // A worker that does not finish within its own deadline is ended.
      const deadline = setTimeout(() => {
        for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
      }, config.shutdownGraceMs + 20_000);
      deadline.unref();
      let left = workers.filter((worker) => !worker.isDead()).length;
      if (left === 0) resolve(clean);
      for (const worker of workers) {
        if (worker.isDead()) continue;
        worker.once('exit', () => {
          if (--left > 0) return;
          clearTimeout(deadline);
          resolve(clean);
        });
      }
    });

  let stopped: Promise<boolean> | undefined;
  return {
    stop(reason) {
      stopped ??= stopAll(reason);
      return stopped;
    },
    kill() {
      stopping = true;
      for (const worker of current()) if (!worker.isDead()) worker.process.kill('SIGKILL');
    },
  };
}
