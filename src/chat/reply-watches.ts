import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { DatabaseNotifications } from '../database/notifications.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RunHeartbeats } from '../runs/run-heartbeat.js';
import { RunsService } from '../runs/runs.service.js';
import type { Message } from '../threads/message.entity.js';
import { toMessageResponse } from '../threads/thread.mapper.js';
import { ThreadsService } from '../threads/threads.service.js';
import { afterChars, parseLastEventId } from './reply-offsets.js';
import { REPLY_PROGRESS_CHANNEL, ReplyStreamRepository, type ReplyProgress } from './reply-stream.repository.js';
import { SseStream } from './sse-stream.js';

/** The largest Last-Event-ID taken (characters of a reply). */
const MAX_OFFSET = 1_000_000_000;

/** One client attached to a running reply: where it is in the text, and whether it is still taking what was written. */
interface Attached {
  userId: string;
  stream: SseStream;
  offset: number;
  /** The client reads slower than the reply comes: it is skipped until its socket drains, then reads on from the row. */
  draining: boolean;
}

/** The clients of one instance attached to one run; one read of the row serves them all. */
interface RunWatch {
  userId: string;
  threadId: string;
  runId: string;
  attached: Set<Attached>;
  reading: boolean;
  again: boolean;
  lastReadAt: number;
  poll: NodeJS.Timeout;
}

/**
 * Clients attached to a thread's running reply (GET /api/threads/:id/stream),
 * whichever instance generates it. The reply's text is read from its message
 * row, where the generating instance flushes it (reply-flusher.ts), after a
 * NOTIFY on `reply_progress` or, as a fallback, every heartbeat interval. No
 * text is kept per client: each has only its offset, and one that reads
 * slowly reads on from the row once it has caught up. A run whose heartbeat
 * went stale is closed here, and its clients get an `error` with the stored
 * partial. Event ids are character offsets into the reply, as on the stream
 * that started it, so `Last-Event-ID` replays exactly what was missed.
 */
