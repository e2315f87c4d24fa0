import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { DatabaseNotifications } from '../database/notifications.js';
import { ReplyStore } from './reply-store.js';
import { REPLY_WATCH_CHANNEL, ReplyStreamRepository } from './reply-stream.repository.js';
import type { ReplyDraft, Turn } from './turn.js';

/** How long a request to flush a run is kept for a run that has not started here yet. */
const EARLY_WATCH_MS = 10_000;
const EARLY_WATCH_LIMIT = 1_000;

/** Writes a turn's partial reply to its row while it streams; stop() before the end is stored. */
export interface ReplyFlusher {
  /** Writes the text so far now, if it grew (one write at a time). */
  flush(): Promise<void>;
  /** Ends the flushing and waits for a write in flight, so that it cannot land after the end. */
  stop(): Promise<void>;
}

/**
 * Keeps a running reply's message row current and wakes the clients attached
 * to it on any instance with a NOTIFY. The row is what they read: the
 * generating instance holds nothing per attached client. While the reply's
 * own client is connected and nobody else follows it, the row is written on
 * the heartbeat only; once the client has gone (it may come back) or a client
 * attaches anywhere (`reply_watch`), every CHAT_STREAM_FLUSH_MS.
 */
@Injectable()
export class ReplyFlushes {
  /** Runs executing here: how to switch each to frequent flushing. */
  private readonly local = new Map<string, () => void>();
  /** Runs asked for before they started here (the claim comes before the executor). */
  private readonly early = new Map<string, number>();

  constructor(
    private readonly store: ReplyStore,
    private readonly replies: ReplyStreamRepository,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
    notifications: DatabaseNotifications,
  ) {
    notifications.subscribe(REPLY_WATCH_CHANNEL, (runId) => this.watched(runId));
  }

  start(turn: Turn, draft: ReplyDraft, clientGone: AbortSignal): ReplyFlusher {
    const runId = turn.run.id;
    let saved = 0;
    let writing: Promise<void> | undefined;
    let stopped = false;
    let frequent = clientGone.aborted || (this.early.get(runId) ?? 0) > Date.now();
    this.early.delete(runId);
    const flush = (): Promise<void> => {
      if (writing) return writing;
      if (stopped || draft.length <= saved) return Promise.resolve();
      saved = draft.length;
      writing = this.store
        .saveProgress(turn, draft)
        .then(() => this.announce(runId))
        .catch((error: unknown) => this.logger.warn({ err: error, runId }, 'could not save the reply so far'))
        .finally(() => (writing = undefined));
      return writing;
    };
    const often = () => {
      frequent = true;
      void flush();
    };
    clientGone.addEventListener('abort', often, { once: true });
    this.local.set(runId, often);
    const timer = setInterval(() => frequent && void flush(), this.config.chat.streams.flushMs);
    timer.unref();
    return {
      flush,
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        clientGone.removeEventListener('abort', often);
        this.local.delete(runId);
        await writing;
      },
    };
  }

  /** Wakes the attached clients (the end of a reply, once stored); a failure only delays them to their next poll. */
  async announce(runId: string): Promise<void> {
    await this.replies.announce(runId).catch((error: unknown) => this.logger.warn({ err: error, runId }, 'could not announce reply progress'));
  }

  /** A client attached to the run somewhere: its row is written often from now on. */
  private watched(runId: string): void {
    const run = this.local.get(runId);
    if (run) return run();
    const now = Date.now();
    if (this.early.size >= EARLY_WATCH_LIMIT) for (const [id, until] of this.early) if (until <= now) this.early.delete(id);
    if (this.early.size < EARLY_WATCH_LIMIT) this.early.set(runId, now + EARLY_WATCH_MS);
  }
}
