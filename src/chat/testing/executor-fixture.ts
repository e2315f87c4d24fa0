import { unitConfig } from '../../config/testing/unit-config.js';
import { randomUUID } from 'node:crypto';
import type { AppLogger } from '../../common/logging/logger.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { DatabaseNotifications } from '../../database/notifications.js';
import type { Transactions } from '../../database/sql.js';
import type { FilesService } from '../../files/files.service.js';
import type { Completion, LlmEvent, LlmRequest, StreamOptions } from '../../llm/llm-types.js';
import type { LlmService } from '../../llm/llm.service.js';
import { LlmCallAborted } from '../../llm/responses-stream.js';
import type { UserLlm } from '../../llm/user-llm.js';
import type { MetricsService } from '../../metrics/metrics.service.js';
import { RunHeartbeats } from '../../runs/run-heartbeat.js';
import { RunRegistry } from '../../runs/run-registry.js';
import { InMemoryTurnStart } from '../../runs/testing/in-memory-turn-start.js';
import type { TurnStartRepository } from '../../runs/turn-start.repository.js';
import type { RunsRepository } from '../../runs/runs.repository.js';
import { RunsService } from '../../runs/runs.service.js';
import { InMemoryRuns } from '../../runs/testing/in-memory-runs.js';
import type { MessagesRepository } from '../../threads/messages.repository.js';
import { asReal, ConversationStore, InMemoryThreads, InMemoryTransactions, type PublicOf } from '../../threads/testing/in-memory-conversations.js';
import type { BranchRepository } from '../../threads/branch.repository.js';
import { InMemoryBranches } from '../../threads/testing/in-memory-branches.js';
import { InMemoryMessages } from '../../threads/testing/in-memory-messages.js';
import type { ThreadsRepository } from '../../threads/threads.repository.js';
import type { ModelCallsRepository } from '../../usage/model-calls.repository.js';
import type { ChatFilesRepository, CitedFileRow } from '../chat-files.repository.js';
import { ContextService } from '../context.service.js';
import type { ImageCopies } from '../image-copies.js';
import { MeteredCalls } from '../metered-calls.js';
import { UnlimitedBudgets } from '../../budgets/testing/unlimited-budgets.js';
import { ReplyRelay } from '../reply-relay.js';
import { ReplyFlushes } from '../reply-flusher.js';
import { ReplyStore } from '../reply-store.js';
import type { ReplyStreamRepository } from '../reply-stream.repository.js';
import { SummariesService } from '../summaries.service.js';
import { TitlesService } from '../titles.service.js';
import { TurnExecutor } from '../turn-executor.js';
import type { Turn, TurnEvents } from '../turn.js';

/** One upstream reply: batches of events, or a failure before any; `hang` waits for the turn to be stopped. */
export type Script = { batches: LlmEvent[][]; hang?: boolean; delayMs?: number } | { fail: DomainError };

/** A model that answers each stream call with the next script. */
export class ScriptedLlm {
  readonly keyRef = 'k1:1';
  readonly requests: LlmRequest[] = [];

  constructor(private readonly scripts: Script[]) {}

  async *stream(request: LlmRequest, options: StreamOptions): AsyncGenerator<LlmEvent[]> {
    this.requests.push(request);
    const script = this.scripts.shift() ?? { fail: new DomainError('upstream_error', 'no script left') };
    if ('fail' in script) throw script.fail;
    for (const batch of script.batches) {
      if (script.delayMs) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
      yield batch;
    }
    if (script.hang) {
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
      throw new LlmCallAborted();
    }
  }

  async completion(request: LlmRequest): Promise<Completion> {
    return { text: 'Salt in the sea', model: request.model, usage: null };
  }
}

class NoFiles implements PublicOf<ChatFilesRepository> {
  byUpstreamIds = async (): Promise<CitedFileRow[]> => [];
  forgetCopies = async () => undefined;
  recordCopyIfUnchanged = async () => true;
  copyOf = async () => undefined;
  recordCopy = async () => undefined;
}

/** Collects what a turn tells its client. */
export class CollectedEvents implements TurnEvents {
  readonly log: string[] = [];
  messageCreated = () => void this.log.push('message_created');
  tokens = (deltas: string[]) => void this.log.push(`token:${deltas.join('')}`);
  completed = () => void this.log.push('message_completed');
  title = (title: string) => void this.log.push(`title:${title}`);
  budgetWarning = (warning: { usedPercent: number }) => void this.log.push(`budget_warning:${warning.usedPercent}`);
  failed = (error: DomainError) => void this.log.push(`error:${error.code}`);
}

