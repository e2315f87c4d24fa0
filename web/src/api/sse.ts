// Server-sent events read from a fetch body (EventSource cannot POST), with the
// parser the server reads OpenAI's streams with (WHATWG event-stream rules; an
// event cut off without its blank line is dropped).

import { SseParser, type SseMessage } from '../../../src/common/sse-parser.js';

export type SseEvent = SseMessage;

/** Yields the events of an event-stream body as they arrive. */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
  } finally {
    // The reader stopped early (an error, or the caller broke off): close the connection.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
