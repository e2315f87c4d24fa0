import type { Message, MessageCitation, MessageRole, MessageStatus } from './message.entity.js';
import type { Thread } from './thread.entity.js';
import type { MessageFeedbackResponse } from '../feedback/feedback.dto.js';
import type { MessageResponse, ThreadResponse } from './threads.dto.js';

export function toThreadResponse(thread: Thread): ThreadResponse {
  return {
    id: thread.id,
    title: thread.title,
    assistantId: thread.assistantId,
    isArchived: thread.isArchived,
    metadata: thread.metadata,
    summary: thread.summary,
    messageCount: thread.messageCount,
    inputTokens: thread.inputTokens,
    outputTokens: thread.outputTokens,
    totalTokens: thread.inputTokens + thread.outputTokens,
    totalCost: thread.totalCost,
    lastMessageAt: thread.lastMessageAt?.toISOString() ?? null,
    lastActivityAt: thread.lastActivityAt.toISOString(),
    deletedAt: thread.deletedAt?.toISOString() ?? null,
    createdAt: thread.createdAt.toISOString(),
    updatedAt: thread.updatedAt.toISOString(),
  };
}

/** A message's token usage as the API shows it; null when the message has none. */
function usageOf(inputTokens: number | null, outputTokens: number | null): MessageResponse['usage'] {
  if (inputTokens === null && outputTokens === null) return null;
  return { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0, totalTokens: (inputTokens ?? 0) + (outputTokens ?? 0) };
}

/** The message's API shape; `feedback`: the owner's rating, where the caller read it (none otherwise). */
export function toMessageResponse(message: Message, feedback: MessageFeedbackResponse | null = null): MessageResponse {
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
    parentId: message.parentId,
    createdAt: message.createdAt.toISOString(),
    feedback,
  };
}

const toNumber = (value: string | null): number | null => (value === null ? null : Number(value));

/**
 * A timestamptz column as the API writes it (ISO-8601 in UTC with
 * milliseconds, as Date.toISOString does), formatted by PostgreSQL: the read
 * paths that serve many rows skip Date parsing and formatting per field.
 */
export function isoTimestamp(column: string, alias: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${alias}`;
}

/** The columns threadResponseFromRow reads. */
export const THREAD_RESPONSE_COLUMNS = `id, title, assistant_id, is_archived, metadata, summary, message_count, input_tokens, output_tokens, total_cost,
  ${isoTimestamp('last_message_at', 'last_message_at')}, ${isoTimestamp('last_activity_at', 'last_activity_at')}, ${isoTimestamp('deleted_at', 'deleted_at')},
  ${isoTimestamp('created_at', 'created_at')}, ${isoTimestamp('updated_at', 'updated_at')}`;

/** A row of THREAD_RESPONSE_COLUMNS (times already formatted by PostgreSQL). */
export interface ThreadResponseRow {
  id: string;
  title: string | null;
  assistant_id: string | null;
  is_archived: boolean;
  metadata: Record<string, string>;
  summary: string | null;
  message_count: number;
  input_tokens: string;
  output_tokens: string;
  total_cost: string;
  last_message_at: string | null;
  last_activity_at: string;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A thread's API shape straight from a row of THREAD_RESPONSE_COLUMNS. */
export function threadResponseFromRow(row: ThreadResponseRow): ThreadResponse {
  const inputTokens = Number(row.input_tokens);
  const outputTokens = Number(row.output_tokens);
  return {
    id: row.id,
    title: row.title,
    assistantId: row.assistant_id,
    isArchived: row.is_archived,
    metadata: row.metadata,
    summary: row.summary,
    messageCount: row.message_count,
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    totalCost: Number(row.total_cost),
    lastMessageAt: row.last_message_at,
    lastActivityAt: row.last_activity_at,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns messageResponseFromRow reads. */
export const MESSAGE_RESPONSE_COLUMNS = `id, thread_id, role, content, status, status_reason, reply_to_id, file_ids, citations,
  assistant_id, model, input_tokens, output_tokens, cost, parent_id, ${isoTimestamp('created_at', 'created_at')}`;

/** The owner's rating of the message row `alias` (null: none), as MessageResponse.feedback shows it; $2 is the user's id. */
export const messageFeedbackColumn = (alias: string): string => `(SELECT jsonb_build_object('rating', f.rating, 'comment', f.comment,
    'updatedAt', to_char(f.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  FROM message_feedback f WHERE f.message_id = ${alias}.id AND f.user_id = $2) AS feedback`;

/** A row of MESSAGE_RESPONSE_COLUMNS (the time already formatted by PostgreSQL). */
export interface MessageResponseRow {
  id: string;
  thread_id: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  status_reason: string | null;
  reply_to_id: string | null;
  file_ids: string[] | null;
  citations: MessageCitation[] | null;
  assistant_id: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: string | null;
  parent_id: string | null;
  created_at: string;
  /** Read by the page of a thread's messages only. */
  feedback?: MessageFeedbackResponse | null;
}

/** A message's API shape straight from a row of MESSAGE_RESPONSE_COLUMNS. */
export function messageResponseFromRow(row: MessageResponseRow): MessageResponse {
  return {
    id: row.id,
    threadId: row.thread_id,
    role: row.role,
    content: row.content,
    status: row.status,
    statusReason: row.status_reason,
    replyToId: row.reply_to_id,
    fileIds: row.file_ids ?? [],
    citations: row.citations ?? [],
    usage: usageOf(row.input_tokens, row.output_tokens),
    cost: toNumber(row.cost),
    model: row.model,
    assistantId: row.assistant_id,
    parentId: row.parent_id,
    createdAt: row.created_at,
    feedback: row.feedback ?? null,
  };
}

/** A message's versions, as a page of a branch reads them. */
export interface SiblingColumns {
  sibling_count: number;
  sibling_index: number;
  sibling_ids: string[];
}

/**
 * A message of a branch page with its versions. The fields are set on the
 * object already built: spreading it into a new literal with more fields
 * took V8's slow path, about 5 µs a message.
 */
export function branchMessageResponseFromRow(row: MessageResponseRow & SiblingColumns): MessageResponse {
  const message = messageResponseFromRow(row);
  message.siblingCount = row.sibling_count;
  message.siblingIndex = row.sibling_index;
  message.siblingIds = row.sibling_ids;
  return message;
}
