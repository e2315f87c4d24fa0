import type { Message } from './message.entity.js';
import type { Thread } from './thread.entity.js';
import type { MessageResponse, ThreadResponse } from './threads.dto.js';

export function toThreadResponse(thread: Thread): ThreadResponse {
  return {
    id: thread.id,
    title: thread.title,
    assistantId: thread.assistantId,
    isArchived: thread.isArchived,
    summary: thread.summary,
    messageCount: thread.messageCount,
    inputTokens: thread.inputTokens,
    outputTokens: thread.outputTokens,
    totalTokens: thread.inputTokens + thread.outputTokens,
    totalCost: thread.totalCost,
    lastMessageAt: thread.lastMessageAt?.toISOString() ?? null,
    lastActivityAt: thread.lastActivityAt.toISOString(),
    createdAt: thread.createdAt.toISOString(),
    updatedAt: thread.updatedAt.toISOString(),
  };
}

export function toMessageResponse(message: Message): MessageResponse {
  const hasUsage = message.inputTokens !== null || message.outputTokens !== null;
  return {
    id: message.id,
    threadId: message.threadId,
    role: message.role,
    content: message.content,
    status: message.status,
    statusReason: message.statusReason,
    replyToId: message.replyToId,
    fileIds: message.fileIds,
    citations: message.citations,
    usage: hasUsage
      ? {
          inputTokens: message.inputTokens ?? 0,
          outputTokens: message.outputTokens ?? 0,
          totalTokens: (message.inputTokens ?? 0) + (message.outputTokens ?? 0),
        }
      : null,
    cost: message.cost,
    model: message.model,
    assistantId: message.assistantId,
    createdAt: message.createdAt.toISOString(),
  };
}
