import { Global, Module } from '@nestjs/common';
import { UpstreamJobsRepository } from './upstream-jobs.repository.js';
import { UpstreamJobsService } from './upstream-jobs.service.js';
import { UpstreamWorker } from './upstream-worker.js';

/** Background work at OpenAI (file indexing, clean-up) that survives restarts. */
@Global()
@Module({ providers: [UpstreamJobsRepository, UpstreamJobsService, UpstreamWorker], exports: [UpstreamJobsService, UpstreamWorker] })
export class UpstreamSyncModule {}
