import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { toMessageResponse } from '../threads/thread.mapper.js';
import type { MessageResponse } from '../threads/threads.dto.js';
import type { ChatReply } from './chat.dto.js';
import type { TurnEvents, TurnResult } from './turn.js';
import { charCount } from './reply-offsets.js';
import { SseStream } from './sse-stream.js';

export type TurnRunner = (events: TurnEvents, clientGone: AbortSignal) => Promise<TurnResult>;

/**
 * Relays a turn's events as SSE, opening the stream with the first event.
 * Event ids are offsets into the reply's text (the characters sent so far),
 * so a client that lost the stream resumes it with GET
 * /api/threads/:id/stream and its last id.
 */
class SseEvents implements TurnEvents {
  private stream: SseStream | undefined;
  private offset = 0;

  constructor(
    private readonly response: Response,
    private readonly heartbeatMs: number,
    private readonly metrics: MetricsService,
  ) {}

  get started(): boolean {
    return this.stream !== undefined;
  }

  private open(): void {
    if (this.stream) return;
    this.stream = new SseStream(this.response, this.heartbeatMs);
    this.metrics.streamOpened();
    this.response.once('close', () => this.metrics.streamClosed());
  }

  private send(event: string, data: unknown): void {
    this.open();
    this.stream!.send(event, data, this.offset);
  }

  messageCreated(message: MessageResponse): void {
    this.send('message_created', { message });
  }
  tokens(deltas: string[]): void {
    this.open();
    const ids = deltas.map((delta) => (this.offset += charCount(delta)));
    this.stream!.sendEach('token', deltas.map((delta) => ({ delta })), ids);
  }
  completed(message: MessageResponse): void {
    this.send('message_completed', { message });
  }
  title(title: string): void {
    this.send('title', { title });
  }
  budgetWarning(warning: { usedPercent: number; resetsAt: string }): void {
    this.send('budget_warning', warning);
  }
  failed(error: DomainError, partial: MessageResponse | null): void {
    this.send('error', {
      error: error.message,
      code: error.code,
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      ...(partial ? { message: partial } : {}),
    });
  }
  done(result: TurnResult): void {
    this.send('done', { threadId: result.threadId, messageId: result.reply?.id ?? null });
    this.stream?.end();
  }
}

/** Collects nothing: the JSON reply is built from the turn's result. */
const IGNORED: TurnEvents = {
  messageCreated: () => undefined,
  tokens: () => undefined,
  completed: () => undefined,
  title: () => undefined,
  budgetWarning: () => undefined,
  failed: () => undefined,
};

function toChatReply(result: TurnResult): ChatReply {
  const reply = result.reply!;
  const message = toMessageResponse(reply);
  return {
    threadId: result.threadId,
    messageId: reply.id,
    userMessageId: result.userMessageId,
    content: [{ type: 'text', text: reply.content }],
    citations: message.citations,
    usage: message.usage,
    cost: message.cost,
    title: result.title,
    status: reply.status,
    message,
  };
}

/**
 * Answers a turn either as a Server-Sent Events stream (stream: true, or
 * Accept: text/event-stream) or as one JSON reply. Errors raised before the
 * turn starts (404, 409, 429, ...) are ordinary error responses either way.
 */
@Injectable()
export class TurnResponder {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  wantsStream(request: Request, stream: boolean | undefined): boolean {
    if (stream !== undefined) return stream;
    return (request.headers.accept ?? '').includes('text/event-stream');
  }

  async respond(request: Request, response: Response, stream: boolean | undefined, run: TurnRunner): Promise<void> {
    const clientGone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) clientGone.abort();
    });
    if (this.wantsStream(request, stream)) {
      const events = new SseEvents(response, this.config.chat.heartbeatIntervalMs, this.metrics);
      const result = await run(events, clientGone.signal);
      events.done(result);
      return;
    }
    const result = await run(IGNORED, clientGone.signal);
    if (result.error) {
      throw new DomainError(result.error.code, result.error.message, [
        {
          message: 'What was stored before the failure',
          threadId: result.threadId,
          userMessageId: result.userMessageId,
          messageId: result.reply?.id ?? null,
        },
      ], result.error.retryAfterSeconds);
    }
    if (!result.reply) {
      response.status(200).json({ threadId: result.threadId, messageId: null, userMessageId: result.userMessageId, status: 'cancelled' });
      return;
    }
    response.status(200).json(toChatReply(result));
  }
}
