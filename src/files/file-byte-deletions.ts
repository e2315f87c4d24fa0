import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AccountEvents } from '../auth/account-events.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { SqlExecutor } from '../database/sql.js';
import { FileBytesStore, type FileRef } from './file-bytes-store.js';
import { FileByteDeletionsRepository, type FileByteDeletionRow } from './file-byte-deletions.repository.js';

/** Removals one pass takes on. */
const PASS_SIZE = 100;

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Deletes bytes kept outside the database together with their owner (a file,
 * an account) without ever losing track of them: what must go is recorded in
 * PostgreSQL first, removed from the store at once, and a removal that fails
 * (the store unreachable) stays recorded and is tried again by every instance's
 * periodic pass until it succeeds. Nothing to do where the bytes go with their
 * rows (PostgreSQL).
 */
@Injectable()
export class FileByteDeletions implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;

  constructor(
    private readonly store: FileBytesStore,
    private readonly rows: FileByteDeletionsRepository,
    private readonly accountEvents: AccountEvents,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  private get retryMs(): number {
    return this.config.fileStorage.deleteRetryMs;
  }

  onModuleInit(): void {
    if (this.store.removedWithRows) return;
    this.accountEvents.onAccountDeletion(async (user) => {
      await this.rows.recordOwner(user.id);
    });
    this.accountEvents.onAccountDeleted((user) => this.removeOwner(user.id));
    this.timer = setInterval(() => void this.runPass(), this.retryMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  /** Records, in the transaction that deletes the file's row, that its bytes must go; returns what `fileDeleted` needs. */
  async fileDeleting(file: FileRef, db: SqlExecutor): Promise<string | undefined> {
    if (this.store.removedWithRows) return undefined;
    return this.rows.recordFile(file.userId, file.id, db);
  }

  /** After the deletion's commit: removes the bytes now, or leaves them recorded for a later pass. */
  async fileDeleted(file: FileRef, recorded: string | undefined): Promise<void> {
    if (recorded === undefined) return;
    try {
      await this.store.remove(file);
      await this.rows.done(file.userId, recorded);
    } catch (error) {
      await this.retryLater(file.userId, recorded, error);
    }
  }

  /** Bytes stored for files whose rows were never committed (an upload that failed after storing them). */
  async discard(files: FileRef[]): Promise<void> {
    if (this.store.removedWithRows) return;
    for (const file of files) {
      try {
        await this.store.remove(file);
      } catch (error) {
        const recorded = await this.rows.recordFile(file.userId, file.id);
        await this.retryLater(file.userId, recorded, error);
      }
    }
  }

  /** One pass over the due removals (also what the timer runs). */
  runPass(): Promise<void> {
    this.pass ??= this.removeDue()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'file byte removal pass failed'))
      .finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async removeDue(): Promise<void> {
    await this.rows.dropStale();
    for (const row of await this.rows.claimDue(PASS_SIZE, this.retryMs)) await this.removeClaimed(row);
  }

  private async removeClaimed(row: FileByteDeletionRow): Promise<void> {
    try {
      if (row.file_id === null) {
        await this.store.removeOwner(row.user_id);
        await this.rows.allDone(row.user_id);
      } else {
        await this.store.remove({ id: row.file_id, userId: row.user_id });
        await this.rows.done(row.user_id, row.id);
      }
    } catch (error) {
      this.logger.warn({ userId: row.user_id, fileId: row.file_id, reason: reason(error) }, 'file bytes not removed yet; will retry');
    }
  }

  /** After the account's rows are gone: all its bytes, now or by a later pass. */
  private async removeOwner(userId: string): Promise<void> {
    try {
      await this.store.removeOwner(userId);
      await this.rows.allDone(userId);
    } catch (error) {
      this.logger.warn({ userId, reason: reason(error) }, "an account's file bytes were not removed yet; will retry");
    }
  }

  private async retryLater(userId: string, recorded: string, error: unknown): Promise<void> {
    this.logger.warn({ userId, reason: reason(error) }, 'file bytes not removed yet; will retry');
    await this.rows.failed(userId, recorded, reason(error), this.retryMs);
  }
}
