// Unit tests for the web client's event-stream parser (pure logic, no browser).
import { SseParser, readEventStream } from '../../web/src/api/sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const events = [];
  for await (const event of readEventStream(streamOf(chunks))) events.push(event);
  return events;
}

describe('SseParser', () => {
  it('reads events with ids, names and JSON data', () => {
    const parser = new SseParser();
    const events = parser.push('id: 1\nevent: token\ndata: {"delta":"Hi"}\n\nid: 2\nevent: done\ndata: {}\n\n');
    expect(events).toEqual([
      { id: '1', event: 'token', data: '{"delta":"Hi"}' },
      { id: '2', event: 'done', data: '{}' },
    ]);
  });

  it('joins events split anywhere across chunks, including inside a CRLF', async () => {
    const wire = 'id: 7\r\nevent: token\r\ndata: {"delta":"é ü"}\r\n\r\n';
    for (let cut = 1; cut < wire.length; cut++) {
      expect(await collect([wire.slice(0, cut), wire.slice(cut)])).toEqual([{ id: '7', event: 'token', data: '{"delta":"é ü"}' }]);
    }
  });

  it('keeps multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"delta":"日本"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readEventStream(stream)) events.push(event);
    expect(events).toEqual([{ id: undefined, event: 'token', data: '{"delta":"日本"}' }]);
  });

  it('skips comments (heartbeats), joins data lines, and defaults the event name', () => {
    const parser = new SseParser();
    expect(parser.push(': heartbeat\n\ndata: first\ndata: second\n\n')).toEqual([{ id: undefined, event: 'message', data: 'first\nsecond' }]);
  });

  it('keeps the last id for later events and ignores events without data', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\nevent: ping\n\nevent: token\ndata: x\n\n')).toEqual([{ id: '3', event: 'token', data: 'x' }]);
  });

  it('drops an event cut off before its blank line', async () => {
    expect(await collect(['event: token\ndata: {"delta":"a"}\n\nevent: token\ndata: {"delta":"b"}'])).toEqual([
      { id: undefined, event: 'token', data: '{"delta":"a"}' },
    ]);
  });
});
