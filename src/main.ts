import 'reflect-metadata';
import cluster from 'node:cluster';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { createLogger, prettyLogs } from './common/logging/logger.js';
import { gracefulShutdown } from './common/lifecycle/graceful-shutdown.js';
import { listenForStopRequests } from './common/lifecycle/stop-requests.js';
import { STOP_MESSAGE, superviseWorkers, type WorkerSupervisor } from './common/lifecycle/workers.js';
import { resolveDatabase, type ResolvedDatabase } from './database/database-server.js';

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Starts the server (or, with WEB_CONCURRENCY above 1, the processes that run
 * it) and stops it in order: the server first, the embedded database last, each
 * once. Stop requests are heard from the first moment: one that arrives while
 * the process starts takes effect as soon as what is starting can be stopped.
 * However this process ends, the embedded database stops with it (its watchdog
 * notices), so an exit at once is always safe.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const pretty = prettyLogs({ pretty: config.logPretty, nodeEnv: config.nodeEnv, isTTY: process.stdout.isTTY === true });
  const root = createLogger(config.logLevel, undefined, { pretty });
  const logger = cluster.isWorker ? root.child({ worker: cluster.worker!.id }) : root;
  let database: ResolvedDatabase | undefined;
  /** Stops what runs, once it runs; resolves true when it stopped cleanly. */
  let stopServing: ((reason: string) => Promise<boolean>) | undefined;
  let stopReason: string | undefined;
  let supervisor: WorkerSupervisor | undefined;

  const exitAfterDatabase = async (code: number) => {
    try {
      await database?.stop();
    } catch (error) {
      logger.error({ err: error }, 'could not stop the embedded database');
      code = 1;
    }
    logger.info('stopped');
    logger.flush();
    process.exit(code);
  };
  const stopGracefully = async (reason: string) => {
    let clean = false;
    try {
      clean = await stopServing!(reason);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
    }
    await exitAfterDatabase(clean ? 0 : 1);
  };
  const requestStop = listenForStopRequests(logger, {
    stop: (reason) => {
      stopReason = reason;
      if (stopServing) void stopGracefully(reason);
    },
    stopNow: () => {
      supervisor?.kill();
      void exitAfterDatabase(1);
    },
  });
  if (cluster.isWorker) process.on('message', (message) => message === STOP_MESSAGE && requestStop('stop message', false));

  database = await resolveDatabase(config, logger);
  if (stopReason) return exitAfterDatabase(0);

  if (config.workers > 1 && cluster.isPrimary) {
    const workers = (supervisor = superviseWorkers(database.config, logger));
    stopServing = (reason) => workers.stop(reason);
  } else {
    let app: Awaited<ReturnType<typeof createApp>>;
    try {
      app = await createApp({ config: database.config, logger });
      await app.listen(config.port, config.host);
    } catch (error) {
      logger.fatal({ err: error }, 'start failed');
      return exitAfterDatabase(1);
    }
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, environment: config.nodeEnv }, `listening on http://localhost:${port}`);
    stopServing = async (reason) => {
      logger.info({ reason, graceMs: config.shutdownGraceMs }, 'shutting down: no new connections, finishing requests in flight');
      // Past this, what is left is cut short; the database is still stopped.
      const force = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        void exitAfterDatabase(1);
      }, config.shutdownGraceMs + 15_000);
      force.unref();
      await gracefulShutdown(app, config.shutdownGraceMs, logger);
      return true;
    };
  }
  if (stopReason) void stopGracefully(stopReason);
}

main().catch((error: unknown) => {
  process.stderr.write(`Start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
