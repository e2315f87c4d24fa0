import type { Socket } from 'node:net';
import type { Request, Response } from 'express';

/** How much of a refused body is still read (and dropped), and how long its connection may stay after the answer. */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2_000;

/**
 * Marks the answer to a request whose body will not be read as the
 * connection's last (Connection: close), and closes it gently. Closing a
 * socket with unread input makes the kernel send a reset, which can wipe out
 * the answer before a client that is still sending has read it; so a little
 * more of the body is read and dropped, then reading stops (the client's
 * sending stalls), the sending side ends after the answer, and the socket is
 * destroyed only once the client has closed or LINGER_MS has passed. Nothing
 * of the body is kept.
 */
export function closeAfterAnswer(request: Request, response: Response): void {
  response.setHeader('Connection', 'close');
  if (request.complete) return;
  let dropped = 0;
  const drop = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped < LINGER_BYTES) return;
    request.off('data', drop);
    request.pause();
  };
  request.on('data', drop);
  request.resume();
  const socket = request.socket as Socket & { destroySoon?: () => void };
  // Node's server ends a Connection: close socket with destroySoon() once the answer is written.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}
