import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface UnreadAnswerLimits {
  /** An answer complete on our side whose client takes none of it for this long has its connection closed. */
  stallMs: number;
  /** Bytes of complete answers one client (its user, or its address) may leave unread; past it, its oldest go first. */
  bytesPerClient: number;
}

interface Parked {
  response: Response;
  key: string;
}

/**
 * Answers a client has not taken yet. Node keeps an answer's bytes in memory
 * until the client reads them, so a client that asks for large answers and
 * never reads them would hold that memory for as long as its connections
 * live. Once an answer is complete on our side with bytes still waiting, its
 * connection is closed if the client takes nothing for `stallMs`; and when
 * one client's waiting answers add up to more than `bytesPerClient`, its
 * oldest ones are closed first. Streamed answers (files, exports, replies)
 * already wait for their client as they are written and are not held here.
 */
export class UnreadAnswers {
  /** Per client, its waiting answers, oldest first. */
  private readonly waiting = new Map<string, Parked[]>();

  constructor(private readonly limits: UnreadAnswerLimits) {}

  middleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      const end = response.end;
      response.end = ((...args: Parameters<Response['end']>) => {
        const result = end.apply(response, args);
        if (!response.writableFinished && response.writableLength > 0) this.park(request, response);
        return result;
      }) as Response['end'];
      next();
    };
  }

  private park(request: Request, response: Response): void {
    const user = (request as Request & { user?: { id: string } }).user;
    const key = user ? `user ${user.id}` : `address ${request.ip ?? ''}`;
    const entry: Parked = { response, key };
    const list = this.waiting.get(key) ?? [];
    list.push(entry);
    this.waiting.set(key, list);
    // Nothing more is added to a complete answer: while the client takes some, what waits shrinks.
    let left = response.writableLength;
    const watch = setInterval(() => {
      if (response.writableLength >= left) response.destroy();
      left = response.writableLength;
    }, this.limits.stallMs);
    watch.unref();
    const release = () => {
      clearInterval(watch);
      response.off('finish', release);
      response.off('close', release);
      this.remove(entry);
    };
    response.once('finish', release);
    response.once('close', release);
    this.enforce(key);
  }

  /** Closes the client's oldest waiting answers while they add up to more than the bound. */
  private enforce(key: string): void {
    const list = this.waiting.get(key);
    if (!list) return;
    let bytes = list.reduce((total, parked) => total + parked.response.writableLength, 0);
    while (bytes > this.limits.bytesPerClient && list.length > 1) {
      const oldest = list[0];
      bytes -= oldest.response.writableLength;
      this.remove(oldest);
      oldest.response.destroy();
    }
  }

  private remove(entry: Parked): void {
    const list = this.waiting.get(entry.key);
    if (!list) return;
    const index = list.indexOf(entry);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.waiting.delete(entry.key);
  }
}
