import type { Response } from 'express';

/**
 * A Server-Sent Events response: every event has an id (the caller's, or
 * the next number), nothing is buffered
 * (no compression, X-Accel-Buffering: no), and a comment line goes out every
 * heartbeat interval so proxies keep the connection open.
 */
export class SseStream {
  private nextId = 1;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly response: Response,
    heartbeatMs: number,
  ) {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    this.heartbeat = setInterval(() => this.comment('heartbeat'), heartbeatMs);
    this.heartbeat.unref();
    response.once('close', () => clearInterval(this.heartbeat));
  }

  get open(): boolean {
    return !this.response.writableEnded && !this.response.destroyed;
  }

  /** Writes the event; false when the client reads slower than it is sent to (wait for drain()). */
  send(event: string, data: unknown, id: number = this.nextId++): boolean {
    if (!this.open) return false;
    return this.response.write(this.frame(event, data, id));
  }

  /** Several events of one kind in one write (each still its own frame with its own id). */
  sendEach(event: string, data: unknown[], ids?: number[]): void {
    if (!this.open || data.length === 0) return;
    let frames = '';
    data.forEach((item, index) => (frames += this.frame(event, item, ids?.[index] ?? this.nextId++)));
    this.response.write(frames);
  }

  /** Resolves when what was written has gone out (at once when nothing waits), or the stream closed. */
  drained(): Promise<void> {
    if (!this.open || !this.response.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }

  private frame(event: string, data: unknown, id: number): string {
    return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  /** An event whose data is sent as it is, not as JSON (such as OpenAI's closing `[DONE]`). */
  sendText(event: string, text: string): boolean {
    if (!this.open) return false;
    return this.response.write(`id: ${this.nextId++}\nevent: ${event}\ndata: ${text}\n\n`);
  }

  comment(text: string): void {
    if (this.open) this.response.write(`: ${text}\n\n`);
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (this.open) this.response.end();
  }
}
