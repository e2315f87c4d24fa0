import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { toDomainError } from '../common/errors/error-mapping.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { LlmService } from '../llm/llm.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RunHeartbeats } from '../runs/run-heartbeat.js';
import { RunRegistry, type StopReason } from '../runs/run-registry.js';
import type { MessageStatus } from '../threads/message.entity.js';
import { toMessageResponse } from '../threads/thread.mapper.js';
import type { RunStatus } from '../runs/run.entity.js';
import { ContextService } from './context.service.js';
import { ReplyRelay } from './reply-relay.js';
import { ReplyFlushes } from './reply-flusher.js';
import { ReplyStore } from './reply-store.js';
import { SummariesService } from './summaries.service.js';
import { TitlesService } from './titles.service.js';
import { ReplyDraft, type StoredOutcome, type Turn, type TurnEvents, type TurnResult } from './turn.js';

const STOP_STATUS: Record<StopReason, { message: MessageStatus; run: RunStatus }> = {
  cancelled: { message: 'cancelled', run: 'cancelled' },
  client_disconnected: { message: 'incomplete', run: 'incomplete' },
  server_shutting_down: { message: 'incomplete', run: 'incomplete' },
};

/**
 * Executes a claimed turn: registers the run on this instance, keeps its
 * heartbeat, builds the context, relays the reply, stores what came back
 * (whole, partial or cancelled), and sends the thread's new title when it is
 * ready in time.
 */
