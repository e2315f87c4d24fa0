import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { ReplyStore } from './reply-store.js';
import { ReplyStreamRepository } from './reply-stream.repository.js';
import type { ReplyDraft, Turn } from './turn.js';

/** Writes a turn's partial reply to its row while it streams; stop() before the end is stored. */
export interface ReplyFlusher {
  /** Writes the text so far now, if it grew (one write at a time). */
  flush(): Promise<void>;
  /** Ends the flushing and waits for a write in flight, so that it cannot land after the end. */
  stop(): Promise<void>;
}

/**
 * Keeps a running reply's message row current (every CHAT_STREAM_FLUSH_MS,
 * only when text arrived) and wakes the clients attached to it on any
 * instance with a NOTIFY. The row is what they read: the generating instance
 * holds nothing per attached client.
 */
@Injectable()
export class ReplyFlushes {
  constructor(
    private readonly store: ReplyStore,
    private readonly replies: ReplyStreamRepository,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  start(turn: Turn, draft: ReplyDraft): ReplyFlusher {
    let saved = 0;
    let writing: Promise<void> | undefined;
    let stopped = false;
    const flush = (): Promise<void> => {
      if (writing) return writing;
      if (stopped || draft.length <= saved) return Promise.resolve();
      saved = draft.length;
      writing = this.store
        .saveProgress(turn, draft)
        .then(() => this.announce(turn.run.id))
        .catch((error: unknown) => this.logger.warn({ err: error, runId: turn.run.id }, 'could not save the reply so far'))
        .finally(() => (writing = undefined));
      return writing;
    };
    const timer = setInterval(() => void flush(), this.config.chat.streams.flushMs);
    timer.unref();
    return {
      flush,
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        await writing;
      },
    };
  }

  /** Wakes the attached clients (the end of a reply, once stored); a failure only delays them to their next poll. */
  async announce(runId: string): Promise<void> {
    await this.replies.announce(runId).catch((error: unknown) => this.logger.warn({ err: error, runId }, 'could not announce reply progress'));
  }
}
