import { Module } from '@nestjs/common';
import { SHUTDOWN_DRAIN } from '../common/lifecycle/shutdown-drain.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { RunHeartbeats } from './run-heartbeat.js';
import { RunRegistry } from './run-registry.js';
import { RunViewsRepository } from './run-views.repository.js';
import { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';
import { TurnStartRepository } from './turn-start.repository.js';

/** Runs: claims, heartbeats, cancels across instances, and the replies in flight a shutdown drains. */
@Module({
  imports: [ThreadsModule],
  providers: [RunsService, RunsRepository, RunViewsRepository, TurnStartRepository, RunRegistry, RunHeartbeats, { provide: SHUTDOWN_DRAIN, useExisting: RunRegistry }],
  exports: [RunsService, RunViewsRepository, RunRegistry, RunHeartbeats, SHUTDOWN_DRAIN],
})
export class RunsModule {}
