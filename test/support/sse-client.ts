export interface SseEvent {
  id: string | undefined;
  event: string;
  data: any;
  receivedAt: number;
}

export interface SseResult {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Raw text of comment lines (heartbeats). */
  comments: string[];
  /** The JSON body, when the answer was not a stream. */
  body?: any;
}

export interface SseOptions {
  cookie: string;
  body: unknown;
  /** Abort the request once this returns true for an event. */
  abortWhen?: (event: SseEvent, events: SseEvent[]) => boolean;
  headers?: Record<string, string>;
}

/** POSTs and reads a Server-Sent Events answer as the browser would (fetch + stream). */
export async function postSse(url: string, options: SseOptions): Promise<SseResult> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', cookie: options.cookie, ...options.headers },
    body: JSON.stringify(options.body),
    signal: controller.signal,
  });
  return readSse(response, controller, options);
}

export interface SseGetOptions {
  cookie: string;
  /** Sent as the Last-Event-ID header. */
  lastEventId?: string;
  abortWhen?: (event: SseEvent, events: SseEvent[]) => boolean;
  /** Called once the response headers arrived (the stream is attached). */
  onOpen?: (status: number) => void;
}

/** GETs a Server-Sent Events stream (as EventSource would, with Last-Event-ID when given) and reads it to its end. */
export async function getSse(url: string, options: SseGetOptions): Promise<SseResult> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', cookie: options.cookie };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  options.onOpen?.(response.status);
  return readSse(response, controller, options);
}

async function readSse(response: Response, controller: AbortController, options: { abortWhen?: SseOptions['abortWhen'] }): Promise<SseResult> {
  const result: SseResult = { status: response.status, headers: response.headers, events: [], comments: [] };
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const text = await response.text();
    result.body = text ? JSON.parse(text) : undefined;
    return result;
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const parsed = parseFrame(frame);
        if (!parsed) continue;
        if ('comment' in parsed) {
          result.comments.push(parsed.comment);
          continue;
        }
        result.events.push(parsed);
        if (options.abortWhen?.(parsed, result.events)) {
          controller.abort();
          return result;
        }
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return result;
}

function parseFrame(frame: string): SseEvent | { comment: string } | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  const comments: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id:')) id = line.slice(3).trim();
    else if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return comments.length > 0 ? { comment: comments.join('\n') } : undefined;
  return { id, event, data: JSON.parse(data.join('\n')), receivedAt: Date.now() };
}

export function tokensOf(events: SseEvent[]): string {
  return events
    .filter((event) => event.event === 'token')
    .map((event) => event.data.delta as string)
    .join('');
}
