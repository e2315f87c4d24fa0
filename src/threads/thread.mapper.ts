import { Message } from './message.entity.js';
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

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A message from a raw row (snake_case columns), as written by the hand-made statements of a turn. */
export function messageFromRow(row: Record<string, unknown>): Message {
  return Object.assign(new Message(), {
    id: row.id,
    seq: Number(row.seq),
    threadId: row.thread_id,
    userId: row.user_id,
    role: row.role,
    content: row.content,
    status: row.status,
    statusReason: row.status_reason ?? null,
    replyToId: row.reply_to_id ?? null,
    fileIds: row.file_ids ?? [],
    citations: row.citations ?? [],
    assistantId: row.assistant_id ?? null,
    model: row.model ?? null,
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    cost: toNumber(row.cost),
    upstreamResponseId: row.upstream_response_id ?? null,
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
  });
}
