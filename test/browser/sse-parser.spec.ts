// Unit tests for the web client's reading of an event-stream body (pure logic, no browser);
// the parser itself is tested in src/common/sse-parser.spec.ts.
import { readEventStream } from '../../web/src/api/sse.js';

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

describe('readEventStream', () => {
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



  it('drops an event cut off before its blank line', async () => {
    expect(await collect(['event: token\ndata: {"delta":"a"}\n\nevent: token\ndata: {"delta":"b"}'])).toEqual([
      { id: undefined, event: 'token', data: '{"delta":"a"}' },
    ]);
  });
});
