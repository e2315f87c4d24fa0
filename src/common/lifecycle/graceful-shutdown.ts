import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AppLogger } from '../logging/logger.js';
import { SHUTDOWN_DRAIN, type ShutdownDrain } from './shutdown-drain.js';
import { ShutdownState } from './shutdown-state.js';

/**
 * Stops the application the way a load balancer expects: refuse new
 * connections and new turns, let replies in flight finish within the grace
 * period, then end the rest (their partial text stored, an error event sent),
 * and close the database pool last.
 */
export async function gracefulShutdown(app: INestApplication, graceMs: number, logger: AppLogger): Promise<void> {
  app.get(ShutdownState).begin();
  const server = app.getHttpServer() as Server;
  server.close();
  server.closeIdleConnections();
  const work = app.get<ShutdownDrain>(SHUTDOWN_DRAIN);
  if (work.inFlight > 0) {
    logger.info({ runs: work.inFlight, graceMs }, 'waiting for replies in flight');
    const finished = await work.drain(graceMs);
    if (!finished) {
      logger.warn({ runs: work.inFlight }, 'grace period over: ending the remaining replies');
      await work.stopRemaining();
    }
  }
  await app.close();
}
