// Streams a chat turn (POST /api/chat, /run, /regenerate or /edit with
// stream: true) over fetch, or attaches to a thread's running reply (GET
// /api/threads/:id/stream with Last-Event-ID), turning the server-sent events
// into typed ChatEvents. Each event comes with the stream's last event id: a
// character offset into the reply, from which a later attach replays.
import { ApiError, send } from './http';
import { readEventStream } from './sse';
import type { ChatEvent } from './types';

const EVENT_TYPES = new Set<ChatEvent['type']>(['message_created', 'token', 'message_completed', 'title', 'budget_warning', 'error', 'done']);

export type OnChatEvent = (event: ChatEvent, lastEventId: string | undefined) => void;

function toChatEvent(name: string, data: string): ChatEvent | undefined {
  if (!EVENT_TYPES.has(name as ChatEvent['type'])) return undefined;
  let payload: Record<string, unknown> = {};
  if (data.trim() !== '') {
    try {
      payload = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return { ...payload, type: name } as ChatEvent;
}

/** Reads the events of a stream; throws stream_interrupted when it closes before `done` or `error`. */
async function readChatEvents(response: Response, onEvent: OnChatEvent): Promise<void> {
  let ended = false;
  for await (const { event, data, id } of readEventStream(response.body!)) {
    const chatEvent = toChatEvent(event, data);
    if (!chatEvent) continue;
    if (chatEvent.type === 'done' || chatEvent.type === 'error') ended = true;
    onEvent(chatEvent, id);
  }
  if (!ended) throw new ApiError(0, 'stream_interrupted', 'The connection closed before the reply finished');
}

const isEventStream = (response: Response) => (response.headers.get('content-type') ?? '').includes('text/event-stream') && response.body !== null;

/**
 * Sends the request and calls `onEvent` for each event as it arrives. Resolves
 * when the stream ends; rejects with ApiError when the request is refused
 * before streaming begins (e.g. 409 run_in_progress), or with an AbortError.
 */
export async function streamChat(path: string, body: Record<string, unknown>, onEvent: OnChatEvent, signal?: AbortSignal): Promise<void> {
  const response = await send('POST', path, {
    body: { ...body, stream: true },
    headers: { accept: 'text/event-stream' },
    signal,
  });
  if (!isEventStream(response)) {
    // A plain JSON reply: nothing to stream; the caller reloads the thread.
    await response.body?.cancel();
    onEvent({ type: 'done' }, undefined);
    return;
  }
  await readChatEvents(response, onEvent);
}

/**
 * Follows the reply running in a thread from `lastEventId` on (the text after
 * that offset is replayed first). Resolves false at once when nothing runs (204).
 */
export async function attachChat(threadId: string, lastEventId: string, onEvent: OnChatEvent, signal?: AbortSignal): Promise<boolean> {
  const response = await send('GET', `/api/threads/${encodeURIComponent(threadId)}/stream`, {
    headers: { accept: 'text/event-stream', 'last-event-id': lastEventId },
    signal,
  });
  if (!isEventStream(response)) {
    await response.body?.cancel();
    return false;
  }
  await readChatEvents(response, onEvent);
  return true;
}
