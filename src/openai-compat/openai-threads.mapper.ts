import type { MessageRole, MessageStatus } from '../threads/message.entity.js';
import type { Thread } from '../threads/thread.entity.js';
import { toOpenAiId, unixSeconds } from './openai-ids.js';

export interface OpenAiThread {
  id: string;
  object: 'thread';
  created_at: number;
  tool_resources: Record<string, never>;
  metadata: Record<string, string>;
}

type IncompleteReason = 'run_cancelled' | 'run_failed' | 'max_tokens';

export interface OpenAiMessage {
  id: string;
  object: 'thread.message';
  created_at: number;
  thread_id: string;
  status: 'in_progress' | 'incomplete' | 'completed';
  incomplete_details: { reason: IncompleteReason } | null;
  completed_at: number | null;
  incomplete_at: number | null;
  role: MessageRole;
  content: Array<{ type: 'text'; text: { value: string; annotations: never[] } }>;
  assistant_id: string | null;
  run_id: string | null;
  attachments: never[];
  metadata: Record<string, string>;
}

/** What the wire shape of a message reads, from a stored message or its /api answer. */
export interface MessageFields {
  id: string;
  threadId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  statusReason: string | null;
  assistantId: string | null;
  createdAt: Date | string;
}

export function toOpenAiThread(thread: Thread): OpenAiThread {
  return { id: toOpenAiId('thread', thread.id), object: 'thread', created_at: unixSeconds(thread.createdAt), tool_resources: {}, metadata: thread.metadata };
}

function incompleteReason(status: MessageStatus, reason: string | null): IncompleteReason {
  if (status === 'cancelled') return 'run_cancelled';
  return reason && /max_output_tokens|max_tokens/.test(reason) ? 'max_tokens' : 'run_failed';
}

export function toOpenAiMessage(message: MessageFields, metadata: Record<string, string> = {}, runId: string | null = null): OpenAiMessage {
  const createdAt = unixSeconds(new Date(message.createdAt));
  const done = message.status === 'completed';
  const incomplete = message.status === 'incomplete' || message.status === 'cancelled';
  return {
    id: toOpenAiId('msg', message.id),
    object: 'thread.message',
    created_at: createdAt,
    thread_id: toOpenAiId('thread', message.threadId),
    status: done ? 'completed' : incomplete ? 'incomplete' : 'in_progress',
    incomplete_details: incomplete ? { reason: incompleteReason(message.status, message.statusReason) } : null,
    completed_at: done ? createdAt : null,
    incomplete_at: incomplete ? createdAt : null,
    role: message.role,
    content: [{ type: 'text', text: { value: message.content, annotations: [] } }],
    assistant_id: message.assistantId ? toOpenAiId('asst', message.assistantId) : null,
    run_id: runId,
    attachments: [],
    metadata,
  };
}