export const USER = 'a0000000-0000-4000-8000-000000000001';
const ASSISTANT = { id: 'c0000000-0000-4000-8000-000000000003', name: 'Helper', isActive: true, model: 'gpt-4o', instructions: null, temperature: null, tools: [], vectorStoreId: null };

/** The real executor, relay and store over in-memory repositories and a scripted model. */
export function executorFixture(scripts: Script[], env: Record<string, string> = {}) {
  const config = unitConfig({
    OPENAI_MAX_RETRY_WAIT_MS: '3000',
    TITLE_WAIT_MS: '1000',
    ...env,
  });
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as AppLogger;
  const store = new ConversationStore();
  const fakeThreads = new InMemoryThreads(store);
  const threads = asReal<ThreadsRepository>(fakeThreads);
  const fakeMessages = new InMemoryMessages(store);
  const messages = asReal<MessagesRepository>(fakeMessages);
  const runsRepository = new InMemoryRuns(store);
  const transactions = asReal<Transactions>(new InMemoryTransactions(store));
  const registry = new RunRegistry({ subscribe: () => undefined } as unknown as DatabaseNotifications);
  const turnStart = asReal<TurnStartRepository>(new InMemoryTurnStart(runsRepository, fakeThreads, fakeMessages));
  const runs = new RunsService(asReal<RunsRepository>(runsRepository), turnStart, messages, transactions, registry, config);
  const llm = new ScriptedLlm(scripts);
  const upstreamFailures: string[] = [];
  const metrics = { runFinished: () => undefined, tokensRelayed: () => undefined, upstreamFailed: (code: string) => void upstreamFailures.push(code) };
  const files = { findExisting: async () => [] } as unknown as FilesService;
  const calls = new MeteredCalls({ record: async () => true } as unknown as ModelCallsRepository, new UnlimitedBudgets().real, config, logger);
  const branches = asReal<BranchRepository>(new InMemoryBranches(store));
  const summaries = new SummariesService(threads, branches, calls, config, logger);
  const context = new ContextService(messages, branches, files, {} as ImageCopies, summaries, config, logger);
  const replyStore = new ReplyStore(transactions, messages, threads, asReal<ChatFilesRepository>(new NoFiles()), runs, new UnlimitedBudgets().real, config, logger);
  const announced: string[] = [];
  const replies = { announce: async (runId: string) => void announced.push(runId) } as unknown as ReplyStreamRepository;
  const executor = new TurnExecutor(
    { forUser: () => llm as unknown as UserLlm } as unknown as LlmService,
    registry,
    new RunHeartbeats(runs, config, logger),
    context,
    new ReplyRelay(metrics as unknown as MetricsService, config, logger),
    replyStore,
    new ReplyFlushes(replyStore, replies, config, logger, { subscribe: () => undefined } as unknown as DatabaseNotifications),
    new TitlesService(threads, calls, config, logger),
    summaries,
    metrics as unknown as MetricsService,
    config,
    logger,
  );

  /** Begins a chat turn on a new thread, as the entry points do. */
  async function chatTurn(message: string): Promise<Turn> {
    const threadId = randomUUID();
    const { run, userMessage } = await runs.begin({
      threadId,
      userId: USER,
      kind: 'chat',
      newThread: { assistantId: ASSISTANT.id, title: null },
      userMessage: { content: message, fileIds: [], replyToId: null },
    });
    return {
      user: { id: USER, apiKeyCiphertext: null, apiKeyKeyId: null, apiKeyVersion: 1, defaultAssistantId: ASSISTANT.id, budgetOverride: null },
      thread: { id: threadId, userId: USER, assistantId: ASSISTANT.id, title: null, summary: null, summaryThroughSeq: null, messageCount: 0, activeLeafId: null, treeSize: 0 },
      assistant: ASSISTANT,
      run,
      kind: 'chat',
      replyToId: userMessage!.id,
      parentId: userMessage!.id,
      options: {},
      titleFrom: message,
    };
  }

  return { executor, store, runs, registry, llm, chatTurn, writes: fakeMessages.writes, upstreamFailures, announced };
}
