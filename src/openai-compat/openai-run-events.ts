import type { Response } from 'express';
import { SseStream } from '../chat/sse-stream.js';
import type { TurnEvents } from '../chat/turn.js';
import type { DomainError } from '../common/errors/domain-error.js';
import type { ClaimedRun } from '../runs/runs.service.js';
import type { MessageResponse } from '../threads/threads.dto.js';
import { openAiErrorBody } from './openai-error.filter.js';
import { toOpenAiId, unixSeconds } from './openai-ids.js';
import { lastError, runFromBasis, type OpenAiRun, type OpenAiRunStatus, type RunBasis } from './openai-runs.mapper.js';
import { toOpenAiMessage, type OpenAiMessage } from './openai-threads.mapper.js';

type Assistant = RunBasis['assistant'];

/**
 * A /v1 run's progress. It learns the run's id when the turn claims it
 * (`started`); with a response it streams OpenAI's run events:
 * thread.run.created, thread.run.in_progress, thread.message.created,
 * thread.message.delta, thread.message.completed, then thread.run.completed
 * (or .incomplete, .cancelled, .failed with an `error` event), and `done`.
 */
export class OpenAiRunEvents implements TurnEvents {
  readonly started: Promise<ClaimedRun>;
  private markStarted!: (run: ClaimedRun) => void;
  private basis: RunBasis | undefined;
  private stream: SseStream | undefined;
  private replyId: string | undefined;
  private messageSent = false;

  constructor(
    private readonly threadId: string,
    private readonly assistant: Assistant,
    private readonly response?: Response,
    private readonly heartbeatMs = 15_000,
  ) {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }

  get hasStarted(): boolean {
    return this.basis !== undefined;
  }

  runStarted(run: ClaimedRun): void {
    this.basis = { id: run.id, threadId: this.threadId, startedAt: new Date(), assistant: this.assistant };
    this.replyId = run.replyId;
    this.markStarted(run);
    if (!this.response) return;
    this.stream = new SseStream(this.response, this.heartbeatMs);
    this.send('thread.run.created', this.run('queued'));
    this.send('thread.run.in_progress', this.run('in_progress'));
  }

  messageCreated(): void {
    // A run adds no user message; the reply's creation is announced with its first text.
  }

  budgetWarning(): void {
    // OpenAI's run events have no such event; GET /api/usage carries the budget.
  }

  tokens(deltas: string[]): void {
    if (!this.stream) return;
    this.announceMessage();
    this.send('thread.message.delta', {
      id: toOpenAiId('msg', this.replyId!),
      object: 'thread.message.delta',
      delta: { content: [{ index: 0, type: 'text', text: { value: deltas.join('') } }] },
    });
  }

  completed(message: MessageResponse): void {
    if (!this.stream) return;
    this.announceMessage();
    this.send('thread.message.completed', toOpenAiMessage(message, {}, toOpenAiId('run', this.basis!.id)));
    const usage = message.usage ? { prompt_tokens: message.usage.inputTokens, completion_tokens: message.usage.outputTokens, total_tokens: message.usage.totalTokens } : null;
    const now = unixSeconds(new Date());
    if (message.status === 'completed') this.send('thread.run.completed', this.run('completed', { completed_at: now, usage, model: message.model ?? this.assistant.model }));
    else if (message.status === 'cancelled') this.send('thread.run.cancelled', this.run('cancelled', { cancelled_at: now, usage }));
    else this.send('thread.run.incomplete', this.run('incomplete', { incomplete_details: { reason: 'max_completion_tokens' }, usage }));
  }

  title(): void {
    // Titles are the platform's own; the wire format has none.
  }

  failed(error: DomainError): void {
    if (!this.stream) return;
    this.send('thread.run.failed', this.run('failed', { failed_at: unixSeconds(new Date()), last_error: lastError(error.code) }));
    this.send('error', openAiErrorBody(error).error);
  }

  /** Ends the stream after the turn's end. */
  end(): void {
    if (!this.stream) return;
    this.stream.sendText('done', '[DONE]');
    this.stream.end();
  }

  private announceMessage(): void {
    if (this.messageSent) return;
    this.messageSent = true;
    const created: OpenAiMessage = {
      ...toOpenAiMessage({
        id: this.replyId!,
        threadId: this.threadId,
        role: 'assistant',
        content: '',
        status: 'streaming',
        statusReason: null,
        assistantId: this.assistant.id,
        createdAt: new Date(),
      }),
      content: [],
      run_id: toOpenAiId('run', this.basis!.id),
    };
    this.send('thread.message.created', created);
  }

  private run(status: OpenAiRunStatus, extra: Partial<OpenAiRun> = {}): OpenAiRun {
    return runFromBasis(this.basis!, status, extra);
  }

  private send(event: string, data: unknown): void {
    this.stream?.send(event, data);
  }
}
