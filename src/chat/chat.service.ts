import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ShutdownState } from '../common/lifecycle/shutdown-state.js';
import { RateLimiterService, type RateLimitRule } from '../common/rate-limit/rate-limiter.service.js';
import { LlmService } from '../llm/llm.service.js';
import { RunsService } from '../runs/runs.service.js';
import { MessagesRepository } from '../threads/messages.repository.js';
import { toMessageResponse } from '../threads/thread.mapper.js';
import { ThreadsService } from '../threads/threads.service.js';
import type { ChatDto, TurnOptionsDto } from './chat.dto.js';
import type { HistoryMessage } from './context-builder.js';
import { ContextService } from './context.service.js';
import { answererOf } from './plain-chat.js';
import { TurnExecutor } from './turn-executor.js';
import { TurnScopes, type TurnThread } from './turn-scopes.repository.js';
import type { TurnEvents, TurnResult } from './turn.js';

export type { TurnEvents, TurnResult } from './turn.js';

/** How long a cancel waits for the run to end before answering with the status it has. */
const CANCEL_WAIT_MS = 5_000;
const CANCEL_POLL_MS = 50;

/** Awaits every promise; when some fail, throws the first failure in argument order (not in time). */
async function inOrder<T extends readonly unknown[]>(...promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * The ways a turn starts (chat, run, regenerate) and stops (cancel): each
 * checks what the request may do, claims the thread, and hands the turn to
 * the executor. Every refusal that can be known up front (limits, the
 * thread, the assistant, the attachments, the key) comes before anything is
 * stored; once the turn is claimed, the user's message is kept whatever
 * happens to the reply.
 */
@Injectable()
export class ChatService {
  private readonly chatRule: RateLimitRule;
  private readonly plainChat: AppConfig['openai']['plainChat'];

  constructor(
    private readonly threads: ThreadsService,
    private readonly messages: MessagesRepository,
    private readonly llm: LlmService,
    private readonly runs: RunsService,
    private readonly scopes: TurnScopes,
    private readonly context: ContextService,
    private readonly executor: TurnExecutor,
    private readonly limiter: RateLimiterService,
    private readonly shutdown: ShutdownState,
    @InjectConfig() config: AppConfig,
  ) {
    this.chatRule = { scope: 'chat-turns', limit: config.rateLimits.chatTurnsPerMinute, windowSeconds: 60 };
    this.plainChat = config.openai.plainChat;
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
      this.scopes.load(userId, dto.threadId ?? null, dto.assistantId ?? null, historyLimit, this.context.sendsSummary),
      this.threads.checkReferences(userId, dto.threadId ?? null, dto.fileIds ?? [], dto.replyToId),
    );
    const assistant = answererOf(scope.assistant, this.plainChat);
    this.llm.assertKeyUsable(scope.user);

    const { user, thread: existing } = scope;
    const threadId = existing?.id ?? randomUUID();
    const { run, userMessage, threadMessageCount } = await this.runs.begin({
      threadId,
      userId,
      kind: 'chat',
      newThread: existing ? undefined : { assistantId: assistant.id, title: null },
      assistantId: existing && assistant.id !== null && existing.assistantId !== assistant.id ? assistant.id : undefined,
      userMessage: { content: dto.message, fileIds: dto.fileIds ?? [], replyToId: dto.replyToId ?? null },
    });
    const message = userMessage!;
    events.messageCreated(toMessageResponse(message));
    const question: HistoryMessage = { id: message.id, seq: message.seq, role: 'user', content: message.content, fileIds: message.fileIds, replyToId: message.replyToId };
    // The history read before the claim is the thread as the claim found it unless something changed in
    // between: a run was answering then (its reply may have landed since), or the message count moved.
    const current = !scope.busy && existing !== null && threadMessageCount === existing.messageCount + 1;
    const history = existing === null ? [question] : current && scope.history ? [...scope.history, question] : undefined;
    const thread: TurnThread = existing ?? { id: threadId, userId, assistantId: assistant.id, title: null, summary: null, summaryThroughSeq: null, messageCount: 0 };
    const turn = {
      user,
      thread,
      assistant,
      run,
      kind: 'chat' as const,
      replyToId: message.id,
      replacesId: null,
      historyThroughId: null,
      options: dto,
      titleFrom: thread.title === null && (existing?.messageCount ?? 0) === 0 ? dto.message : null,
      history,
    };
    return this.executor.execute(turn, message.id, events, clientGone);
  }

  /** POST /api/threads/:id/run: the assistant answers the thread as it stands. */
  async run(userId: string, threadId: string, options: TurnOptionsDto, events: TurnEvents, clientGone: AbortSignal): Promise<TurnResult> {
    this.shutdown.assertAccepting();
    const [, { user, thread, assistant: chosen }, lastUser, last] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.loadForThread(userId, threadId),
      this.messages.last(userId, threadId, 'user'),
      this.messages.last(userId, threadId),
    );
    if (!last) throw new DomainError('bad_request', 'The thread has no messages to answer; add one first');
    const assistant = answererOf(chosen, this.plainChat);
    this.llm.assertKeyUsable(user);
    const { run } = await this.runs.begin({ threadId, userId, kind: 'run' });
    const turn = { user, thread, assistant, run, kind: 'run' as const, replyToId: lastUser?.id ?? null, replacesId: null, historyThroughId: null, options, titleFrom: null };
    return this.executor.execute(turn, null, events, clientGone);
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
    const [, { user, thread, assistant: chosen }, question, lastReply] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.loadForThread(userId, threadId),
      this.messages.last(userId, threadId, 'user'),
      this.messages.last(userId, threadId, 'assistant'),
    );
    if (!question) throw new DomainError('nothing_to_regenerate', 'There is no user message to answer again');
    const previous = lastReply && lastReply.seq > question.seq ? lastReply : null;
    const assistant = answererOf(chosen, this.plainChat);
    this.llm.assertKeyUsable(user);
    const { run } = await this.runs.begin({ threadId, userId, kind: 'regenerate' });
    const turn = {
      user,
      thread,
      assistant,
      run,
      kind: 'regenerate' as const,
      replyToId: question.id,
      replacesId: previous?.id ?? null,
      historyThroughId: question.id,
      options,
      titleFrom: null,
    };
    return this.executor.execute(turn, null, events, clientGone);
  }

  /** POST /api/threads/:id/cancel: stops the running reply (on whichever instance runs it), waiting a moment for it to end. */
  async cancel(userId: string, threadId: string): Promise<{ runId: string; status: string }> {
    const thread = await this.threads.findOwned(userId, threadId);
    const runId = await this.runs.cancel(userId, thread.id);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    let status = await this.runs.status(userId, runId);
    while (status === 'running' && Date.now() < deadline) {
      await sleep(CANCEL_POLL_MS);
      status = await this.runs.status(userId, runId);
    }
    return { runId, status: status ?? 'cancelled' };
  }

  private consumeTurn(userId: string): Promise<void> {
    return this.limiter.consume(this.chatRule, userId, 'Too many messages in a short time; wait a moment');
  }
}
