import { SseParser, type SseMessage } from './sse-parser.js';

/** Feeds the text in pieces of `size` characters (1 = every split point). */
function parseInPieces(text: string, size: number): SseMessage[] {
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  for (let index = 0; index < text.length; index += size) messages.push(...parser.push(text.slice(index, index + size)));
  return messages;
}

describe('SseParser', () => {
  const stream =
    'event: response.created\ndata: {"type":"response.created"}\n\n' +
    ': a comment\n' +
    'event: response.output_text.delta\r\ndata: {"delta":"Hel"}\r\n\r\n' +
    'data: {"delta":"lo"}\r\rdata: first line\ndata: second line\n\n' +
    'id: 7\nretry: 10\nevent: done\ndata:\n\n';

  const expected: SseMessage[] = [
    { id: undefined, event: 'response.created', data: '{"type":"response.created"}' },
    { id: undefined, event: 'response.output_text.delta', data: '{"delta":"Hel"}' },
    { id: undefined, event: 'message', data: '{"delta":"lo"}' },
    { id: undefined, event: 'message', data: 'first line\nsecond line' },
    { id: '7', event: 'done', data: '' },
  ];

  it('reads events, comments, data lines and every kind of line end in one piece', () => {
    expect(parseInPieces(stream, stream.length)).toEqual(expected);
  });

  it('gives the same events whatever the chunk boundaries (also inside a \\r\\n)', () => {
    for (const size of [1, 2, 3, 5, 7, 13, 64]) expect(parseInPieces(stream, size)).toEqual(expected);
  });

  it('keeps an unfinished event until its blank line arrives, and drops events without data', () => {
    const parser = new SseParser();
    expect(parser.push('event: a\ndata: 1')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\nevent: nothing\n\n')).toEqual([{ id: undefined, event: 'a', data: '1' }]);
    expect(parser.push('data:no space\n\n')).toEqual([{ id: undefined, event: 'message', data: 'no space' }]);
  });

  it('reads events with ids, names and JSON data', () => {
    const parser = new SseParser();
    const events = parser.push('id: 1\nevent: token\ndata: {"delta":"Hi"}\n\nid: 2\nevent: done\ndata: {}\n\n');
    expect(events).toEqual([
      { id: '1', event: 'token', data: '{"delta":"Hi"}' },
      { id: '2', event: 'done', data: '{}' },
    ]);
  });

  it('skips comments (heartbeats), joins data lines, and defaults the event name', () => {
    const parser = new SseParser();
    expect(parser.push(': heartbeat\n\ndata: first\ndata: second\n\n')).toEqual([{ id: undefined, event: 'message', data: 'first\nsecond' }]);
  });

  it('keeps the last id for later events, ignores an id with NUL, and ignores events without data', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\nevent: ping\n\nevent: token\ndata: x\n\n')).toEqual([{ id: '3', event: 'token', data: 'x' }]);
    expect(parser.push('id: 4\u0000\ndata: y\n\n')).toEqual([{ id: '3', event: 'message', data: 'y' }]);
  });
});
