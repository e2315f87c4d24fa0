import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { unitConfig } from '../config/testing/unit-config.js';
import type { AppLogger } from '../common/logging/logger.js';
import type { DatabaseNotifications } from '../database/notifications.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import type { RunHeartbeats } from '../runs/run-heartbeat.js';
import type { RunsService } from '../runs/runs.service.js';
import type { Message } from '../threads/message.entity.js';
import type { ThreadsService } from '../threads/threads.service.js';
import { afterChars, charCount } from './reply-offsets.js';
import type { ReplyProgress, ReplyStreamRepository } from './reply-stream.repository.js';
import { ReplyWatches } from './reply-watches.js';

const USER = 'a0000000-0000-4000-8000-000000000001';
const THREAD = 'b0000000-0000-4000-8000-000000000002';
const RUN = 'c0000000-0000-4000-8000-000000000003';
const REPLY = 'd0000000-0000-4000-8000-000000000004';

/** The stored reply, as the repository reads it. */
class StoredReply {
  content = '';
  runStatus: ReplyProgress['runStatus'] = 'running';
  messageStatus: Message['status'] = 'streaming';
  reads = 0;

  progress = async (_userId: string, _runId: string, from: number): Promise<ReplyProgress> => {
    this.reads++;
    return {
      runStatus: this.runStatus,
      errorCode: null,
      stale: false,
      messageId: REPLY,
      messageStatus: this.messageStatus,
      length: charCount(this.content),
      tail: afterChars(this.content, from),
    };
  };
  // Cast: the fields the mapper reads, whatever else a message gains.
  message = async (): Promise<Message> => ({
    id: REPLY,
    seq: 2,
    threadId: THREAD,
    userId: USER,
    role: 'assistant',
    content: this.content,
    status: this.messageStatus,
    statusReason: null,
    replyToId: null,
    parentId: null,
    depth: 2,
    fileIds: [],
    citations: [],
    assistantId: null,
    model: 'gpt-4o',
    inputTokens: null,
    outputTokens: null,
    cost: null,
    upstreamResponseId: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  }) as Message;
  runningRun = async () => ({ id: RUN, assistant_message_id: REPLY });
  watch = async () => undefined;
}

/** A response that records what is written; a slow one reports a full buffer until drained. */
class FakeResponse extends EventEmitter {
  written = '';
  writableEnded = false;
  destroyed = false;
  writableNeedDrain = false;
  socket = { destroyed: false, setNoDelay: () => undefined };

  constructor(private readonly slow = false) {
    super();
  }
  status = () => this;
  setHeader = () => undefined;
  flushHeaders = () => undefined;
  write = (chunk: string) => {
    this.written += chunk;
    if (this.slow) this.writableNeedDrain = true;
    return !this.slow;
  };
  end = () => {
    this.writableEnded = true;
    this.emit('close');
  };
  drain(): void {
    this.writableNeedDrain = false;
    this.emit('drain');
  }
  events(): Array<{ id: number; event: string; data: any }> {
    return this.written
      .split('\n\n')
      .filter((frame) => frame.startsWith('id:'))
      .map((frame) => {
        const [id, event, data] = frame.split('\n');
        return { id: Number(id.slice(4)), event: event.slice(7), data: JSON.parse(data.slice(6)) };
      });
  }
  tokens(): string {
    return this.events()
      .filter((event) => event.event === 'token')
      .map((event) => event.data.delta)
      .join('');
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

function watchesOver(stored: StoredReply) {
  let wake: (payload: string) => void = () => undefined;
  const notifications = { subscribe: (_channel: string, handler: (payload: string) => void) => (wake = handler), onListeningChange: () => undefined, listening: true };
  const watches = new ReplyWatches(
    stored as unknown as ReplyStreamRepository,
    { findOwned: async () => ({ id: THREAD }) } as unknown as ThreadsService,
    { closeIfStale: async () => false } as unknown as RunsService,
    { intervalMs: 60_000 } as unknown as RunHeartbeats,
    { streamOpened: () => undefined, streamClosed: () => undefined } as unknown as MetricsService,
    unitConfig(),
    { warn: () => undefined } as unknown as AppLogger,
    notifications as unknown as DatabaseNotifications,
  );
  return { watches, notify: async () => (wake(RUN), await settle()) };
}

describe('reply watches', () => {
  it('keeps nothing for a slow client: it is skipped until it drains, then reads what it missed from the row', async () => {
    const stored = new StoredReply();
    const { watches, notify } = watchesOver(stored);
    const fast = new FakeResponse();
    const slow = new FakeResponse(true);
    stored.content = 'Hello';
    await watches.attach(USER, THREAD, undefined, fast as unknown as Response);
    await watches.attach(USER, THREAD, undefined, slow as unknown as Response);
    await settle();
    stored.content = 'Hello wörld 😀';
    await notify();
    stored.content = 'Hello wörld 😀, again';
    await notify();
    expect(fast.tokens()).toBe('Hello wörld 😀, again');
    // The slow client took one write and waits for it to go out; nothing more was written to it.
    expect(slow.tokens()).toBe('Hello');

    slow.drain();
    await settle();
    expect(slow.tokens()).toBe('Hello wörld 😀, again');
    expect(slow.events().at(-1)!.id).toBe(charCount('Hello wörld 😀, again'));

    stored.runStatus = 'completed';
    stored.messageStatus = 'completed';
    await notify();
    slow.drain();
    await settle();
    for (const response of [fast, slow]) {
      expect(response.events().slice(-2).map((event) => event.event)).toEqual(['message_completed', 'done']);
      expect(response.writableEnded).toBe(true);
    }
  });

  it('replays after the Last-Event-ID and waits while the row is behind what the client saw', async () => {
    const stored = new StoredReply();
    const { watches, notify } = watchesOver(stored);
    stored.content = 'abc';
    const ahead = new FakeResponse();
    await watches.attach(USER, THREAD, '5', ahead as unknown as Response);
    await settle();
    expect(ahead.events()).toEqual([]);
    stored.content = 'abcdefgh';
    await notify();
    expect(ahead.tokens()).toBe('fgh');
    expect(ahead.events()[0].id).toBe(8);
  });
});
