import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { RunRegistry } from '../../chat/run-registry.js';
import type { AppLogger } from '../logging/logger.js';
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
  const registry = app.get(RunRegistry);
  if (registry.size > 0) {
    logger.info({ runs: registry.size, graceMs }, 'waiting for replies in flight');
    const finished = await registry.drain(graceMs);
    if (!finished) {
      logger.warn({ runs: registry.size }, 'grace period over: ending the remaining replies');
      await registry.stopAll('server_shutting_down');
    }
  }
  await app.close();
}
