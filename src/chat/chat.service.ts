import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isConnectionUnavailable, toDomainError } from '../common/errors/error-mapping.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { ShutdownState } from '../common/lifecycle/shutdown-state.js';
import { RateLimiterService, type RateLimitRule } from '../common/rate-limit/rate-limiter.service.js';
import { LlmService } from '../llm/llm.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { LlmRequest, TokenUsage } from '../llm/llm-types.js';
import { LlmCallAborted } from '../llm/responses-stream.js';
import type { UserLlm } from '../llm/user-llm.js';
import { backoffMs } from '../upstream-sync/upstream-worker.js';
import type { Message, MessageCitation, MessageStatus } from '../threads/message.entity.js';
import { messageFromRow, toMessageResponse } from '../threads/thread.mapper.js';
import type { MessageResponse } from '../threads/threads.dto.js';
import { ThreadsService } from '../threads/threads.service.js';
import type { ChatDto, TurnOptionsDto } from './chat.dto.js';
import type { HistoryMessage } from './context-builder.js';
import { ContextService } from './context.service.js';
import { costOf } from './pricing.js';
import { RunRegistry, type StopReason } from './run-registry.js';
import type { RunKind, RunStatus } from './run.entity.js';
import { RunsService, type ClaimedRun } from './runs.service.js';
import { SummariesService } from './summaries.service.js';
import { TurnScopes, type TurnAssistant, type TurnThread, type TurnUser } from './turn-scope.js';
import { TitlesService } from './titles.service.js';

/** Where a turn's progress goes: an SSE stream, or a collector for the JSON reply. */
export interface TurnEvents {
  messageCreated(message: MessageResponse): void;
  /** Text deltas in the order they arrived (all of one network read at once). */
  tokens(deltas: string[]): void;
  completed(message: MessageResponse): void;
  title(title: string): void;
  failed(error: DomainError, partial: MessageResponse | null): void;
}

export interface TurnResult {
  threadId: string;
  userMessageId: string | null;
  reply: Message | null;
  title: string | null;
  error: DomainError | null;
}

interface Turn {
  user: TurnUser;
  thread: TurnThread;
  assistant: TurnAssistant;
  run: ClaimedRun;
  kind: RunKind;
  /** The user message the reply answers. */
  replyToId: string | null;
  /** Regenerate: the reply the new one replaces. */
  replacesId: string | null;
  /** Regenerate: history stops at the answered message. */
  historyThroughId: string | null;
  options: TurnOptionsDto;
  /** The first user message of a new, untitled thread (for its title). */
  titleFrom: string | null;
  /** The input's messages, when they were read with the turn's scope; read after the claim otherwise. */
  history?: HistoryMessage[];
}

/** The reply as it streams in: its deltas are joined only when the text is read. */
class ReplyDraft {
  private parts: string[] = [];
  length = 0;
  readonly citations: MessageCitation[] = [];

  append(deltas: string[]): void {
    for (const delta of deltas) {
      this.parts.push(delta);
      this.length += delta.length;
    }
  }

  get text(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }
}

type StreamOutcome =
  | { status: 'completed'; responseId: string; model: string; usage: TokenUsage | null }
  | { status: 'incomplete'; responseId: string; model: string; usage: TokenUsage | null; reason: string };

interface StoredOutcome {
  status: MessageStatus;
  reason: string | null;
  runStatus: RunStatus;
  errorCode: string | null;
  responseId?: string;
  model?: string;
  usage?: TokenUsage | null;
}

/** Tries at storing a reply when no connection could be had (nothing was written, so trying again is safe). */
const STORE_ATTEMPTS = 4;

const STOP_STATUS: Record<StopReason, { message: MessageStatus; run: RunStatus }> = {
  cancelled: { message: 'cancelled', run: 'cancelled' },
  client_disconnected: { message: 'incomplete', run: 'incomplete' },
  server_shutting_down: { message: 'incomplete', run: 'incomplete' },
};

