import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One connection per stream; no cap on sockets (1,000 streams are held open at once). */
export const streamAgent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 2_000 });

export interface StreamOptions {
  url: string;
  /** POST this body as JSON; without one, a GET. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The event name that counts as a token (platform: "token"; OpenAI: "response.output_text.delta"). */
  tokenEvent: string;
  /** Keep the text of the deltas (costs a little CPU per token). */
  collectText?: boolean;
  /** Give up after this long (the stream is destroyed and reported unfinished). */
  timeoutMs?: number;
  /** Drop the connection (as a closed tab does) once this many tokens have arrived; the result is `dropped`. */
  dropAfterTokens?: number;
}

export interface StreamResult {
  status: number;
  /** Milliseconds from sending the request to the first token frame. */
  ttftMs: number | undefined;
  /** Milliseconds from sending the request to the end of the body. */
  totalMs: number;
  tokens: number;
  text: string;
  heartbeats: number;
  /** The platform's closing events. */
  done: boolean;
  completedMessage: { id: string; content: string; status: string } | undefined;
  errorEvent: { error: string; code: string } | undefined;
  /** Transport failure or non-2xx status. */
  failure: string | undefined;
  /** Wall-clock (performance.now) times of the heartbeats, for gap checks. */
  heartbeatTimes: number[];
  endedAt: number;
  /** The `id:` of the last frame that had one (the platform's offset into the reply). */
  lastEventId: string | undefined;
  /** Closed by the client after `dropAfterTokens` tokens. */
  dropped: boolean;
}

/**
 * A minimal Server-Sent Events client over node:http: times the first token
 * frame, counts tokens and heartbeat comments, and keeps the closing events.
 */
export function stream(options: StreamOptions): Promise<StreamResult> {
  const url = new URL(options.url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const result: StreamResult = {
    status: 0,
    ttftMs: undefined,
    totalMs: 0,
    tokens: 0,
    text: '',
    heartbeats: 0,
    done: false,
    completedMessage: undefined,
    errorEvent: undefined,
    failure: undefined,
    heartbeatTimes: [],
    endedAt: 0,
    lastEventId: undefined,
    dropped: false,
  };
  const tokenPrefix = `event: ${options.tokenEvent}\n`;
  return new Promise((resolve) => {
    let started = 0;
    let buffer = '';
    let settled = false;
    const finish = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.endedAt = performance.now();
      result.totalMs = result.endedAt - started;
      if (failure && !result.failure) result.failure = failure;
      resolve(result);
    };
    const handleFrame = (frame: string) => {
      if (frame.startsWith(':')) {
        result.heartbeats++;
        result.heartbeatTimes.push(performance.now());
        return;
      }
      // Frames look like "id: N\nevent: NAME\ndata: JSON" (the platform) or "event: NAME\ndata: JSON" (OpenAI).
      const eventAt = frame.indexOf('event: ');
      if (eventAt < 0) return;
      if (frame.startsWith('id: ')) result.lastEventId = frame.slice(4, frame.indexOf('\n'));
      if (frame.startsWith(tokenPrefix, eventAt)) {
        if (result.tokens === 0) result.ttftMs = performance.now() - started;
        result.tokens++;
        if (options.collectText) {
          const data = JSON.parse(frame.slice(frame.indexOf('data: ', eventAt) + 6)) as { delta: string };
          result.text += data.delta;
        }
        if (result.tokens === options.dropAfterTokens) {
          result.dropped = true;
          req.destroy();
          finish();
        }
        return;
      }
      const eventEnd = frame.indexOf('\n', eventAt);
      const event = frame.slice(eventAt + 7, eventEnd < 0 ? undefined : eventEnd);
      const dataAt = frame.indexOf('data: ', eventAt);
      if (event === 'done') result.done = true;
      else if (event === 'message_completed' && dataAt >= 0) {
        const data = JSON.parse(frame.slice(dataAt + 6)) as { message: { id: string; content: string; status: string } };
        result.completedMessage = { id: data.message.id, content: data.message.content, status: data.message.status };
      } else if (event === 'error' && dataAt >= 0) {
        result.errorEvent = JSON.parse(frame.slice(dataAt + 6)) as { error: string; code: string };
      } else if (event === 'response.completed') result.done = true;
    };

    const req = request(
      {
        method: payload === undefined ? 'GET' : 'POST',
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        agent: streamAgent,
        headers: {
          accept: 'text/event-stream',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...options.headers,
        },
      },
      (res) => {
        result.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        if (result.status < 200 || result.status >= 300) {
          let body = '';
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => finish(`HTTP ${result.status}: ${body.slice(0, 300)}`));
          res.on('error', (error) => finish(error.message));
          return;
        }
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let boundary = buffer.indexOf('\n\n');
          while (boundary >= 0 && !settled) {
            handleFrame(buffer.slice(0, boundary));
            buffer = buffer.slice(boundary + 2);
            boundary = buffer.indexOf('\n\n');
          }
        });
        res.on('end', () => finish());
        res.on('error', (error) => finish(error.message));
        res.on('close', () => finish(result.done ? undefined : 'closed before done'));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish('timeout');
    }, options.timeoutMs ?? 120_000);
    req.on('error', (error) => finish(error.message));
    started = performance.now();
    if (payload === undefined) req.end();
    else req.end(payload);
  });
}
