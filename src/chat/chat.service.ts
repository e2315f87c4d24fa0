import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { BudgetAdmission, type AdmittedTurn } from '../budgets/budget-admission.js';
import { ShutdownState } from '../common/lifecycle/shutdown-state.js';
import { RateLimiterService, type RateLimitRule } from '../common/rate-limit/rate-limiter.service.js';
import { LlmService } from '../llm/llm.service.js';
import { RunsService } from '../runs/runs.service.js';
import { BranchLimits } from '../threads/branch-limits.js';
import { BranchRepository } from '../threads/branch.repository.js';
import { toMessageResponse } from '../threads/thread.mapper.js';
import { ThreadsService } from '../threads/threads.service.js';
import type { ChatDto, EditMessageDto, TurnOptionsDto } from './chat.dto.js';
import type { HistoryMessage } from './context-builder.js';
import { ContextService } from './context.service.js';
import { answererOf } from './plain-chat.js';
import { TurnExecutor } from './turn-executor.js';
import { TurnScopes, type TurnAssistant, type TurnThread, type TurnUser } from './turn-scopes.repository.js';
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
 * The ways a turn starts (chat, run, regenerate, edit) and stops (cancel): each
 * checks what the request may do, claims the thread, and hands the turn to
 * the executor. Every refusal that can be known up front (limits, the
 * thread, the assistant, the attachments, the key, then the budget and the
 * shared key's policy, last as they hold part of the budget for the turn)
 * comes before anything is stored; once the turn is claimed, the user's
 * message is kept whatever happens to the reply.
 */
@Injectable()
export class ChatService {
  private readonly chatRule: RateLimitRule;
  private readonly plainChat: AppConfig['openai']['plainChat'];

  constructor(
    private readonly threads: ThreadsService,
    private readonly branches: BranchRepository,
    private readonly branchLimits: BranchLimits,
    private readonly llm: LlmService,
    private readonly runs: RunsService,
    private readonly scopes: TurnScopes,
    private readonly context: ContextService,
    private readonly executor: TurnExecutor,
    private readonly limiter: RateLimiterService,
    private readonly shutdown: ShutdownState,
    private readonly admission: BudgetAdmission,
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
    // The question and its reply.
    if (scope.thread) this.branchLimits.assertRoom(scope.thread, 2);
    const assistant = answererOf(scope.assistant, this.plainChat);
    this.llm.assertKeyUsable(scope.user);

    const { user, thread: existing } = scope;
    const threadId = existing?.id ?? randomUUID();
    const { claimed, budget, options } = await this.admitted(user, assistant, dto, () => this.runs.begin({
      threadId,
      userId,
      kind: 'chat',
      newThread: existing ? undefined : { assistantId: assistant.id, title: null },
      assistantId: existing && assistant.id !== null && existing.assistantId !== assistant.id ? assistant.id : undefined,
      userMessage: { content: dto.message, fileIds: dto.fileIds ?? [], replyToId: dto.replyToId ?? null },
    }));
    const { run, userMessage, threadMessageCount } = claimed;
    const message = userMessage!;
    events.messageCreated(toMessageResponse(message));
    const question: HistoryMessage = { id: message.id, seq: message.seq, role: 'user', content: message.content, fileIds: message.fileIds, replyToId: message.replyToId };
    // The history read before the claim is the thread as the claim found it unless something changed in
    // between: a run was answering then (its reply may have landed since), or the message count moved.
    const current = !scope.busy && existing !== null && message.parentId === existing.activeLeafId && threadMessageCount === existing.messageCount + 1;
    const history = existing === null ? [question] : current && scope.history ? [...scope.history, question] : undefined;
    const thread: TurnThread = existing ?? {
      id: threadId,
      userId,
      assistantId: assistant.id,
      title: null,
      summary: null,
      summaryThroughSeq: null,
      messageCount: 0,
      activeLeafId: null,
      treeSize: 0,
    };
    const turn = {
      user,
      thread,
      assistant,
      run,
      kind: 'chat' as const,
      replyToId: message.id,
      parentId: message.id,
      options,
      titleFrom: thread.title === null && (existing?.messageCount ?? 0) === 0 ? dto.message : null,
      history,
      budget,
    };
    return this.executor.execute(turn, message.id, events, clientGone);
  }

  /** POST /api/threads/:id/run: the assistant answers the active branch as it stands (the reply goes under its leaf). */
  async run(userId: string, threadId: string, options: TurnOptionsDto, events: TurnEvents, clientGone: AbortSignal): Promise<TurnResult> {
    this.shutdown.assertAccepting();
    const [, { user, thread, assistant: chosen }, leaf] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.loadForThread(userId, threadId),
      this.branches.node(userId, threadId, null),
    );
    if (!leaf) throw new DomainError('bad_request', 'The thread has no messages to answer; add one first');
    this.branchLimits.assertRoom(thread);
    const assistant = answererOf(chosen, this.plainChat);
    this.llm.assertKeyUsable(user);
    const { claimed, budget, options: allowed } = await this.admitted(user, assistant, options, () => this.runs.begin({ threadId, userId, kind: 'run' }));
    events.runStarted?.(claimed.run);
    const replyToId = leaf.role === 'user' ? leaf.id : leaf.parentRole === 'user' ? leaf.parentId : null;
    const turn = { user, thread, assistant, run: claimed.run, kind: 'run' as const, replyToId, parentId: leaf.id, options: allowed, titleFrom: null, budget };
    return this.executor.execute(turn, null, events, clientGone);
  }

  /**
   * POST /api/threads/:id/regenerate: a new version of the active branch's
   * last reply, as its sibling (or, when the branch ends with a user message,
   * its first reply). Every version is kept; the new one becomes the active
   * leaf once it has text.
   */
  async regenerate(
    userId: string,
    threadId: string,
    options: TurnOptionsDto,
    events: TurnEvents,
    clientGone: AbortSignal,
  ): Promise<TurnResult> {
    this.shutdown.assertAccepting();
    const [, { user, thread: scoped, assistant: chosen }, leaf] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.loadForThread(userId, threadId),
      this.branches.node(userId, threadId, null),
    );
    const point = leaf && this.branchLimits.regenerationPoint(leaf);
    if (!leaf || !point) throw new DomainError('nothing_to_regenerate', 'There is no message to answer again');
    if (leaf.role === 'assistant') this.branchLimits.assertVersions(leaf.versions);
    this.branchLimits.assertRoom(scoped);
    const assistant = answererOf(chosen, this.plainChat);
    this.llm.assertKeyUsable(user);
    const thread = await this.threads.summaryUpTo(scoped, point.seq);
    const { claimed, budget, options: allowed } = await this.admitted(user, assistant, options, () => this.runs.begin({ threadId, userId, kind: 'regenerate' }));
    const replyToId = point.role === 'user' ? point.id : leaf.replyToId;
    const turn = { user, thread, assistant, run: claimed.run, kind: 'regenerate' as const, replyToId, parentId: point.id, options: allowed, titleFrom: null, budget };
    return this.executor.execute(turn, null, events, clientGone);
  }

  /**
   * POST /api/threads/:id/messages/:messageId/edit: a new version of a user
   * message, as its sibling (the original and what follows it are kept on
   * their branch), and the reply to it; the new version's branch becomes the
   * active one. Its files are the original's unless the request names others.
   */
  async edit(userId: string, threadId: string, messageId: string, dto: EditMessageDto, events: TurnEvents, clientGone: AbortSignal): Promise<TurnResult> {
    this.shutdown.assertAccepting();
    this.threads.assertInputLength('content', dto.content);
    const [, { user, thread: scoped, assistant: chosen }, target] = await inOrder(
      this.consumeTurn(userId),
      this.scopes.loadForThread(userId, threadId),
      this.branches.node(userId, threadId, messageId),
    );
    if (!target) throw notFound('Message');
    if (target.role !== 'user') {
      throw new DomainError('bad_request', 'Only a user message can be edited; regenerate a reply instead', [{ field: 'messageId', message: 'Not a user message' }]);
    }
    const fileIds = dto.fileIds ?? target.fileIds;
    await this.threads.checkReferences(userId, threadId, fileIds);
    this.branchLimits.assertVersions(target.versions);
    this.branchLimits.assertRoom(scoped, 2);
    const assistant = answererOf(chosen, this.plainChat);
    this.llm.assertKeyUsable(user);
    const thread = await this.threads.summaryUpTo(scoped, target.parentSeq ?? 0);
    const { claimed, budget, options } = await this.admitted(user, assistant, dto, () =>
      this.runs.begin({
        threadId,
        userId,
        kind: 'edit',
        userMessage: { content: dto.content, fileIds, replyToId: target.replyToId, parentId: target.parentId },
      }),
    );
    const { run, userMessage } = claimed;
    const message = userMessage!;
    events.messageCreated(toMessageResponse(message));
    const turn = { user, thread, assistant, run, kind: 'edit' as const, replyToId: message.id, parentId: message.id, options, titleFrom: null, budget };
    return this.executor.execute(turn, message.id, events, clientGone);
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

  /**
   * Admits the turn under the budgets and the shared key's policy, then
   * claims it (`begin`, which stores the run and any user message); a claim
   * that fails gives the reservation back. The options are the request's,
   * with the output cap the shared key allows.
   */
  private async admitted<T, O extends TurnOptionsDto>(
    user: TurnUser,
    assistant: TurnAssistant,
    options: O,
    begin: () => Promise<T>,
  ): Promise<{ claimed: T; budget: AdmittedTurn; options: O }> {
    const ask = { user, model: options.model ?? assistant.model, tools: assistant.tools.map((tool) => tool.type), maxOutputTokens: options.maxOutputTokens };
    const budget = await this.admission.admit(ask);
    try {
      const claimed = await begin();
      return { claimed, budget, options: budget.maxOutputTokens === options.maxOutputTokens ? options : { ...options, maxOutputTokens: budget.maxOutputTokens } };
    } catch (error) {
      await this.admission.release(user.id, budget).catch(() => undefined);
      throw error;
    }
  }

  private consumeTurn(userId: string): Promise<void> {
    return this.limiter.consume(this.chatRule, userId, 'Too many messages in a short time; wait a moment');
  }
}