@Injectable()
export class TurnExecutor {
  constructor(
    private readonly llm: LlmService,
    private readonly registry: RunRegistry,
    private readonly heartbeats: RunHeartbeats,
    private readonly context: ContextService,
    private readonly relay: ReplyRelay,
    private readonly store: ReplyStore,
    private readonly flushes: ReplyFlushes,
    private readonly titles: TitlesService,
    private readonly summaries: SummariesService,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  async execute(turn: Turn, userMessageId: string | null, events: TurnEvents, clientGone: AbortSignal): Promise<TurnResult> {
    const controller = new AbortController();
    // By default the reply goes on without its client (it can attach again); a cancel stops it.
    const onClientGone = () => controller.abort('client_disconnected' satisfies StopReason);
    const stopsWithClient = !this.config.chat.streams.continueOnDisconnect;
    if (stopsWithClient) {
      if (clientGone.aborted) onClientGone();
      clientGone.addEventListener('abort', onClientGone, { once: true });
    }
    let finish!: () => void;
    this.registry.add({ id: turn.run.id, controller, finished: new Promise<void>((resolve) => (finish = resolve)) });
    const draft = new ReplyDraft();
    const flusher = this.flushes.start(turn, draft, clientGone);
    const heartbeat = this.heartbeats.start({ userId: turn.user.id, runId: turn.run.id, controller, onBeat: () => flusher.flush() });
    const stopSaving = async () => {
      heartbeat.stop();
      await flusher.stop();
    };
    const result: TurnResult = { threadId: turn.thread.id, userMessageId, reply: null, title: null, error: null };
    if (turn.budget?.warning) events.budgetWarning(turn.budget.warning);
    try {
      await this.answer(turn, draft, controller.signal, events, result, stopSaving);
    } catch (thrown) {
      await stopSaving();
      await this.endEarly(turn, draft, controller.signal, thrown, events, result);
    } finally {
      await stopSaving();
      clientGone.removeEventListener('abort', onClientGone);
      finish();
    }
    return result;
  }

  /** The turn as it goes when the reply ends on its own (complete, or cut short by OpenAI). */
  private async answer(
    turn: Turn,
    draft: ReplyDraft,
    signal: AbortSignal,
    events: TurnEvents,
    result: TurnResult,
    stopSaving: () => Promise<void>,
  ): Promise<void> {
    let titling: Promise<string | null> | undefined;
    const llm = this.llm.forUser(turn.user);
    const history = turn.history ?? (await this.context.history(turn.thread, turn.parentId));
    const context = { thread: turn.thread, assistant: turn.assistant, overrides: turn.options, history };
    const outcome = await this.context.send(context, llm, signal, (request) => {
      // Once the request is ready (and not again when it is sent a second time).
      if (turn.titleFrom !== null && this.titles.enabled) titling ??= this.titles.titleThread(turn.user.id, turn.thread.id, llm, turn.titleFrom);
      return this.relay.relay(llm, request, draft, events, signal);
    });
    await stopSaving();
    const stored = await this.store.finish(turn, draft, {
      status: outcome.status,
      reason: outcome.status === 'incomplete' ? outcome.reason : null,
      runStatus: outcome.status,
      errorCode: outcome.status === 'incomplete' ? 'reply_incomplete' : null,
      responseId: outcome.responseId,
      model: outcome.model,
      usage: outcome.usage,
    });
    result.reply = stored;
    await this.flushes.announce(turn.run.id);
    if (outcome.status === 'completed' && stored) {
      events.completed(toMessageResponse(stored));
    } else {
      result.error = new DomainError('reply_incomplete', `The reply was cut short (${outcome.status === 'incomplete' ? outcome.reason : 'no text'})`);
      events.failed(result.error, stored ? toMessageResponse(stored) : null);
    }
    this.metrics.runFinished(outcome.status);
    if (titling) result.title = await this.withinTitleWait(titling);
    if (result.title) events.title(result.title);
    this.summaries.refreshIfDue(turn.user.id, turn.thread.id, llm);
  }

  /** The turn stopped (cancel, client gone, shutdown) or failed: what arrived is kept, and the client told. */
  private async endEarly(turn: Turn, draft: ReplyDraft, signal: AbortSignal, thrown: unknown, events: TurnEvents, result: TurnResult): Promise<void> {
    const stopped = signal.aborted ? (signal.reason as StopReason) : undefined;
    const error = stopped ? undefined : (toDomainError(thrown) ?? this.unexpected(thrown, turn));
    const outcome: StoredOutcome = stopped
      ? { status: STOP_STATUS[stopped].message, reason: stopped, runStatus: STOP_STATUS[stopped].run, errorCode: stopped }
      : { status: 'incomplete', reason: error!.code, runStatus: 'failed', errorCode: error!.code };
    result.reply = await this.store.finish(turn, draft, outcome).catch(async (storeError: unknown) => {
      this.logger.error({ err: storeError, runId: turn.run.id }, 'could not store the end of a run');
      // Still end the run, so that the thread is not held until the run goes stale.
      await this.store.endRun(turn, outcome).catch(() => undefined);
      return null;
    });
    await this.flushes.announce(turn.run.id);
    const partial = result.reply ? toMessageResponse(result.reply) : null;
    this.metrics.runFinished(outcome.status === 'cancelled' ? 'cancelled' : (stopped ?? 'failed'));
    if (stopped === 'cancelled') {
      if (partial) events.completed(partial);
      return;
    }
    result.error =
      error ??
      (stopped === 'server_shutting_down'
        ? new DomainError('server_shutting_down', 'The server is restarting; send the message again in a moment', undefined, 5)
        : new DomainError('bad_request', 'The client went away'));
    events.failed(result.error, partial);
  }

  /** The title, if it is ready within TITLE_WAIT_MS; null otherwise (it is stored all the same). */
  private async withinTitleWait(titling: Promise<string | null>): Promise<string | null> {
    const timer = new AbortController();
    try {
      return await Promise.race([titling, sleep(this.config.chat.titleWaitMs, null, { signal: timer.signal })]);
    } finally {
      timer.abort();
    }
  }

  private unexpected(error: unknown, turn: Turn): DomainError {
    this.logger.error({ err: error, stack: (error as Error)?.stack, runId: turn.run.id }, 'chat turn failed unexpectedly');
    return new DomainError('internal_error', 'The reply failed on our side; try again');
  }
}
