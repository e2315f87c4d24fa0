import type { Response } from 'express';

/**
 * A Server-Sent Events response: every event has an id, nothing is buffered
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

  send(event: string, data: unknown): void {
    if (!this.open) return;
    this.response.write(this.frame(event, data));
  }

  /** Several events of one kind in one write (each still its own frame with its own id). */
  sendEach(event: string, data: unknown[]): void {
    if (!this.open || data.length === 0) return;
    let frames = '';
    for (const item of data) frames += this.frame(event, item);
    this.response.write(frames);
  }

  private frame(event: string, data: unknown): string {
    return `id: ${this.nextId++}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  comment(text: string): void {
    if (this.open) this.response.write(`: ${text}\n\n`);
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (this.open) this.response.end();
  }
}
