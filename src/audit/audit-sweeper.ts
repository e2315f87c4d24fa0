import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { AuditService } from './audit.service.js';

/** Entries deleted per statement. */
const BATCH = 1_000;

/**
 * Deletes audit entries older than AUDIT_RETENTION_DAYS, at start and every
 * AUDIT_SWEEP_INTERVAL_SECONDS. Instances purging together do no harm.
 */
@Injectable()
export class AuditSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.governance.auditSweepIntervalSeconds;
    if (seconds === 0 || this.config.governance.auditRetentionDays === 0) return;
    this.timer = setInterval(() => this.start(), seconds * 1000);
    this.timer.unref();
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private start(): void {
    if (this.stopped || this.running) return;
    this.running = this.sweep()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'audit purge failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Purges everything past the retention; answers how many entries it deleted. */
  async sweep(): Promise<number> {
    const days = this.config.governance.auditRetentionDays;
    if (days === 0) return 0;
    let purged = 0;
    for (;;) {
      if (this.stopped) break;
      const deleted = await this.audit.purgeOlderThan(days, BATCH);
      purged += deleted;
      if (deleted < BATCH) break;
    }
    if (purged > 0) this.logger.info({ purged }, 'audit log purged');
    return purged;
  }
}
