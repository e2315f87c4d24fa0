// Streams a chat turn (POST /api/chat, /run or /regenerate with stream: true)
// over fetch, turning the server-sent events into typed ChatEvents.
import { ApiError, send } from './http';
import { readEventStream } from './sse';
import type { ChatEvent } from './types';

const EVENT_TYPES = new Set<ChatEvent['type']>(['message_created', 'token', 'message_completed', 'title', 'budget_warning', 'error', 'done']);

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

/**
 * Sends the request and calls `onEvent` for each event as it arrives. Resolves
 * when the stream ends; rejects with ApiError when the request is refused
 * before streaming begins (e.g. 409 run_in_progress), or with an AbortError.
 */
export async function streamChat(
  path: string,
  body: Record<string, unknown>,
  onEvent: (event: ChatEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await send('POST', path, {
    body: { ...body, stream: true },
    headers: { accept: 'text/event-stream' },
    signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream') || !response.body) {
    // A plain JSON reply: nothing to stream; the caller reloads the thread.
    await response.body?.cancel();
    onEvent({ type: 'done' });
    return;
  }
  let ended = false;
  for await (const { event, data } of readEventStream(response.body)) {
    const chatEvent = toChatEvent(event, data);
    if (!chatEvent) continue;
    if (chatEvent.type === 'done' || chatEvent.type === 'error') ended = true;
    onEvent(chatEvent);
  }
  if (!ended) throw new ApiError(0, 'stream_interrupted', 'The connection closed before the reply finished');
}