/** Awaits every promise; when some fail, throws the first failure in argument order (not in time). */
async function inOrder<T extends readonly unknown[]>(...promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new LlmCallAborted());
      },
      { once: true },
    );
  });
}

/**
 * Runs assistant turns: claims the thread, stores the user's message before
 * anything can fail, builds the context, streams the reply from OpenAI while
 * relaying it, and stores what came back (whole, partial or cancelled).
 */
@Injectable()
export class ChatService {
  private readonly chatRule: RateLimitRule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly threads: ThreadsService,
    private readonly llm: LlmService,
    private readonly runs: RunsService,
    private readonly scopes: TurnScopes,
    private readonly registry: RunRegistry,
    private readonly context: ContextService,
    private readonly titles: TitlesService,
    private readonly summaries: SummariesService,
    private readonly limiter: RateLimiterService,
    private readonly shutdown: ShutdownState,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {
    this.chatRule = { scope: 'chat-turns', limit: config.rateLimits.chatTurnsPerMinute, windowSeconds: 60 };
  }

  /** POST /api/chat: a user message and the reply to it; starts a thread when none is given. */
  async chat(userId: string, dto: ChatDto, events: TurnEvents, clientGone: AbortSignal): Promise<TurnResult> {
    this.shutdown.assertAccepting();
    this.threads.assertInputLength('message', dto.message);
    // The lookups go to the database together; their errors count in this order.
    // An existing thread's history is read with it, leaving room in the window for the new message.
    const historyLimit = dto.threadId ? this.context.historyLimit - 1 : 0;
    const [, scope] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.load(userId, dto.threadId ?? null, dto.assistantId ?? null, historyLimit),
      this.threads.checkReferences(userId, dto.threadId ?? null, dto.fileIds ?? [], dto.replyToId),
    );
    this.llm.assertKeyReadable(scope.user);