@Injectable()
export class ReplyWatches implements BeforeApplicationShutdown {
  private readonly watches = new Map<string, RunWatch>();
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly replies: ReplyStreamRepository,
    private readonly threads: ThreadsService,
    private readonly runs: RunsService,
    private readonly heartbeats: RunHeartbeats,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
    private readonly notifications: DatabaseNotifications,
  ) {
    notifications.subscribe(REPLY_PROGRESS_CHANNEL, (runId) => this.watches.get(runId) && this.wake(this.watches.get(runId)!));
    // A notification may have been missed while the listener was down.
    notifications.onListeningChange((listening) => listening && this.watches.forEach((watch) => this.wake(watch)));
  }

  /** Attaches the response to the thread's running reply; 204 when nothing runs. */
  async attach(userId: string, threadId: string, lastEventId: string | string[] | undefined, response: Response): Promise<void> {
    await this.threads.findOwned(userId, threadId);
    const offset = parseLastEventId(lastEventId, MAX_OFFSET);
    if (offset === null) {
      throw new DomainError('validation_failed', 'Last-Event-ID must be an event id of this stream (a whole number of characters)', [
        { field: 'Last-Event-ID', message: `a whole number from 0 to ${MAX_OFFSET}` },
      ]);
    }
    const { maxAttachedPerUser } = this.config.chat.streams;
    if ((this.perUser.get(userId) ?? 0) >= maxAttachedPerUser) {
      throw new DomainError('rate_limited', `At most ${maxAttachedPerUser} reply streams may be open at once; close one first`, undefined, 1);
    }
    const run = await this.replies.runningRun(userId, threadId);
    if (!run) {
      response.status(204).end();
      return;
    }
    await this.replies.watch(run.id);
    // The client may have gone while this was looked up.
    if (!response.socket || response.socket.destroyed) return;
    const attached: Attached = { userId, stream: new SseStream(response, this.config.chat.heartbeatIntervalMs), offset: offset ?? 0, draining: false };
    this.metrics.streamOpened();
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    const watch = this.watchOf(userId, threadId, run.id);
    watch.attached.add(attached);
    response.once('close', () => this.detach(watch, attached));
    this.wake(watch);
  }

  beforeApplicationShutdown(): void {
    // Clients attach again elsewhere with their last event id.
    for (const watch of this.watches.values()) for (const attached of watch.attached) attached.stream.end();
  }

  private watchOf(userId: string, threadId: string, runId: string): RunWatch {
    let watch = this.watches.get(runId);
    if (!watch) {
      // NOTIFY wakes the watch; the poll reads every heartbeat interval (to notice a dead instance),
      // and at each tick while the listener is down.
      const poll = setInterval(() => {
        if (!this.notifications.listening || Date.now() - watch!.lastReadAt >= this.heartbeats.intervalMs) this.wake(watch!);
      }, this.pollTickMs);
      poll.unref();
      watch = { userId, threadId, runId, attached: new Set(), reading: false, again: false, lastReadAt: Date.now(), poll };
      this.watches.set(runId, watch);
    }
    return watch;
  }

  private detach(watch: RunWatch, attached: Attached): void {
    if (!watch.attached.delete(attached)) return;
    attached.stream.end();
    this.metrics.streamClosed();
    const count = (this.perUser.get(attached.userId) ?? 1) - 1;
    if (count > 0) this.perUser.set(attached.userId, count);
    else this.perUser.delete(attached.userId);
    if (watch.attached.size === 0) {
      clearInterval(watch.poll);
      this.watches.delete(watch.runId);
    }
  }

  /** Reads the row for the watch's clients; a wake during a read makes one more read after it. */
  private wake(watch: RunWatch): void {
    if (watch.reading) {
      watch.again = true;
      return;
    }
    watch.reading = true;
    watch.again = false;
    void this.read(watch)
      .catch((error: unknown) => this.logger.warn({ err: error, runId: watch.runId }, 'could not read a running reply'))
      .finally(() => {
        // In the same step as `reading` is cleared, so a wake that came during the read is never lost.
        watch.reading = false;
        if (watch.again && watch.attached.size > 0) this.wake(watch);
      });
  }

  /** How often a watch checks whether it is due a read without a wake-up. */
  private get pollTickMs(): number {
    return Math.min(this.heartbeats.intervalMs, Math.max(this.config.chat.streams.flushMs * 4, 200));
  }

  private async read(watch: RunWatch): Promise<void> {
    watch.lastReadAt = Date.now();
    const ready = [...watch.attached].filter((attached) => !attached.draining);
    if (ready.length === 0) return;
    const from = Math.min(...ready.map((attached) => attached.offset));
    const staleSeconds = this.config.chat.runStaleAfterSeconds;
    let progress = await this.replies.progress(watch.userId, watch.runId, from, staleSeconds);
    if (progress?.stale) {
      await this.runs.closeIfStale(watch.userId, watch.threadId);
      progress = await this.replies.progress(watch.userId, watch.runId, from, staleSeconds);
    }
    for (const attached of ready) this.sendText(watch, attached, progress, from);
    if (progress && progress.runStatus === 'running') return;
    const message = progress?.messageId ? await this.replies.message(watch.userId, progress.messageId) : undefined;
    for (const attached of ready) if (!attached.draining) this.end(watch, attached, progress, message);
  }

  /** What the client has not had of the stored text (nothing when the row is behind what it saw). */
  private sendText(watch: RunWatch, attached: Attached, progress: ReplyProgress | undefined, from: number): void {
    if (!progress || progress.length <= attached.offset) return;
    const delta = afterChars(progress.tail, attached.offset - from);
    attached.offset = progress.length;
    if (attached.stream.send('token', { delta }, attached.offset)) return;
    attached.draining = true;
    void attached.stream.drained().then(() => {
      attached.draining = false;
      if (watch.attached.has(attached)) this.wake(watch);
    });
  }

  /** The reply ended (or its instance died): the stored message, or the error with the partial, then done. */
  private end(watch: RunWatch, attached: Attached, progress: ReplyProgress | undefined, message: Message | undefined): void {
    const stored = message ? toMessageResponse(message) : null;
    if (stored && (message!.status === 'completed' || message!.status === 'cancelled')) {
      attached.stream.send('message_completed', { message: stored }, attached.offset);
    } else {
      attached.stream.send('error', { ...this.failure(progress), ...(stored ? { message: stored } : {}) }, attached.offset);
    }
    attached.stream.send('done', { threadId: watch.threadId, messageId: message?.id ?? null }, attached.offset);
    this.detach(watch, attached);
  }

  private failure(progress: ReplyProgress | undefined): { error: string; code: string } {
    if (!progress) return { error: 'The thread is gone', code: 'not_found' };
    if (progress.errorCode === 'abandoned') return { error: 'The server writing the reply stopped; what it wrote is kept', code: 'reply_interrupted' };
    const code = progress.errorCode ?? 'reply_incomplete';
    return { error: `The reply did not finish (${code})`, code };
  }
}
