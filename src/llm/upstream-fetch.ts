import http from 'node:http';
import https from 'node:https';

/**
 * The `fetch` the OpenAI SDK is given. JSON POSTs (model calls, vector-store
 * and file attachments) go over Node's own HTTP client with a keep-alive pool;
 * everything else (uploads, downloads, GETs, DELETEs) goes to the platform's
 * `fetch`.
 *
 * Why not fetch for the model calls: a streamed reply read through fetch
 * holds a Request, a Response, Headers and a chain of web streams for as long
 * as it lasts, and every network read passes through them. Measured with
 * 1,000 replies open at once, fetch held 37 KB of heap per reply and Node's
 * client 8 KB; reading a fast reply cost about a fifth less CPU. So an event
 * stream (2xx `text/event-stream`) is handed over as Node's response stream
 * (`streamedBody`), and any other answer is read whole, up to
 * MAX_BUFFERED_BYTES, into an ordinary Response for the SDK to parse.
 *
 * The contract is fetch's: a connection that fails rejects with a TypeError
 * ("fetch failed"), the caller's signal rejects or ends the body with an
 * AbortError, a body cut short ends with a TypeError ("terminated"). The
 * errors are made in this module's realm, so `instanceof Error` holds for
 * the SDK wherever it runs.
 */

/** A non-streamed answer to a POST is at most this big (the largest is a finished response object). */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/** How long a finished stream's remaining bytes may take to arrive before its connection is closed instead of kept. */
const DRAIN_MS = 1_000;

const STREAM = Symbol('upstreamStream');

type StreamingResponse = Response & { [STREAM]?: AsyncIterable<Uint8Array> };

/** The body of a response, as Node's stream for an event stream from this fetch, else the web stream. */
export function streamedBody(response: Response): AsyncIterable<Uint8Array> | null {
  return (response as StreamingResponse)[STREAM] ?? (response.body as unknown as AsyncIterable<Uint8Array> | null);
}

function abortError(): Error {
  const error = new Error('This operation was aborted');
  error.name = 'AbortError';
  return error;
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function terminated(cause: unknown): TypeError {
  return new TypeError('terminated', { cause });
}

function isAbortError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function responseHeaders(message: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  return headers;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createUpstreamFetch(fallback: typeof fetch = fetch): typeof fetch {
  const clients: Record<string, Client | undefined> = {
    'http:': { request: http.request, agent: new http.Agent({ keepAlive: true, scheduling: 'lifo' }) },
    'https:': { request: https.request, agent: new https.Agent({ keepAlive: true, scheduling: 'lifo' }) },
  };
  return (input, init) => {
    const body = init?.body;
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
    const client = url ? clients[url.protocol] : undefined;
    if (init?.method !== 'POST' || typeof body !== 'string' || !url || !client) return fallback(input, init);
    return send(client, url, init, body);
  };
}

/** Node's client for one protocol, with its keep-alive pool. */
interface Client {
  request: typeof http.request;
  agent: http.Agent;
}

function send(client: Client, url: URL, init: RequestInit, body: string): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError());
  const headers = headerRecord(init.headers);
  headers['content-length'] = String(Buffer.byteLength(body));
  const request = client.request(url, { method: 'POST', agent: client.agent, headers });
  request.end(body);
  return answerOf(request, signal);
}

/** The answer to a sent request (kept apart from `send`, so a long stream does not keep the request's body alive). */
function answerOf(request: http.ClientRequest, signal: AbortSignal | undefined): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    let answer: http.IncomingMessage | undefined;
    const onAbort = () => {
      const error = abortError();
      if (answer) answer.destroy(error);
      else request.destroy(error);
    };
    const release = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      if (answer) return;
      release();
      reject(isAbortError(error) ? error : fetchFailed(error));
    });
    request.once('response', (message) => {
      answer = message;
      // Its errors reach whoever reads it; one that comes while nobody reads (draining, aborted unread) must not go unheard.
      message.on('error', () => undefined);
      const status = message.statusCode ?? 502;
      const init = { status, statusText: message.statusMessage ?? '', headers: responseHeaders(message) };
      const type = message.headers['content-type'] ?? '';
      if (status >= 200 && status < 300 && type.startsWith('text/event-stream')) {
        const response = new Response(null, init) as StreamingResponse;
        response[STREAM] = readStream(message, release);
        resolve(response);
        return;
      }
      readWhole(message).then(
        (bytes) => {
          release();
          resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : bytes, init));
        },
        (error: unknown) => {
          release();
          reject(isAbortError(error) ? error : terminated(error));
        },
      );
    });
  });
}

async function readWhole(message: http.IncomingMessage): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of message as AsyncIterable<Buffer>) {
    size += piece.length;
    if (size > MAX_BUFFERED_BYTES) {
      message.destroy();
      throw new Error(`the answer is larger than ${MAX_BUFFERED_BYTES} bytes`);
    }
    pieces.push(piece);
  }
  return Buffer.concat(pieces, size);
}

/**
 * The event stream's chunks. A reader that stops before the end (it has the
 * terminal event) leaves the rest to arrive and the connection to return to
 * the pool; one that does not arrive soon is closed.
 */
async function* readStream(message: http.IncomingMessage, release: () => void): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of message.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    throw isAbortError(error) ? error : terminated(error);
  } finally {
    if (message.complete || message.destroyed) release();
    else {
      const timer = setTimeout(() => message.destroy(), DRAIN_MS);
      message.once('close', () => {
        clearTimeout(timer);
        release();
      });
      message.resume();
    }
  }
}
