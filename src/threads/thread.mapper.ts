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

/** A message's token usage as the API shows it; null when the message has none. */
function usageOf(inputTokens: number | null, outputTokens: number | null): MessageResponse['usage'] {
  if (inputTokens === null && outputTokens === null) return null;
  return { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0, totalTokens: (inputTokens ?? 0) + (outputTokens ?? 0) };
}

export function toMessageResponse(message: Message): MessageResponse {
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
    usage: usageOf(message.inputTokens, message.outputTokens),
    cost: message.cost,
    model: message.model,
    assistantId: message.assistantId,
    createdAt: message.createdAt.toISOString(),
  };
}

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * A timestamptz column as the API writes it (ISO-8601 in UTC with
 * milliseconds, as Date.toISOString does), formatted by PostgreSQL: the read
 * paths that serve many rows skip Date parsing and formatting per field.
 */
export function isoTimestamp(column: string, alias: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${alias}`;
}

/** The columns threadResponseFromRow reads. */
export const THREAD_RESPONSE_COLUMNS = `id, title, assistant_id, is_archived, summary, message_count, input_tokens, output_tokens, total_cost,
  ${isoTimestamp('last_message_at', 'last_message_at')}, ${isoTimestamp('last_activity_at', 'last_activity_at')},
  ${isoTimestamp('created_at', 'created_at')}, ${isoTimestamp('updated_at', 'updated_at')}`;

/** A thread's API shape straight from a row of THREAD_RESPONSE_COLUMNS. */
export function threadResponseFromRow(row: Record<string, unknown>): ThreadResponse {
  const inputTokens = Number(row.input_tokens);
  const outputTokens = Number(row.output_tokens);
  return {
    id: row.id as string,
    title: (row.title as string | null) ?? null,
    assistantId: (row.assistant_id as string | null) ?? null,
    isArchived: row.is_archived as boolean,
    summary: (row.summary as string | null) ?? null,
    messageCount: row.message_count as number,
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    totalCost: Number(row.total_cost),
    lastMessageAt: (row.last_message_at as string | null) ?? null,
    lastActivityAt: row.last_activity_at as string,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

/** The columns messageResponseFromRow reads. */
export const MESSAGE_RESPONSE_COLUMNS = `id, thread_id, role, content, status, status_reason, reply_to_id, file_ids, citations,
  assistant_id, model, input_tokens, output_tokens, cost, ${isoTimestamp('created_at', 'created_at')}`;

/** A message's API shape straight from a row of MESSAGE_RESPONSE_COLUMNS. */
export function messageResponseFromRow(row: Record<string, unknown>): MessageResponse {
  return {
    id: row.id as string,
    threadId: row.thread_id as string,
    role: row.role as MessageResponse['role'],
    content: row.content as string,
    status: row.status as MessageResponse['status'],
    statusReason: (row.status_reason as string | null) ?? null,
    replyToId: (row.reply_to_id as string | null) ?? null,
    fileIds: (row.file_ids as string[] | null) ?? [],
    citations: (row.citations as MessageResponse['citations'] | null) ?? [],
    usage: usageOf(toNumber(row.input_tokens), toNumber(row.output_tokens)),
    cost: toNumber(row.cost),
    model: (row.model as string | null) ?? null,
    assistantId: (row.assistant_id as string | null) ?? null,
    createdAt: row.created_at as string,
  };
}

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
