import 'reflect-metadata';
import cluster from 'node:cluster';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { createLogger } from './common/logging/logger.js';
import { gracefulShutdown } from './common/lifecycle/graceful-shutdown.js';
import { STOP_MESSAGE, superviseWorkers } from './common/lifecycle/workers.js';
import { resolveDatabase } from './database/database-server.js';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = cluster.isWorker ? createLogger(config.logLevel).child({ worker: cluster.worker!.id }) : createLogger(config.logLevel);
  // A worker may be told to stop while it is still starting: it stops as soon as it is up.
  let stopAsked = false;
  let onStopMessage = () => {
    stopAsked = true;
  };
  if (cluster.isWorker) process.on('message', (message) => message === STOP_MESSAGE && onStopMessage());
  const database = await resolveDatabase(config, logger);
  if (config.workers > 1 && cluster.isPrimary) {
    const clean = await superviseWorkers(database.config, logger);
    await database.stop();
    logger.info('stopped');
    logger.flush();
    process.exit(clean ? 0 : 1);
  }
  let app;
  try {
    app = await createApp({ config: database.config, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    await database.stop();
    process.exit(1);
  }
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, environment: config.nodeEnv }, `listening on http://localhost:${port}`);

  let stopping = false;
  /** A second signal ends the process at once; the primary's stop message only starts the shutdown. */
  const shutdown = async (signal: string, escalate = true) => {
    if (stopping) {
      if (!escalate) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 15_000);
    force.unref();
    try {
      await gracefulShutdown(app, config.shutdownGraceMs, logger);
      await database.stop();
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  onStopMessage = () => void shutdown('stop message', false);
  if (stopAsked) onStopMessage();
}

main().catch((error: unknown) => {
  process.stderr.write(`Start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