    const { user, thread: existing, assistant } = scope;
    const threadId = existing?.id ?? randomUUID();
    const { run, userMessage, threadMessageCount } = await this.runs.begin({
      threadId,
      userId,
      kind: 'chat',
      newThread: existing ? undefined : { assistantId: assistant.id, title: null },
      assistantId: existing && existing.assistantId !== assistant.id ? assistant.id : undefined,
      userMessage: { content: dto.message, fileIds: dto.fileIds ?? [], replyToId: dto.replyToId ?? null },
    });
    events.messageCreated(toMessageResponse(userMessage!));
    const question: HistoryMessage = { id: userMessage!.id, role: 'user', content: userMessage!.content, fileIds: userMessage!.fileIds };
    // The history read before the claim is the thread as the claim found it unless something changed in
    // between: a run was answering then (its reply may have landed since), or the message count moved.
    const current = !scope.busy && existing !== null && threadMessageCount === existing.messageCount + 1;
    const history = existing === null ? [question] : current && scope.history ? [...scope.history, question] : undefined;
    const thread: TurnThread = existing ?? { id: threadId, userId, assistantId: assistant.id, title: null, summary: null, messageCount: 0 };
    return this.execute(
      {
        user,
        thread,
        assistant,
        run,
        kind: 'chat',
        replyToId: userMessage!.id,
        replacesId: null,
        historyThroughId: null,
        options: dto,
        titleFrom: thread.title === null && (existing?.messageCount ?? 0) === 0 ? dto.message : null,
        history,
      },
      userMessage!.id,
      events,
      clientGone,
    );
  }

  /** POST /api/threads/:id/run: the assistant answers the thread as it stands. */
  async run(userId: string, threadId: string, options: TurnOptionsDto, events: TurnEvents, clientGone: AbortSignal): Promise<TurnResult> {
    this.shutdown.assertAccepting();
    const [, { user, thread, assistant }, lastUser, last] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.loadForThread(userId, threadId),
      this.lastMessage(userId, threadId, 'user'),
      this.lastMessage(userId, threadId),
    );
    if (!last) throw new DomainError('bad_request', 'The thread has no messages to answer; add one first');
    this.llm.assertKeyReadable(user);
    const { run } = await this.runs.begin({ threadId, userId, kind: 'run' });
    return this.execute(
      {
        user,
        thread,
        assistant,
        run,
        kind: 'run',
        replyToId: lastUser?.id ?? null,
        replacesId: null,
        historyThroughId: null,
        options,
        titleFrom: null,
      },
      null,
      events,
      clientGone,
    );
  }

  /**
   * POST /api/threads/:id/regenerate: a new reply to the last user message.
   * The old reply is kept, marked superseded once the new one has text, and
   * left out of this and later context.
   */
  async regenerate(
    userId: string,
    threadId: string,
    options: TurnOptionsDto,
    events: TurnEvents,
    clientGone: AbortSignal,
  ): Promise<TurnResult> {
    this.shutdown.assertAccepting();
    const [, { user, thread, assistant }, question, lastReply] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.loadForThread(userId, threadId),
      this.lastMessage(userId, threadId, 'user'),
      this.lastMessage(userId, threadId, 'assistant'),
    );
    if (!question) throw new DomainError('nothing_to_regenerate', 'There is no user message to answer again');
    const previous = lastReply && lastReply.seq > question.seq ? lastReply : null;
    this.llm.assertKeyReadable(user);
    const { run } = await this.runs.begin({ threadId, userId, kind: 'regenerate' });
    return this.execute(
      {
        user,
        thread,
        assistant,
        run,
        kind: 'regenerate',
        replyToId: question.id,
        replacesId: previous?.id ?? null,
        historyThroughId: question.id,
        options,
        titleFrom: null,
      },
      null,
      events,
      clientGone,
    );
  }

  /** POST /api/threads/:id/cancel: stops the running reply (on whichever instance runs it). */
  async cancel(userId: string, threadId: string): Promise<{ runId: string; status: string }> {
    const thread = await this.threads.findOwned(userId, threadId);
    const runId = await this.runs.requestCancel(userId, thread.id);
    await this.registry.broadcastCancel(runId, (channel, payload) => this.dataSource.query('SELECT pg_notify($1, $2)', [channel, payload]));
    const deadline = Date.now() + 5_000;
    let status = await this.runs.status(runId);
    while (status === 'running' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await this.runs.status(runId);
    }
    return { runId, status: status ?? 'cancelled' };
  }

  private consumeTurn(userId: string): Promise<void> {
    return this.limiter.consume(this.chatRule, userId, 'Too many messages in a short time; wait a moment');
  }

  /** The thread's newest message (of a role), superseded replies aside; the user's own threads only. */
  private async lastMessage(userId: string, threadId: string, role?: 'user' | 'assistant'): Promise<Pick<Message, 'id' | 'seq'> | null> {
    const rows = (await this.dataSource.query(
      `SELECT id, seq FROM messages
       WHERE thread_id = $1 AND user_id = $2 AND status <> 'superseded' AND ($3::text IS NULL OR role = $3)
       ORDER BY seq DESC LIMIT 1`,
      [threadId, userId, role ?? null],
    )) as Array<{ id: string; seq: string }>;
    return rows[0] ? { id: rows[0].id, seq: Number(rows[0].seq) } : null;
  }

  private async execute(turn: Turn, userMessageId: string | null, events: TurnEvents, clientGone: AbortSignal): Promise<TurnResult> {
    const controller = new AbortController();
    const onClientGone = () => controller.abort('client_disconnected' satisfies StopReason);
    if (clientGone.aborted) onClientGone();
    clientGone.addEventListener('abort', onClientGone, { once: true });
    let finish!: () => void;
    this.registry.add({ id: turn.run.id, controller, finished: new Promise<void>((resolve) => (finish = resolve)) });
    const draft = new ReplyDraft();
    const heartbeat = this.startHeartbeat(turn, draft, controller);
    const result: TurnResult = { threadId: turn.thread.id, userMessageId, reply: null, title: null, error: null };
    let titling: Promise<string | null> | undefined;
    try {
      const llm = this.llm.forUser(turn.user);
      const history = turn.history ?? (await this.context.history(turn.thread.id, turn.historyThroughId, turn.replacesId));
      const context = { thread: turn.thread, assistant: turn.assistant, overrides: turn.options, history };
      const outcome = await this.context.send(context, llm, controller.signal, (request) => {
        // Once the request is ready (and not again when it is sent a second time).
        if (turn.titleFrom !== null && this.titles.enabled) titling ??= this.titles.titleThread(turn.thread.id, llm, turn.titleFrom);
        return this.relay(llm, request, draft, events, controller.signal);
      });
      clearInterval(heartbeat);
      const stored = await this.store(turn, draft, {
        status: outcome.status,
        reason: outcome.status === 'incomplete' ? outcome.reason : null,
        runStatus: outcome.status,
        errorCode: outcome.status === 'incomplete' ? 'reply_incomplete' : null,
        responseId: outcome.responseId,
        model: outcome.model,
        usage: outcome.usage,
      });
      result.reply = stored;
      if (outcome.status === 'completed' && stored) {
        events.completed(toMessageResponse(stored));
      } else {
        result.error = new DomainError('reply_incomplete', `The reply was cut short (${outcome.status === 'incomplete' ? outcome.reason : 'no text'})`);
        events.failed(result.error, stored ? toMessageResponse(stored) : null);
      }
      this.metrics.runFinished(outcome.status);
      if (titling) result.title = await this.withinTitleWait(titling);
      if (result.title) events.title(result.title);
      this.summaries.refreshIfDue(turn.thread.id, llm);
    } catch (thrown) {
      clearInterval(heartbeat);
      const stopped = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined;
      const error = stopped ? undefined : (toDomainError(thrown) ?? this.unexpected(thrown, turn));
      const outcome: StoredOutcome = stopped
        ? { status: STOP_STATUS[stopped].message, reason: stopped, runStatus: STOP_STATUS[stopped].run, errorCode: stopped }
        : { status: 'incomplete', reason: error!.code, runStatus: 'failed', errorCode: error!.code };
      result.reply = await this.store(turn, draft, outcome).catch(async (storeError: unknown) => {
        this.logger.error({ err: storeError, runId: turn.run.id }, 'could not store the end of a run');
        // Still end the run, so that the thread is not held until the run goes stale.
        await this.runs.finish(this.dataSource.manager, turn.run.id, 'failed', outcome.errorCode).catch(() => undefined);
        return null;
      });
      const partial = result.reply ? toMessageResponse(result.reply) : null;
      this.metrics.runFinished(outcome.status === 'cancelled' ? 'cancelled' : stopped ?? 'failed');
      if (stopped === 'cancelled') {
        if (partial) events.completed(partial);
      } else {
        result.error =
          error ??
          (stopped === 'server_shutting_down'
            ? new DomainError('server_shutting_down', 'The server is restarting; send the message again in a moment', undefined, 5)
            : new DomainError('bad_request', 'The client went away'));
        events.failed(result.error, partial);
      }
    } finally {
      clearInterval(heartbeat);
      clientGone.removeEventListener('abort', onClientGone);
      finish();
    }
    return result;
  }

  /** Streams the reply, retrying only before the first token and within a capped total wait. */
  private async relay(llm: UserLlm, request: LlmRequest, draft: ReplyDraft, events: TurnEvents, signal: AbortSignal): Promise<StreamOutcome> {
    const { maxRetries, maxRetryWaitMs, firstTokenTimeoutMs, requestTimeoutMs } = this.config.openai;
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      let failed: DomainError | undefined;
      try {
        for await (const batch of llm.stream(request, { signal, firstTokenTimeoutMs, idleTimeoutMs: requestTimeoutMs })) {
          const deltas: string[] = [];
          let outcome: StreamOutcome | undefined;
          for (const event of batch) {
            switch (event.type) {
              case 'delta':
                deltas.push(event.text);
                break;
              case 'citation':
                draft.citations.push({ fileId: event.fileId, filename: event.filename, index: event.index });
                break;
              case 'completed':
                outcome = { status: 'completed', responseId: event.responseId, model: event.model, usage: event.usage };
                break;
              case 'incomplete':
                outcome = { status: 'incomplete', responseId: event.responseId, model: event.model, usage: event.usage, reason: event.reason };
                break;
              case 'failed':
                failed = new DomainError('upstream_error', `OpenAI could not finish the reply (${event.code}): ${event.message}`);
                break;
            }
          }
          if (deltas.length > 0) {
            draft.append(deltas);
            events.tokens(deltas);
            this.metrics.tokensRelayed(deltas.length);
          }
          if (failed) throw failed;
          if (outcome) return outcome;
        }
        throw new DomainError('upstream_unavailable', 'The reply from OpenAI broke off; try again');
      } catch (error) {
        if (error instanceof LlmCallAborted || !(error instanceof DomainError)) throw error;
        this.metrics.upstreamFailed(error.code);
        const retryable = error.code === 'upstream_unavailable' || error.code === 'upstream_rate_limited';
        if (draft.length > 0 || !retryable || attempt >= maxRetries) throw error;
        const wait = Math.max(backoffMs(attempt + 1), (error.retryAfterSeconds ?? 0) * 1000);
        if (waited + wait > maxRetryWaitMs) throw error;
        this.logger.info({ code: error.code, attempt: attempt + 1, waitMs: wait }, 'retrying the model call');
        await sleep(wait, signal);
        waited += wait;
      }
    }
  }

  /**
   * While the reply streams, the run proves it is alive, picks up a cancel
   * asked on another instance, and saves the text so far (so a crash loses
   * at most one interval of it).
   */
  private startHeartbeat(turn: Turn, draft: ReplyDraft, controller: AbortController): NodeJS.Timeout {
    const everyMs = Math.max(200, Math.floor((this.config.chat.runStaleAfterSeconds * 1000) / 3));
    let savedLength = 0;
    const timer = setInterval(() => {
      void (async () => {
        const { cancelRequested } = await this.runs.heartbeat(turn.run.id);
        if (cancelRequested) controller.abort('cancelled' satisfies StopReason);
        if (draft.length > savedLength && !controller.signal.aborted) {
          savedLength = draft.length;
          await this.dataSource.transaction((manager) =>
            this.upsertReply(manager, turn, draft, { status: 'streaming', reason: null, runStatus: 'running', errorCode: null }),
          );
        }
      })().catch((error: unknown) => this.logger.warn({ err: error, runId: turn.run.id }, 'run heartbeat failed'));
    }, everyMs);
    timer.unref();
    return timer;
  }

  /**
   * Stores the reply (when there is text), moves the thread's totals, marks
   * a replaced reply superseded and ends the run, in one transaction. The
   * reply is in memory: when no database connection could be had (a busy
   * pool, a restarting server) the store is tried again, a few times.
   */
  private async store(turn: Turn, draft: ReplyDraft, outcome: StoredOutcome): Promise<Message | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.storeOnce(turn, draft, outcome);
      } catch (error) {
        if (attempt >= STORE_ATTEMPTS || !isConnectionUnavailable(error)) throw error;
        this.logger.warn({ err: error, runId: turn.run.id, attempt }, 'no database connection to store the reply; trying again');
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
      }
    }
  }

  private async storeOnce(turn: Turn, draft: ReplyDraft, outcome: StoredOutcome): Promise<Message | null> {
    return this.dataSource.transaction(async (manager) => {
      let reply: Message | null = null;
      if (draft.length > 0 || outcome.status === 'completed') {
        reply = await this.upsertReply(manager, turn, draft, outcome);
        if (turn.replacesId) {
          await manager.query(`UPDATE messages SET status = 'superseded', updated_at = now() WHERE id = $1 AND thread_id = $2`, [
            turn.replacesId,
            turn.thread.id,
          ]);
        }
      }
      await this.runs.finish(manager, turn.run.id, outcome.runStatus, outcome.errorCode);
      return reply;
    });
  }

  private async upsertReply(manager: EntityManager, turn: Turn, draft: ReplyDraft, outcome: StoredOutcome): Promise<Message> {
    const model = outcome.model ?? turn.options.model ?? turn.assistant.model;
    const usage = outcome.usage ?? null;
    const cost = costOf(model, usage, this.config.openai.pricing);
    const citations = await this.localCitations(manager, turn.user.id, draft.citations);
    const rows = (await manager.query(
      `INSERT INTO messages (id, thread_id, user_id, role, content, status, status_reason, reply_to_id, file_ids, citations,
                             assistant_id, model, input_tokens, output_tokens, cost, upstream_response_id)
       VALUES ($1, $2, $3, 'assistant', $4, $5, $6, $7, '[]', $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, status = EXCLUDED.status, status_reason = EXCLUDED.status_reason,
         citations = EXCLUDED.citations, model = EXCLUDED.model, input_tokens = EXCLUDED.input_tokens,
         output_tokens = EXCLUDED.output_tokens, cost = EXCLUDED.cost, upstream_response_id = EXCLUDED.upstream_response_id,
         updated_at = now()
       RETURNING *, (xmax = 0) AS inserted`,
      [
        turn.run.replyId,
        turn.thread.id,
        turn.user.id,
        draft.text,
        outcome.status,
        outcome.reason,
        turn.replyToId,
        JSON.stringify(citations),
        turn.assistant.id,
        model,
        usage?.inputTokens ?? null,
        usage?.outputTokens ?? null,
        cost,
        outcome.responseId ?? null,
      ],
    )) as Array<Record<string, unknown> & { inserted: boolean }>;
    await manager.query(
      `UPDATE threads SET message_count = message_count + $2, input_tokens = input_tokens + $3, output_tokens = output_tokens + $4,
         total_cost = total_cost + $5, last_message_at = now(), last_activity_at = now(), updated_at = now()
       WHERE id = $1`,
      [turn.thread.id, rows[0]?.inserted ? 1 : 0, usage?.inputTokens ?? 0, usage?.outputTokens ?? 0, cost ?? 0],
    );
    return messageFromRow(rows[0]);
  }

  /** Citations name OpenAI's file ids; the platform's own ids are what clients know. */
  private async localCitations(manager: EntityManager, userId: string, citations: MessageCitation[]): Promise<MessageCitation[]> {
    if (citations.length === 0) return [];
    const upstreamIds = [...new Set(citations.map((citation) => citation.fileId))];
    const rows = (await manager.query('SELECT id, filename, upstream_file_id FROM files WHERE user_id = $1 AND upstream_file_id = ANY($2)', [
      userId,
      upstreamIds,
    ])) as Array<{ id: string; filename: string; upstream_file_id: string }>;
    const local = new Map(rows.map((row) => [row.upstream_file_id, row]));
    return citations.map((citation) => {
      const file = local.get(citation.fileId);
      return file ? { fileId: file.id, filename: file.filename, index: citation.index } : citation;
    });
  }

  private async withinTitleWait(titling: Promise<string | null>): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.config.chat.titleWaitMs);
    });
    const title = await Promise.race([titling, timeout]);
    clearTimeout(timer);
    return title;
  }

  private unexpected(error: unknown, turn: Turn): DomainError {
    this.logger.error({ err: error, stack: (error as Error)?.stack, runId: turn.run.id }, 'chat turn failed unexpectedly');
    return new DomainError('internal_error', 'The reply failed on our side; try again');
  }
}
