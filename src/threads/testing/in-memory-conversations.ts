import { randomUUID } from 'node:crypto';
import type { SqlExecutor, Transaction, Transactions } from '../../database/sql.js';
import type { Run } from '../../runs/run.entity.js';
import type { Message } from '../message.entity.js';
import type { Thread } from '../thread.entity.js';
import type { ThreadResponseRow } from '../thread.mapper.js';
import type { NewThread, ThreadActivity, ThreadChanges, ThreadListFilter, ThreadsRepository } from '../threads.repository.js';

/** A class's public surface: what a fake must implement (private members aside), checked by the compiler. */
export type PublicOf<T> = { [K in keyof T]: T[K] };

/**
 * Hands a fake to a constructor that takes the real class. The fake must
 * implement the class's whole public surface, so a repository that changes
 * breaks its fake at compile time.
 */
export function asReal<T>(fake: PublicOf<T>): T {
  return fake as unknown as T;
}

/** Threads, messages and runs in memory, shared by the fakes below. */
export class ConversationStore {
  threads = new Map<string, Thread>();
  messages: Message[] = [];
  runs: Run[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  /** The path from the thread's first message down to `leafId`, oldest first (empty when it is not the user's thread's). */
  pathTo(userId: string, threadId: string, leafId: string | null): Message[] {
    const path: Message[] = [];
    let id = leafId;
    while (id !== null) {
      const message = this.messages.find((candidate) => candidate.id === id && candidate.threadId === threadId && candidate.userId === userId);
      if (!message) break;
      path.unshift(message);
      id = message.parentId;
    }
    return path;
  }

  snapshot(): () => void {
    const threads = new Map([...this.threads].map(([id, thread]) => [id, { ...thread }]));
    const messages = this.messages.map((message) => ({ ...message }));
    const runs = this.runs.map((run) => ({ ...run }));
    return () => {
      this.threads = threads;
      this.messages = messages;
      this.runs = runs;
    };
  }
}

/** Statements are the repositories' business: a service that queries a transaction itself fails. */
const NO_STATEMENTS: SqlExecutor = {
  rows: () => Promise.reject(new Error('services do not run statements')),
  row: () => Promise.reject(new Error('services do not run statements')),
  execute: () => Promise.reject(new Error('services do not run statements')),
  prepared: () => Promise.reject(new Error('services do not run statements')),
};

/** Transactions over the store: what the work changed is undone when it throws. */
export class InMemoryTransactions implements PublicOf<Transactions> {
  constructor(private readonly store: ConversationStore) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const restore = this.store.snapshot();
    try {
      return await work(NO_STATEMENTS as unknown as Transaction);
    } catch (error) {
      restore();
      throw error;
    }
  }
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export class InMemoryThreads implements PublicOf<ThreadsRepository> {
  constructor(private readonly store: ConversationStore) {}

  async findOwned(userId: string, id: string): Promise<Thread | undefined> {
    const thread = this.store.threads.get(id);
    return thread && thread.userId === userId && thread.deletedAt === null ? { ...thread } : undefined;
  }

  async insert(userId: string, fields: NewThread): Promise<Thread> {
    const now = new Date();
    const thread: Thread = {
      id: fields.id ?? randomUUID(),
      userId,
      assistantId: fields.assistantId,
      title: fields.title,
      isArchived: false,
      metadata: fields.metadata ?? {},
      summary: null,
      summaryMessageCount: 0,
      summaryThroughSeq: null,
      summaryUpdatedAt: null,
      messageCount: 0,
      activeLeafId: null,
      treeSize: 0,
      inputTokens: 0,
      outputTokens: 0,
      totalCost: 0,
      lastMessageAt: null,
      lastActivityAt: now,
      deletedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.store.threads.set(thread.id, thread);
    return { ...thread };
  }

  async list(userId: string, filter: ThreadListFilter): Promise<{ rows: ThreadResponseRow[]; total: number }> {
    const matching = [...this.store.threads.values()]
      .filter((thread) => thread.userId === userId && (thread.deletedAt !== null) === filter.trashed)
      .filter((thread) => filter.archived === undefined || thread.isArchived === filter.archived)
      .filter((thread) => !filter.assistantId || thread.assistantId === filter.assistantId)
      .filter((thread) => !filter.search || (thread.title ?? '').toLowerCase().includes(filter.search.toLowerCase()))
      .sort((a, b) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime());
    const rows = matching.slice(filter.offset, filter.offset + filter.limit).map((thread) => ({
      id: thread.id,
      title: thread.title,
      assistant_id: thread.assistantId,
      is_archived: thread.isArchived,
      metadata: thread.metadata,
      summary: thread.summary,
      message_count: thread.messageCount,
      input_tokens: String(thread.inputTokens),
      output_tokens: String(thread.outputTokens),
      total_cost: String(thread.totalCost),
      last_message_at: iso(thread.lastMessageAt),
      last_activity_at: thread.lastActivityAt.toISOString(),
      deleted_at: iso(thread.deletedAt),
      created_at: thread.createdAt.toISOString(),
      updated_at: thread.updatedAt.toISOString(),
    }));
    return { rows, total: matching.length };
  }

  async update(userId: string, id: string, changes: ThreadChanges): Promise<void> {
    const thread = this.store.threads.get(id);
    if (thread?.userId === userId) Object.assign(thread, changes, { updatedAt: new Date() });
  }

  async delete(userId: string, id: string): Promise<boolean> {
    if (this.store.threads.get(id)?.userId !== userId) return false;
    this.store.threads.delete(id);
    this.store.messages = this.store.messages.filter((message) => message.threadId !== id);
    this.store.runs = this.store.runs.filter((run) => run.threadId !== id);
    return true;
  }

  async trash(userId: string, id: string): Promise<boolean> {
    const thread = this.store.threads.get(id);
    if (thread?.userId !== userId || thread.deletedAt !== null) return false;
    thread.deletedAt = new Date();
    return true;
  }

  async restore(userId: string, id: string): Promise<Thread | undefined> {
    const thread = this.store.threads.get(id);
    if (thread?.userId !== userId) return undefined;
    thread.deletedAt = null;
    return { ...thread };
  }

  async trashedFor(retentionDays: number, limit: number): Promise<Array<{ userId: string; id: string }>> {
    const before = Date.now() - retentionDays * 86_400_000;
    return [...this.store.threads.values()]
      .filter((thread) => thread.deletedAt !== null && thread.deletedAt.getTime() <= before)
      .slice(0, limit)
      .map((thread) => ({ userId: thread.userId, id: thread.id }));
  }

  async lock(userId: string, id: string, _db: SqlExecutor): Promise<boolean> {
    return this.store.threads.get(id)?.userId === userId;
  }

  async isAnswering(userId: string, id: string): Promise<boolean> {
    return this.store.runs.some((run) => run.threadId === id && run.userId === userId && run.status === 'running');
  }

  async recordActivity(userId: string, id: string, activity: ThreadActivity): Promise<number | undefined> {
    const thread = this.store.threads.get(id);
    if (!thread || thread.userId !== userId) return undefined;
    const now = new Date();
    const leaf = activity.leaf && 'id' in activity.leaf ? activity.leaf : undefined;
    thread.messageCount = leaf ? leaf.depth : thread.messageCount + activity.messages;
    thread.treeSize += activity.messages;
    if (leaf) thread.activeLeafId = leaf.id;
    thread.inputTokens += activity.inputTokens ?? 0;
    thread.outputTokens += activity.outputTokens ?? 0;
    thread.totalCost += activity.cost ?? 0;
    if (activity.messageWritten) thread.lastMessageAt = now;
    thread.lastActivityAt = now;
    thread.updatedAt = now;
    if (activity.assistantId) thread.assistantId = activity.assistantId;
    return thread.messageCount;
  }

  async moveToLeaf(userId: string, id: string, leafId: string | null): Promise<{ messageCount: number; summaryDropped: boolean } | undefined> {
    const thread = this.store.threads.get(id);
    if (!thread || thread.userId !== userId) return undefined;
    const branch = this.store.pathTo(userId, id, leafId ?? thread.activeLeafId);
    if (branch.length === 0) return undefined;
    const onBranch = thread.summaryThroughSeq === null || branch.some((message) => message.seq === thread.summaryThroughSeq);
    Object.assign(thread, {
      activeLeafId: branch[branch.length - 1].id,
      messageCount: branch.length,
      inputTokens: branch.reduce((sum, message) => sum + (message.inputTokens ?? 0), 0),
      outputTokens: branch.reduce((sum, message) => sum + (message.outputTokens ?? 0), 0),
      totalCost: branch.reduce((sum, message) => sum + (message.cost ?? 0), 0),
    });
    if (!onBranch) await this.dropSummary(userId, id);
    return { messageCount: branch.length, summaryDropped: !onBranch };
  }

  async dropSummary(userId: string, id: string): Promise<void> {
    const thread = this.store.threads.get(id);
    if (thread?.userId === userId) Object.assign(thread, { summary: null, summaryThroughSeq: null, summaryMessageCount: 0, summaryUpdatedAt: null });
  }

  async setTitleIfNone(userId: string, id: string, title: string): Promise<string | null> {
    const thread = this.store.threads.get(id);
    if (!thread || thread.userId !== userId || thread.title !== null) return null;
    thread.title = title;
    return title;
  }

  async summaryState(userId: string, id: string) {
    const thread = await this.findOwned(userId, id);
    return (
      thread && {
        summary: thread.summary,
        summaryThroughSeq: thread.summaryThroughSeq === null ? null : String(thread.summaryThroughSeq),
        messageCount: thread.messageCount,
        summaryMessageCount: thread.summaryMessageCount,
      }
    );
  }

  async saveSummary(userId: string, id: string, summary: string, throughSeq: string): Promise<void> {
    const thread = this.store.threads.get(id);
    if (!thread || thread.userId !== userId) return;
    if (thread.summaryThroughSeq !== null && thread.summaryThroughSeq >= Number(throughSeq)) return;
    Object.assign(thread, { summary, summaryThroughSeq: Number(throughSeq), summaryMessageCount: thread.messageCount });
  }
}
