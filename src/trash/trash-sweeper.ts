import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AssistantsService } from '../assistants/assistants.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { ThreadsService } from '../threads/threads.service.js';

/** Objects purged per read of the trash. */
const BATCH = 100;

/** One kind of object with a trash: what has outlived the retention, and its permanent deletion. */
interface TrashKind {
  name: 'thread' | 'assistant';
  trashedFor(retentionDays: number, limit: number): Promise<Array<{ userId: string; id: string }>>;
  deletePermanently(userId: string, id: string): Promise<void>;
}

/**
 * Purges what has been in the trash for TRASH_RETENTION_DAYS, at start and
 * every TRASH_SWEEP_INTERVAL_SECONDS, through the same permanent deletion as
 * `DELETE ...?permanent=true` (an assistant's documents and vector store
 * are cleaned up as they are there). Instances sweeping together do no
 * harm: an object another one purged first is skipped.
 */
@Injectable()
export class TrashSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly kinds: TrashKind[];

  constructor(
    threads: ThreadsService,
    assistants: AssistantsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {
    this.kinds = [
      { name: 'thread', trashedFor: (days, limit) => threads.trashedFor(days, limit), deletePermanently: (userId, id) => threads.deletePermanently(userId, id) },
      {
        name: 'assistant',
        trashedFor: (days, limit) => assistants.trashedFor(days, limit),
        deletePermanently: (userId, id) => assistants.deletePermanently(userId, id),
      },
    ];
  }

  onApplicationBootstrap(): void {
    const seconds = this.config.trash.sweepIntervalSeconds;
    if (seconds === 0) return;
    this.timer = setInterval(() => this.start(), seconds * 1000);
    this.timer.unref();
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a pass unless one is running; a failed pass is logged and the next one tries again. */
  private start(): void {
    if (this.stopped || this.running) return;
    this.running = this.sweep()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'trash purge failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Purges everything due; answers how many objects it deleted. */
  async sweep(): Promise<number> {
    let purged = 0;
    for (const kind of this.kinds) {
      for (;;) {
        if (this.stopped) return purged;
        const due = await kind.trashedFor(this.config.trash.retentionDays, BATCH);
        for (const { userId, id } of due) {
          try {
            await kind.deletePermanently(userId, id);
            purged++;
          } catch (error) {
            // Purged meanwhile by another instance, or deleted by its owner.
            if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
          }
        }
        if (due.length < BATCH) break;
      }
    }
    if (purged > 0) this.logger.info({ purged }, 'trash purged');
    return purged;
  }
}
