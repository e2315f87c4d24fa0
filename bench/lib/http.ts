import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';

/** A body sent in one piece, or streamed piece by piece (with backpressure). */
export type Body = string | Buffer | (() => Iterable<Buffer>);

export interface SendOptions {
  method: string;
  url: string;
  headers?: OutgoingHttpHeaders;
  body?: Body;
  /** Source address of the connection (127.0.0.x: another client of the same machine). */
  localAddress?: string;
  /** Kept-alive connections; without one, a connection per request. */
  agent?: Agent;
  timeoutMs?: number;
  /** Keep at most this many characters of the answer. */
  keepChars?: number;
  /** Abandons the request (the connection is closed; reported with error "aborted"). */
  signal?: AbortSignal;
}

export interface Sent {
  /** 0 when no answer came (the connection was reset, or the time ran out). */
  status: number;
  ms: number;
  body: string;
  setCookie: string[];
  /** A transport failure (after the answer, or instead of it). */
  error: string | undefined;
}

/** Sockets kept alive per source address (the agent keys its pools by localAddress too). */
export const keepAliveAgent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });

/**
 * One HTTP request over node:http that never throws: a refused upload may get
 * its answer and then lose the connection before the body is sent, or lose it
 * without an answer; both are reported as they happened. A kept-alive socket
 * the server closed just as it was reused is retried once.
 */
export async function send(options: SendOptions): Promise<Sent> {
  const first = await sendOnce(options);
  if (first.status === 0 && first.error === 'reused socket closed') return sendOnce(options);
  return first;
}

function sendOnce(options: SendOptions): Promise<Sent> {
  const target = new URL(options.url);
  const result: Sent = { status: 0, ms: 0, body: '', setCookie: [], error: undefined };
  const keep = options.keepChars ?? 2_000;
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      result.ms = performance.now() - started;
      if (error && !result.error) result.error = error;
      resolve(result);
    };
    const headers: OutgoingHttpHeaders = { ...options.headers };
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) headers['content-length'] = Buffer.byteLength(options.body);
    else if (options.body && headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
    const req = request(
      {
        method: options.method,
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers,
        localAddress: options.localAddress,
        agent: options.agent ?? false,
      },
      (res) => {
        result.status = res.statusCode ?? 0;
        result.setCookie = res.headers['set-cookie'] ?? [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (result.body.length < keep) result.body += chunk.slice(0, keep - result.body.length);
        });
        res.on('end', () => finish());
        res.on('error', (error) => finish(error.message));
        res.on('close', () => finish());
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish('timeout');
    }, options.timeoutMs ?? 60_000);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const reset = error.code === 'ECONNRESET' || error.message === 'socket hang up';
      finish(reset && req.reusedSocket && result.status === 0 ? 'reused socket closed' : (error.code ?? error.message));
    });
    const abort = () => {
      req.destroy();
      finish('aborted');
    };
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    const body = options.body;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    // Streamed: stop writing as soon as an answer arrives or the connection goes.
    const pieces = body()[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        if (settled || result.status !== 0 || req.destroyed) return;
        const next = pieces.next();
        if (next.done) {
          req.end();
          return;
        }
        if (!req.write(next.value)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

export interface Part {
  field: string;
  filename?: string;
  contentType?: string;
  /** The part's content, in pieces (a large file can repeat one buffer). */
  content: Buffer[];
}

export const BOUNDARY = 'bench-neighbour-boundary-7d1f0c';

/** A multipart/form-data body, piece by piece (nothing is concatenated). */
export function* multipart(parts: Iterable<Part>): Generator<Buffer> {
  for (const part of parts) {
    const disposition = part.filename === undefined ? `form-data; name="${part.field}"` : `form-data; name="${part.field}"; filename="${part.filename}"`;
    const type = part.contentType ? `\r\ncontent-type: ${part.contentType}` : '';
    yield Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: ${disposition}${type}\r\n\r\n`);
    yield* part.content;
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${BOUNDARY}--\r\n`);
}

export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** The exact length of a multipart body (for a Content-Length upload). */
export function multipartLength(parts: Part[]): number {
  let total = 0;
  for (const piece of multipart(parts)) total += piece.length;
  return total;
}

/** `{"k0":0,"k1":0,...}` with `keys` keys: a body that is small in bytes and huge in shape. */
export function manyKeysJson(keys: number, extra: Record<string, unknown> = {}): string {
  const pieces = Object.entries(extra).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  for (let index = 0; index < keys; index++) pieces.push(`"${index.toString(36)}":0`);
  return `{${pieces.join(',')}}`;
}

/** The `sid=...` pair of a sign-in answer, if it set one. */
export function sessionCookie(sent: Sent): string | undefined {
  return sent.setCookie.find((value) => value.startsWith('sid='))?.split(';')[0];
}
