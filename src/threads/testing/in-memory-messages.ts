import type { MessageRole } from '../message.entity.js';
import type { Message } from '../message.entity.js';
import type { HistoryRow, MessageCursor, MessagesRepository, MessageWrite } from '../messages.repository.js';
import type { MessageResponseRow } from '../thread.mapper.js';
import type { ConversationStore, PublicOf } from './in-memory-conversations.js';

const CONTEXT = (message: Message) => message.status !== 'superseded' && message.status !== 'streaming' && message.content !== '';

export class InMemoryMessages implements PublicOf<MessagesRepository> {
  /** Every call of write(), in order: the one place message rows are written. */
  readonly writes: MessageWrite[] = [];

  constructor(private readonly store: ConversationStore) {}

  private of(userId: string, threadId: string): Message[] {
    return this.store.messages.filter((message) => message.userId === userId && message.threadId === threadId).sort((a, b) => a.seq - b.seq);
  }

  async write(write: MessageWrite): Promise<{ message: Message; inserted: boolean }> {
    this.writes.push(write);
    const existing = this.store.messages.find((message) => message.id === write.id);
    if (existing) {
      if (existing.userId !== write.userId) throw new Error(`message ${write.id} belongs to another user`);
      Object.assign(existing, {
        content: write.content,
        status: write.status,
        statusReason: write.statusReason ?? null,
        citations: write.citations ?? [],
        model: write.model ?? null,
        inputTokens: write.inputTokens ?? null,
        outputTokens: write.outputTokens ?? null,
        cost: write.cost ?? null,
        upstreamResponseId: write.upstreamResponseId ?? null,
        updatedAt: new Date(),
      });
      return { message: { ...existing }, inserted: false };
    }
    const now = new Date();
    const message: Message = {
      id: write.id,
      seq: this.store.nextSeq(),
      threadId: write.threadId,
      userId: write.userId,
      role: write.role,
      content: write.content,
      status: write.status,
      statusReason: write.statusReason ?? null,
      replyToId: write.replyToId ?? null,
      fileIds: write.fileIds ?? [],
      citations: write.citations ?? [],
      assistantId: write.assistantId ?? null,
      model: write.model ?? null,
      inputTokens: write.inputTokens ?? null,
      outputTokens: write.outputTokens ?? null,
      cost: write.cost ?? null,
      upstreamResponseId: write.upstreamResponseId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.store.messages.push(message);
    return { message: { ...message }, inserted: true };
  }


  async markSuperseded(userId: string, threadId: string, id: string): Promise<void> {
    for (const message of this.of(userId, threadId)) if (message.id === id) message.status = 'superseded';
  }

  async markInterrupted(userId: string, ids: string[]): Promise<void> {
    for (const message of this.store.messages) {
      if (message.userId === userId && ids.includes(message.id) && message.status === 'streaming') {
        Object.assign(message, { status: 'incomplete', statusReason: 'interrupted' });
      }
    }
  }

  async page(userId: string, threadId: string, cursor: MessageCursor): Promise<MessageResponseRow[]> {
    const all = this.of(userId, threadId);
    const anchor = cursor.anchorId === null ? undefined : all.find((message) => message.id === cursor.anchorId);
    if (cursor.anchorId !== null && !anchor) return [];
    const after = cursor.direction === 'after';
    const picked = all.filter((message) => !anchor || (after ? message.seq > anchor.seq : message.seq < anchor.seq));
    const ordered = after ? picked : picked.reverse();
    return ordered.slice(0, cursor.limit).map((message) => ({
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
      created_at: message.createdAt.toISOString(),
    }));
  }

  async exists(userId: string, threadId: string, id: string): Promise<boolean> {
    return this.of(userId, threadId).some((message) => message.id === id);
  }

  async conversationAfter(userId: string, threadId: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.of(userId, threadId)
      .filter((message) => message.seq > afterSeq && message.status !== 'superseded')
      .slice(0, limit)
      .map((message) => ({ ...message }));
  }

  async attachedFileIds(userId: string, threadId: string): Promise<string[]> {
    return this.of(userId, threadId).flatMap((message) => message.fileIds);
  }

  async last(userId: string, threadId: string, role?: MessageRole): Promise<Pick<Message, 'id' | 'seq'> | null> {
    const found = this.of(userId, threadId)
      .filter((message) => message.status !== 'superseded' && (!role || message.role === role))
      .at(-1);
    return found ? { id: found.id, seq: found.seq } : null;
  }

  async history(userId: string, threadId: string, throughId: string | null, excludeId: string | null, limit: number, afterSeq: number | null = null): Promise<HistoryRow[]> {
    const all = this.of(userId, threadId);
    const through = throughId === null ? undefined : all.find((message) => message.id === throughId)?.seq;
    return all
      .filter((message) => CONTEXT(message) && message.id !== excludeId && (through === undefined || message.seq <= through))
      .filter((message) => afterSeq === null || message.seq > afterSeq)
      .reverse()
      .slice(0, limit)
      .map((message) => ({ id: message.id, seq: String(message.seq), role: message.role, content: message.content, file_ids: message.fileIds, reply_to_id: message.replyToId }));
  }

  async excerpts(userId: string, threadId: string, ids: string[], maxChars: number) {
    return this.of(userId, threadId)
      .filter((message) => ids.includes(message.id))
      .map((message) => ({ id: message.id, role: message.role, excerpt: message.content.slice(0, maxChars) }));
  }

  async windowStart(userId: string, threadId: string, window: number): Promise<string | undefined> {
    const found = this.of(userId, threadId)
      .filter((message) => message.status !== 'superseded')
      .reverse()[window - 1];
    return found && String(found.seq);
  }

  async between(userId: string, threadId: string, fromSeq: string, toSeq: string, limit: number) {
    return this.of(userId, threadId)
      .filter((message) => message.status !== 'superseded' && message.seq > Number(fromSeq) && message.seq < Number(toSeq) && message.content !== '')
      .reverse()
      .slice(0, limit)
      .map((message) => ({ seq: String(message.seq), role: message.role, content: message.content }));
  }
}
