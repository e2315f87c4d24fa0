import { unitConfig } from '../../config/testing/unit-config.js';
import type { AssistantsService } from '../../assistants/assistants.service.js';
import type { UsersService } from '../../auth/users.service.js';
import { ShutdownState } from '../../common/lifecycle/shutdown-state.js';
import type { RateLimiterService } from '../../common/rate-limit/rate-limiter.service.js';
import type { DatabaseNotifications } from '../../database/notifications.js';
import type { Transactions } from '../../database/sql.js';
import type { FilesService } from '../../files/files.service.js';
import type { LlmService } from '../../llm/llm.service.js';
import { RunRegistry } from '../../runs/run-registry.js';
import { InMemoryTurnStart } from '../../runs/testing/in-memory-turn-start.js';
import type { TurnStartRepository } from '../../runs/turn-start.repository.js';
import type { RunsRepository } from '../../runs/runs.repository.js';
import { RunsService } from '../../runs/runs.service.js';
import { InMemoryRuns } from '../../runs/testing/in-memory-runs.js';
import type { MessagesRepository } from '../../threads/messages.repository.js';
import { asReal, ConversationStore, InMemoryThreads, InMemoryTransactions, type PublicOf } from '../../threads/testing/in-memory-conversations.js';
import { BranchLimits } from '../../threads/branch-limits.js';
import type { BranchRepository } from '../../threads/branch.repository.js';
import { InMemoryBranches } from '../../threads/testing/in-memory-branches.js';
import { InMemoryMessages } from '../../threads/testing/in-memory-messages.js';
import type { ThreadsRepository } from '../../threads/threads.repository.js';
import { ThreadsService } from '../../threads/threads.service.js';
import { UnlimitedBudgets } from '../../budgets/testing/unlimited-budgets.js';
import { ChatService } from '../chat.service.js';
import type { ContextService } from '../context.service.js';
import type { TurnExecutor } from '../turn-executor.js';
import type { TurnAssistant, TurnScope, TurnScopes, TurnUser } from '../turn-scopes.repository.js';
import type { Turn, TurnEvents, TurnResult } from '../turn.js';

/** Turn scopes read from the in-memory store (the real one reads them in one statement). */
export class InMemoryTurnScopes implements PublicOf<TurnScopes> {
  readonly users = new Map<string, TurnUser>();
  readonly assistants = new Map<string, TurnAssistant & { userId: string }>();

  constructor(
    private readonly store: ConversationStore,
    private readonly branches: InMemoryBranches,
  ) {}

  async loadForThread(userId: string, threadId: string) {
    const scope = await this.load(userId, threadId, null);
    if (!scope.thread) throw new Error('unreachable: load throws for a missing thread');
    return { ...scope, thread: scope.thread };
  }

  async load(userId: string, threadId: string | null, assistantId: string | null, historyLimit = 0, afterSummary = false): Promise<TurnScope> {
    const user = this.users.get(userId)!;
    const stored = threadId === null ? undefined : this.store.threads.get(threadId);
    const thread = stored?.userId === userId ? stored : undefined;
    if (threadId && !thread) throw Object.assign(new Error('Thread not found'), { code: 'not_found' });
    const wanted = assistantId ?? thread?.assistantId ?? user.defaultAssistantId;
    const assistant = wanted ? this.assistants.get(wanted) : null;
    if (assistant === undefined || (assistant && assistant.userId !== userId)) throw Object.assign(new Error('Assistant not found'), { code: 'not_found' });
    const leafId = thread?.activeLeafId ?? null;
    const afterSeq = afterSummary ? (thread?.summaryThroughSeq ?? 0) : null;
    const history = thread && historyLimit > 0 ? (leafId ? (await this.branches.history(userId, thread.id, leafId, historyLimit, afterSeq)).reverse() : []) : undefined;
    return {
      user,
      thread: thread
        ? {
            id: thread.id,
            userId,
            assistantId: thread.assistantId,
            title: thread.title,
            summary: thread.summary,
            summaryThroughSeq: thread.summaryThroughSeq,
            messageCount: thread.messageCount,
            activeLeafId: thread.activeLeafId,
            treeSize: thread.treeSize,
          }
        : null,
      assistant,
      busy: thread ? this.store.runs.some((run) => run.threadId === thread.id && run.status === 'running') : false,
      history: history?.map((row) => ({ id: row.id, seq: Number(row.seq), role: row.role, content: row.content, fileIds: row.file_ids, replyToId: row.reply_to_id })),
    };
  }
}

/** An executor that records the turns handed to it instead of running them. */
export class RecordingExecutor implements PublicOf<TurnExecutor> {
  readonly turns: Turn[] = [];

  async execute(turn: Turn, userMessageId: string | null, _events: TurnEvents, _clientGone: AbortSignal): Promise<TurnResult> {
    this.turns.push(turn);
    return { threadId: turn.thread.id, userMessageId, reply: null, title: null, error: null };
  }
}

export const IGNORED_EVENTS: TurnEvents = {
  messageCreated: () => undefined,
  tokens: () => undefined,
  completed: () => undefined,
  title: () => undefined,
  budgetWarning: () => undefined,
  failed: () => undefined,
};

/** The chat entry points over in-memory repositories, with what a test needs to look at. */
export function chatFixture(env: Record<string, string> = {}) {
  const config = unitConfig(env);
  const store = new ConversationStore();
  const threadsRepository = new InMemoryThreads(store);
  const messages = new InMemoryMessages(store);
  const branches = new InMemoryBranches(store);
  const branchLimits = new BranchLimits(config);
  const runsRepository = new InMemoryRuns(store);
  const transactions = asReal<Transactions>(new InMemoryTransactions(store));
  const files = { findOwnedMany: async () => [], findExisting: async () => [] } as unknown as FilesService;
  const threads = new ThreadsService(
    asReal<ThreadsRepository>(threadsRepository),
    asReal<MessagesRepository>(messages),
    asReal<BranchRepository>(branches),
    branchLimits,
    transactions,
    {} as AssistantsService,
    {} as UsersService,
    files,
    config,
  );
  const registry = new RunRegistry({ subscribe: () => undefined } as unknown as DatabaseNotifications);
  const runs = new RunsService(
    asReal<RunsRepository>(runsRepository),
    asReal<TurnStartRepository>(new InMemoryTurnStart(runsRepository, threadsRepository, messages)),
    asReal<MessagesRepository>(messages),
    transactions,
    registry,
    config,
  );
  const scopes = new InMemoryTurnScopes(store, branches);
  const executor = new RecordingExecutor();
  const shutdown = new ShutdownState();
  const turnsTaken: string[] = [];
  const limiter = { consume: async (_rule: unknown, userId: string) => void turnsTaken.push(userId) } as unknown as RateLimiterService;
  const llm = { assertKeyUsable: () => undefined } as unknown as LlmService;
  const context = { historyLimit: 20, sendsSummary: false } as ContextService;
  const chat = new ChatService(threads, asReal<BranchRepository>(branches), branchLimits, llm, runs, asReal<TurnScopes>(scopes), context, asReal<TurnExecutor>(executor), limiter, shutdown, new UnlimitedBudgets().real, config);
  return { chat, store, messages, runsRepository, scopes, executor, shutdown, registry, turnsTaken, threads: threadsRepository };
}
