/** One Server-Sent Event as it came over the wire. */
export interface SseMessage {
  /** The last event id seen on the stream (it carries over to later events). */
  id: string | undefined;
  /** The event's name; `message` when the event named none. */
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser, after the WHATWG rules: lines end
 * with \n, \r\n or \r (also when a chunk splits a \r\n); `data` lines are
 * joined with \n; comments and `retry` are ignored; a message without data is
 * not dispatched. Text is pushed as it arrives and every complete message in
 * it comes back at once. Pure, with no imports: the server reads OpenAI's
 * streams with it and the web client the platform's.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private lastId: string | undefined;
  /** The last chunk ended with \r: a \n at the start of the next one belongs to it. */
  private afterCarriageReturn = false;

  push(chunk: string): SseMessage[] {
    if (this.afterCarriageReturn) {
      this.afterCarriageReturn = false;
      if (chunk.startsWith('\n')) chunk = chunk.slice(1);
    }
    const text = this.buffer.length > 0 ? this.buffer + chunk : chunk;
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const lineFeed = text.indexOf('\n', start);
      const carriageReturn = text.indexOf('\r', start);
      if (lineFeed === -1 && carriageReturn === -1) break;
      let end: number;
      let next: number;
      if (carriageReturn !== -1 && (lineFeed === -1 || carriageReturn < lineFeed)) {
        end = carriageReturn;
        if (carriageReturn + 1 === text.length) {
          next = carriageReturn + 1;
          this.afterCarriageReturn = true;
        } else {
          next = text.charCodeAt(carriageReturn + 1) === 10 ? carriageReturn + 2 : carriageReturn + 1;
        }
      } else {
        end = lineFeed;
        next = lineFeed + 1;
      }
      this.line(text.slice(start, end), messages);
      start = next;
    }
    this.buffer = start === 0 ? text : text.slice(start);
    return messages;
  }

  private line(line: string, messages: SseMessage[]): void {
    if (line.length === 0) {
      if (this.data.length > 0) messages.push({ id: this.lastId, event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
  }
}
