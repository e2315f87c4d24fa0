import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUpstreamFetch, MAX_BUFFERED_BYTES, streamedBody } from './upstream-fetch.js';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

let server: http.Server;
let handler: Handler;
let connections = 0;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (piece: string) => (body += piece));
    request.on('end', () => {
      (request as http.IncomingMessage & { text?: string }).text = body;
      handler(request, response);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  connections = 0;
});

const post = (init: RequestInit = {}): RequestInit => ({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' }, ...init });

function events(response: http.ServerResponse, count: number, end = true): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (let i = 0; i < count; i++) response.write(`data: {"n":${i}}\n\n`);
  if (end) response.end();
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('the upstream fetch', () => {
  it('hands an event stream over as Node stream chunks, with the request as sent', async () => {
    let seen: { method?: string; type?: string; length?: string; text?: string } = {};
    handler = (request, response) => {
      seen = { method: request.method, type: request.headers['content-type'], length: request.headers['content-length'], text: (request as { text?: string }).text };
      events(response, 3);
    };
    const response = await createUpstreamFetch()(`${base}/v1/responses`, post());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.body).toBeNull();
    expect(await readAll(streamedBody(response)!)).toBe('data: {"n":0}\n\ndata: {"n":1}\n\ndata: {"n":2}\n\n');
    expect(seen).toEqual({ method: 'POST', type: 'application/json', length: '7', text: '{"a":1}' });
  });

  it('keeps the connection for the next call, also when the reader stops before the end', async () => {
    handler = (_request, response) => events(response, 50);
    const upstream = createUpstreamFetch();
    for (let i = 0; i < 3; i++) {
      const response = await upstream(`${base}/v1/responses`, post());
      for await (const chunk of streamedBody(response)!) if (chunk.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(connections).toBe(1);
  });

  it('reads any other answer whole into an ordinary response', async () => {
    handler = (_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      response.end('{"error":{"message":"bad key"}}');
    };
    const response = await createUpstreamFetch()(`${base}/v1/responses`, post());
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(await response.json()).toEqual({ error: { message: 'bad key' } });
  });

  it(`refuses a whole answer over ${MAX_BUFFERED_BYTES} bytes`, async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(Buffer.alloc(MAX_BUFFERED_BYTES + 1, 0x20));
    };
    const error = await failureOf(createUpstreamFetch()(`${base}/v1/vector_stores`, post()));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
  });

  it('ends a whole answer cut short with a TypeError "terminated"', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"id":');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const error = await failureOf(createUpstreamFetch()(`${base}/v1/vector_stores`, post()));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
  });

  it('ends with an AbortError when the signal fires before the answer or while reading it', async () => {
    handler = (_request, response) => events(response, 1, false);
    const upstream = createUpstreamFetch();
    const early = new AbortController();
    const pending = upstream(`${base}/v1/responses`, post({ signal: early.signal }));
    early.abort();
    expect((await failureOf(pending)).name).toBe('AbortError');

    const late = new AbortController();
    const response = await upstream(`${base}/v1/responses`, post({ signal: late.signal }));
    const reading = readAll(streamedBody(response)!);
    setTimeout(() => late.abort(), 20);
    const error = await failureOf(reading);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AbortError');
  });

  it('ends a stream cut short with a TypeError "terminated"', async () => {
    handler = (_request, response) => {
      events(response, 2, false);
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const response = await createUpstreamFetch()(`${base}/v1/responses`, post());
    const error = await failureOf(readAll(streamedBody(response)!));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
  });

  it('rejects with a TypeError "fetch failed" when no connection can be made', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failureOf(createUpstreamFetch()(`http://127.0.0.1:${port}/v1/responses`, post()));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
  });

  it('leaves uploads, downloads and other methods to the platform fetch', async () => {
    const calls: string[] = [];
    const fallback = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return new Response('{}');
    }) as typeof fetch;
    const upstream = createUpstreamFetch(fallback);
    await upstream(`${base}/v1/models`, { method: 'GET' });
    await upstream(`${base}/v1/files/f`, { method: 'DELETE' });
    await upstream(`${base}/v1/files`, { method: 'POST', body: new FormData() });
    expect(calls).toEqual([`GET ${base}/v1/models`, `DELETE ${base}/v1/files/f`, `POST ${base}/v1/files`]);
    expect(connections).toBe(0);
  });
});
