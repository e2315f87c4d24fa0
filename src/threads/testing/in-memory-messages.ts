import type { Message } from '../message.entity.js';
import type { MessagesRepository, MessageWrite } from '../messages.repository.js';
import type { ConversationStore, PublicOf } from './in-memory-conversations.js';

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
    const parentId = write.parent === 'active-leaf' ? (this.store.threads.get(write.threadId)?.activeLeafId ?? null) : (write.parent ?? null);
    const parent = this.of(write.userId, write.threadId).find((message) => message.id === parentId);
    const message: Message = {
      id: write.id,
      seq: this.store.nextSeq(),
      threadId: write.threadId,
      userId: write.userId,
      parentId: parent?.id ?? null,
      depth: (parent?.depth ?? 0) + 1,
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


  async markInterrupted(userId: string, ids: string[]): Promise<void> {
    for (const message of this.store.messages) {
      if (message.userId === userId && ids.includes(message.id) && message.status === 'streaming') {
        Object.assign(message, { status: 'incomplete', statusReason: 'interrupted' });
      }
    }
  }

  async exists(userId: string, threadId: string, id: string): Promise<boolean> {
    return this.of(userId, threadId).some((message) => message.id === id);
  }

  async attachedFileIds(userId: string, threadId: string): Promise<string[]> {
    return this.of(userId, threadId).flatMap((message) => message.fileIds);
  }

  async excerpts(userId: string, threadId: string, ids: string[], maxChars: number) {
    return this.of(userId, threadId)
      .filter((message) => ids.includes(message.id))
      .map((message) => ({ id: message.id, role: message.role, excerpt: message.content.slice(0, maxChars) }));
  }
}
