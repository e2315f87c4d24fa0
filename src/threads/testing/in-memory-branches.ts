import type { Message, MessageRole } from '../message.entity.js';
import type { BranchPageRow, BranchRepository, TreeNode } from '../branch.repository.js';
import type { HistoryRow, MessageCursor } from '../messages.repository.js';
import type { ConversationStore, PublicOf } from './in-memory-conversations.js';

const CONTEXT = (message: Message) => message.status !== 'streaming' && message.content !== '';

/** The tree reads over the in-memory messages: paths walked up through parentId. */
export class InMemoryBranches implements PublicOf<BranchRepository> {
  constructor(private readonly store: ConversationStore) {}

  private of(userId: string, threadId: string): Message[] {
    return this.store.messages.filter((message) => message.userId === userId && message.threadId === threadId).sort((a, b) => a.seq - b.seq);
  }

  /** The active branch, oldest first (none while the thread is in the trash). */
  private active(userId: string, threadId: string): Message[] {
    const thread = this.store.threads.get(threadId);
    if (!thread || thread.userId !== userId || thread.deletedAt !== null) return [];
    return this.store.pathTo(userId, threadId, thread.activeLeafId);
  }

  private row(message: Message): BranchPageRow {
    const siblings = this.of(message.userId, message.threadId).filter((sibling) => sibling.parentId === message.parentId);
    return {
      id: message.id,
      thread_id: message.threadId,
      role: message.role,
      content: message.content,
      status: message.status,
      status_reason: message.statusReason,
      reply_to_id: message.replyToId,
      file_ids: message.fileIds,
      citations: message.citations,
      assistant_id: message.assistantId,
      model: message.model,
      input_tokens: message.inputTokens,
      output_tokens: message.outputTokens,
      cost: message.cost === null ? null : String(message.cost),
      parent_id: message.parentId,
      created_at: message.createdAt.toISOString(),
      sibling_count: siblings.length,
      sibling_index: siblings.filter((sibling) => sibling.seq <= message.seq).length,
      sibling_ids: [...siblings].sort((a, b) => a.seq - b.seq).map((sibling) => sibling.id),
    };
  }

  async page(userId: string, threadId: string, cursor: MessageCursor): Promise<BranchPageRow[]> {
    if (cursor.anchorId === null) return this.active(userId, threadId).reverse().slice(0, cursor.limit).map((message) => this.row(message));
    if (cursor.direction === 'before') {
      const path = this.store.pathTo(userId, threadId, cursor.anchorId);
      if (this.active(userId, threadId).length === 0) return [];
      return path.slice(0, -1).reverse().slice(0, cursor.limit).map((message) => this.row(message));
    }
    const branch = this.active(userId, threadId);
    const at = branch.findIndex((message) => message.id === cursor.anchorId);
    return at < 0 ? [] : branch.slice(at + 1, at + 1 + cursor.limit).map((message) => this.row(message));
  }

  async conversationAfter(userId: string, threadId: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.active(userId, threadId)
      .filter((message) => message.seq > afterSeq)
      .slice(0, limit)
      .map((message) => ({ ...message }));
  }

  async history(userId: string, threadId: string, fromId: string, limit: number, afterSeq: number | null = null): Promise<HistoryRow[]> {
    return this.store
      .pathTo(userId, threadId, fromId)
      .reverse()
      .slice(0, limit)
      .filter((message) => CONTEXT(message) && (afterSeq === null || message.seq > afterSeq))
      .map((message) => ({ id: message.id, seq: String(message.seq), role: message.role, content: message.content, file_ids: message.fileIds, reply_to_id: message.replyToId }));
  }

  async windowStart(userId: string, threadId: string, window: number): Promise<string | undefined> {
    const found = this.active(userId, threadId).reverse()[window - 1];
    return found && String(found.seq);
  }

  async between(userId: string, threadId: string, fromSeq: string, toSeq: string, limit: number): Promise<Array<{ seq: string; role: MessageRole; content: string }>> {
    return this.active(userId, threadId)
      .filter((message) => message.seq > Number(fromSeq) && message.seq < Number(toSeq) && message.content !== '')
      .reverse()
      .slice(0, limit)
      .map((message) => ({ seq: String(message.seq), role: message.role, content: message.content }));
  }

  async node(userId: string, threadId: string, id: string | null): Promise<TreeNode | undefined> {
    const all = this.of(userId, threadId);
    const wanted = id ?? this.store.threads.get(threadId)?.activeLeafId ?? null;
    const message = all.find((candidate) => candidate.id === wanted);
    if (!message) return undefined;
    const parent = all.find((candidate) => candidate.id === message.parentId);
    return {
      id: message.id,
      seq: message.seq,
      role: message.role,
      parentId: message.parentId,
      parentRole: parent?.role ?? null,
      parentSeq: parent?.seq ?? null,
      replyToId: message.replyToId,
      fileIds: message.fileIds,
      versions: all.filter((candidate) => candidate.parentId === message.parentId).length,
      children: all.filter((candidate) => candidate.parentId === message.id).length,
    };
  }

  async latestLeafBelow(userId: string, threadId: string, id: string): Promise<string | undefined> {
    const all = this.of(userId, threadId);
    let current = all.find((message) => message.id === id);
    if (!current) return undefined;
    for (;;) {
      const below = all.filter((message) => message.parentId === current!.id).at(-1);
      if (!below) return current.id;
      current = below;
    }
  }

  async copyPath(userId: string, threadId: string, id: string, toThreadId: string): Promise<{ id: string; depth: number; count: number } | undefined> {
    const path = this.store.pathTo(userId, threadId, id);
    if (path.length === 0) return undefined;
    const ids = new Map(path.map((message) => [message.id, crypto.randomUUID()]));
    for (const message of path) {
      this.store.messages.push({
        ...message,
        id: ids.get(message.id)!,
        seq: this.store.nextSeq(),
        threadId: toThreadId,
        parentId: message.parentId === null ? null : (ids.get(message.parentId) ?? null),
        replyToId: message.replyToId === null ? null : (ids.get(message.replyToId) ?? null),
        inputTokens: null,
        outputTokens: null,
        cost: null,
        upstreamResponseId: null,
      });
    }
    return { id: ids.get(id)!, depth: path.length, count: path.length };
  }
}
