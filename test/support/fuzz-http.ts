import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * A raw HTTP client for fuzzing: it sends exactly the bytes it is given (no
 * JSON encoding, no header normalisation beyond what node:http insists on),
 * reads the whole answer, and fails loudly when no answer comes in time.
 */

export interface FuzzRequest {
  method: string;
  /** Request target as sent on the wire: path plus query, already encoded. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** A hang is a failure: no complete answer within this many milliseconds. */
  timeoutMs?: number;
}

export interface FuzzResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body when it was JSON, else undefined. */
  json: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Ends the keep-alive sockets, so that the test's open handles close. */
export function closeFuzzAgent(): void {
  agent.destroy();
}

export function send(baseUrl: string, input: FuzzRequest): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  const timeoutMs = input.timeoutMs ?? 15_000;
  const body = input.body === undefined ? undefined : Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body, 'utf8');
  const headers: Record<string, string | string[]> = { ...input.headers };
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  const chunked = Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'transfer-encoding' && String(value).includes('chunked'));
  if (body !== undefined && !hasLength && !chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`no complete answer within ${timeoutMs} ms to ${input.method} ${input.path.slice(0, 200)}`)),
      timeoutMs,
    );
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: input.method, path: input.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (/\bjson\b/i.test(String(res.headers['content-type'] ?? ''))) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const ENVELOPE_KEYS = new Set(['error', 'code', 'details', 'requestId']);

/** Why an answer breaks the error contract, or undefined when it keeps it. */
export function contractViolation(response: FuzzResponse, method = 'GET'): string | undefined {
  const { status } = response;
  if (status >= 500) return `server error ${status}: ${response.text.slice(0, 300)}`;
  if (status < 100) return `no status (${status})`;
  const contentType = String(response.headers['content-type'] ?? '');
  if (status >= 400) {
    if (method === 'HEAD') return undefined;
    if (!/^application\/json\b/i.test(contentType)) return `${status} answered as "${contentType}", not the JSON envelope: ${response.text.slice(0, 200)}`;
    return envelopeViolation(response.json);
  }
  if (/^application\/json\b/i.test(contentType) && method !== 'HEAD') {
    if (response.json === undefined) return `${status} says JSON but the body does not parse: ${response.text.slice(0, 200)}`;
    const body = response.json as Record<string, unknown> | null;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      if ('statusCode' in body) return `${status} carries a framework error body: ${response.text.slice(0, 200)}`;
      if (typeof body.error === 'string' && typeof body.code === 'string') return `${status} carries an error envelope: ${response.text.slice(0, 200)}`;
    }
  }
  if (/^text\/event-stream\b/i.test(contentType)) return streamViolation(response.text);
  return undefined;
}

/** Why a value is not OpenAI's error body `{error: {message, type, param, code}}` (the /v1 routes' envelope), or undefined. */
function openAiEnvelopeViolation(body: Record<string, unknown>): string | undefined {
  const error = body.error as Record<string, unknown>;
  if (Object.keys(body).length !== 1) return `OpenAI error body has extra keys: ${JSON.stringify(body).slice(0, 200)}`;
  if (typeof error.message !== 'string' || error.message.length === 0) return `OpenAI error body without a message: ${JSON.stringify(body).slice(0, 200)}`;
  if (typeof error.type !== 'string' || !(error.param === null || typeof error.param === 'string')) return `OpenAI error body without type or param: ${JSON.stringify(body).slice(0, 200)}`;
  if (typeof error.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(error.code)) return `OpenAI error body without a machine code: ${JSON.stringify(body).slice(0, 200)}`;
  if (/\bat [^\s]+ \(|node_modules|\/src\//.test(error.message)) return `error body leaks a stack trace: ${error.message.slice(0, 200)}`;
  return undefined;
}

/** Why a value is not `{error: string, code: string, details?: array}` (or, from /v1, OpenAI's error body), or undefined. */
export function envelopeViolation(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `not an envelope object: ${JSON.stringify(body)?.slice(0, 200)}`;
  const envelope = body as Record<string, unknown>;
  if (envelope.error && typeof envelope.error === 'object' && !Array.isArray(envelope.error)) return openAiEnvelopeViolation(envelope);
  const extra = Object.keys(envelope).filter((key) => !ENVELOPE_KEYS.has(key));
  if (extra.length > 0) return `envelope has extra keys ${extra.join(', ')}`;
  if (typeof envelope.error !== 'string' || envelope.error.length === 0) return `envelope without an error message: ${JSON.stringify(body).slice(0, 200)}`;
  if (typeof envelope.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(envelope.code)) return `envelope without a machine code: ${JSON.stringify(body).slice(0, 200)}`;
  if (envelope.details !== undefined) {
    if (!Array.isArray(envelope.details)) return 'envelope details is not an array';
    const bad = envelope.details.find((detail) => !detail || typeof detail !== 'object' || typeof (detail as { message?: unknown }).message !== 'string');
    if (bad !== undefined) return `envelope detail without a message: ${JSON.stringify(bad).slice(0, 200)}`;
  }
  if (/\bat [^\s]+ \(|node_modules|\/src\//.test(envelope.error)) return `envelope leaks a stack trace: ${envelope.error.slice(0, 200)}`;
  return undefined;
}

/** A streamed answer must end with `done`, and its `error` events carry `{error, code}`. */
function streamViolation(text: string): string | undefined {
  const events = text.split(/\r?\n\r?\n/).filter((block) => block.trim().length > 0);
  let sawDone = false;
  for (const block of events) {
    const event = /^event: ?(.*)$/m.exec(block)?.[1]?.trim();
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.replace(/^data: ?/, ''))
      .join('\n');
    if (event === 'done') sawDone = true;
    if (event === 'error') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return `stream error event is not JSON: ${data.slice(0, 200)}`;
      }
      const { error, code } = (parsed ?? {}) as { error?: unknown; code?: unknown };
      if (typeof error !== 'string' || typeof code !== 'string') return `stream error event without {error, code}: ${data.slice(0, 200)}`;
      if (code === 'internal_error') return `stream ended with an internal error: ${data.slice(0, 200)}`;
    }
  }
  if (events.length > 0 && !sawDone) return `stream ended without a done event: ${text.slice(-300)}`;
  return undefined;
}
