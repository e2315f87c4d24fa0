import type { RecordedRequest } from './request-log.js';

/** The groups of routes `failNext` can target. */
export type RouteGroup = 'models' | 'responses' | 'files' | 'vector_stores' | 'vector_store_files';

export const ROUTE_GROUPS: readonly RouteGroup[] = [
  'models',
  'responses',
  'files',
  'vector_stores',
  'vector_store_files',
];

/** Faults that replace the whole answer; they apply to any route. */
export type RequestFault =
  /** 401 `invalid_api_key`. */
  | { kind: 'invalid_api_key' }
  /** 429 `rate_limit_exceeded` with a `Retry-After` header (default 1 s). */
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  /** 429 with type and code `insufficient_quota` (no `Retry-After`: waiting does not help). */
  | { kind: 'insufficient_quota' }
  /** 500 `server_error`. */
  | { kind: 'server_error' }
  /** Any other status with an OpenAI error body. */
  | {
      kind: 'http_error';
      status: number;
      error?: { message?: string; type?: string; param?: string | null; code?: string | null };
      headers?: Record<string, string>;
    }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Destroy the socket before any headers. */
  | { kind: 'drop' };

/** Faults in the middle of a reply, after `afterDeltas` text deltas. */
export type StreamFault =
  /** Destroy the socket mid-stream: no terminal event. */
  | { kind: 'cut'; afterDeltas: number }
  /** Stop sending but keep the connection open. */
  | { kind: 'stall'; afterDeltas: number }
  /**
   * An `error` event, then the stream ends. `nested` (default) is what the real API sends:
   * `{type: "error", error: {type, code, message, param}}`; `flat` is the spec's
   * ResponseErrorEvent `{type: "error", code, message, param}`. The SDK throws on the first
   * and yields the second as an ordinary event.
   */
  | {
      kind: 'error_event';
      afterDeltas: number;
      error?: { type?: string; code?: string | null; message?: string; param?: string | null };
      shape?: 'nested' | 'flat';
    }
  /** `response.failed` with `response.error { code, message }`. */
  | { kind: 'failed'; afterDeltas: number; error?: { code?: string; message?: string } }
  /** `response.incomplete` with `incomplete_details.reason`. */
  | { kind: 'incomplete'; afterDeltas: number; reason?: 'max_output_tokens' | 'content_filter' };

export type Fault = RequestFault | StreamFault;

const STREAM_FAULT_KINDS = new Set<Fault['kind']>(['cut', 'stall', 'error_event', 'failed', 'incomplete']);
const REQUEST_FAULT_KINDS = new Set<Fault['kind']>([
  'invalid_api_key',
  'rate_limit',
  'insufficient_quota',
  'server_error',
  'http_error',
  'hang',
  'drop',
]);

export function isStreamFault(fault: Fault): fault is StreamFault {
  return STREAM_FAULT_KINDS.has(fault.kind);
}

/** For faults that arrive as JSON (the control routes). */
export function isKnownFault(value: unknown): value is Fault {
  const kind = (value as { kind?: unknown } | null)?.kind as Fault['kind'];
  return STREAM_FAULT_KINDS.has(kind) || REQUEST_FAULT_KINDS.has(kind);
}

export interface Citation {
  file_id: string;
  filename: string;
  /** Character offset in the reply text the citation belongs to. */
  index: number;
}

/** How the fake answers one `POST /v1/responses`. */
export interface ResponseScript {
  text?: string;
  /** Exact deltas; their concatenation is the text. Wins over `text`. */
  deltas?: string[];
  /** Number of generated deltas when neither `text` nor `deltas` is given. */
  tokens?: number;
  deltaDelayMs?: number;
  /** Delay before the first delta; defaults to `deltaDelayMs`. */
  firstDeltaDelayMs?: number;
  usage?: { input_tokens: number; output_tokens: number };
  fileSearch?: { queries: string[] };
  citations?: Citation[];
  fault?: Fault;
}

/** The JSON body of `POST /v1/responses`, as far as the fake reads it. */
export interface ResponseRequestBody {
  model?: string;
  input?: unknown;
  instructions?: string | null;
  stream?: boolean | null;
  [field: string]: unknown;
}

/** Picks a script for a request (e.g. by model or input); `undefined` falls through to the queue. */
export type Responder = (body: ResponseRequestBody, request: RecordedRequest) => ResponseScript | undefined;

/** Where the scripts for `POST /v1/responses` come from: responder, then FIFO queue, then default. */
export class ScriptBook {
  private readonly queue: ResponseScript[] = [];
  private defaultScript: ResponseScript = {};
  private responder: Responder | undefined;

  enqueue(scripts: ResponseScript[]): void {
    this.queue.push(...scripts);
  }

  setDefault(script: ResponseScript | undefined): void {
    this.defaultScript = script ?? {};
  }

  setResponder(responder: Responder | undefined): void {
    this.responder = responder;
  }

  get pending(): number {
    return this.queue.length;
  }

  next(body: ResponseRequestBody, request: RecordedRequest): ResponseScript {
    return this.responder?.(body, request) ?? this.queue.shift() ?? this.defaultScript;
  }

  reset(): void {
    this.queue.length = 0;
    this.defaultScript = {};
    this.responder = undefined;
  }
}

/** Faults armed with `failNext`, consumed one per request to the route group. */
export class FaultQueue {
  private readonly armed = new Map<RouteGroup, Fault[]>();

  add(group: RouteGroup, fault: Fault, times: number): void {
    const faults = this.armed.get(group) ?? [];
    for (let i = 0; i < times; i++) faults.push(fault);
    this.armed.set(group, faults);
  }

  take(group: RouteGroup): Fault | undefined {
    return this.armed.get(group)?.shift();
  }

  reset(): void {
    this.armed.clear();
  }
}
