import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlApi, CONTROL_PREFIX } from './control-api.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import { OpenAIApi } from './openai-api.js';
import { ApiKeyPolicy } from './request-faults.js';
import { RequestHolds, type HeldRequest } from './request-holds.js';
import { RequestLog, type RecordedRequest, type RequestPredicate } from './request-log.js';
import { RequestSchemaValidator, type SchemaViolation } from './schema-validator.js';
import {
  FaultQueue,
  isStreamFault,
  ScriptBook,
  type Fault,
  type RequestFault,
  type Responder,
  type ResponseScript,
  type RouteGroup,
} from './scripting.js';
import { OpenAIStores, type FileProcessingOptions, type StoredFile, type StoredVectorStore } from './stores.js';

export interface FakeOpenAIOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Keep request bodies in `requests` (default true); turn off for large runs. */
  recordBodies?: boolean;
  /** Oldest requests are dropped beyond this many (default 10,000). */
  maxRecordedRequests?: number;
  /** Ids served by /v1/models. */
  models?: string[];
}

export const DEFAULT_MODELS = [
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-5',
  'gpt-5-mini',
  'text-embedding-3-small',
];
const DEFAULT_MAX_RECORDED_REQUESTS = 10_000;
const DEFAULT_WAIT_MS = 2_000;
/** Lets a benchmark open a thousand connections at once. */
const LISTEN_BACKLOG = 4_096;

/** A real HTTP server speaking the OpenAI wire format, scripted in-process or over /__fake. */
export class FakeOpenAI {
  private readonly scripts = new ScriptBook();
  private readonly faults = new FaultQueue();
  private readonly holds = new RequestHolds();
  private readonly keys = new ApiKeyPolicy();
  private readonly stores = new OpenAIStores();
  private readonly violations: SchemaViolation[] = [];
  private readonly log: RequestLog;
  private readonly openAIApi: OpenAIApi;
  private readonly controlApi = new ControlApi(this);
  /** One per request in flight; aborted when its client goes away or the fake stops. */
  private readonly inFlight = new Set<AbortController>();
  private stopping = false;
  private address = { host: '', port: 0 };

  private constructor(
    private readonly server: Server,
    options: FakeOpenAIOptions,
  ) {
    this.log = new RequestLog({
      recordBodies: options.recordBodies ?? true,
      maxRecorded: options.maxRecordedRequests ?? DEFAULT_MAX_RECORDED_REQUESTS,
    });
    this.openAIApi = new OpenAIApi({
      scripts: this.scripts,
      faults: this.faults,
      holds: this.holds,
      keys: this.keys,
      stores: this.stores,
      validator: RequestSchemaValidator.shared(),
      violations: this.violations,
      models: options.models ?? DEFAULT_MODELS,
    });
  }

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    const server = createServer();
    const fake = new FakeOpenAI(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.dispatch(req, res).catch((error: unknown) => fake.answerUnexpected(res, error));
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: options.port ?? 0, host, backlog: LISTEN_BACKLOG }, () => resolve());
    });
    fake.address = { host, port: (server.address() as AddressInfo).port };
    return fake;
  }

  /** `http://127.0.0.1:PORT/v1`, the SDK's `baseURL`. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** `http://127.0.0.1:PORT/__fake`, the control routes for a fake in another process. */
  get controlUrl(): string {
    return `${this.origin}${CONTROL_PREFIX}`;
  }

  get port(): number {
    return this.address.port;
  }

  private get origin(): string {
    return `http://${this.address.host}:${this.address.port}`;
  }

  // ---- scripting

  /** Queues scripts consumed in order by `POST /v1/responses`. */
  enqueueResponse(...scripts: ResponseScript[]): void {
    this.scripts.enqueue(scripts);
  }

  /** The script used when the responder and the queue have nothing (undefined = built-in reply). */
  setDefaultResponse(script: ResponseScript | undefined): void {
    this.scripts.setDefault(script);
  }

  /** Consulted before the queue; answering undefined falls through to it. */
  setResponder(responder: Responder | undefined): void {
    this.scripts.setResponder(responder);
  }

  /** The next `times` requests to the route group fail with the fault (stream faults: responses only). */
  failNext(route: 'responses', fault: Fault, times?: number): void;
  failNext(route: RouteGroup, fault: RequestFault, times?: number): void;
  failNext(route: RouteGroup, fault: Fault, times = 1): void {
    if (isStreamFault(fault) && route !== 'responses') {
      throw new Error(`fake OpenAI: the stream fault '${fault.kind}' only applies to responses, not ${route}`);
    }
    this.faults.add(route, fault, times);
  }

  /**
   * Keeps the next request to the route group waiting, before the fake acts on
   * it, until `release()`: a test can then change things on the platform while
   * that request is in flight.
   */
  holdNext(route: RouteGroup): HeldRequest {
    return this.holds.add(route);
  }

  /** Applies to files attached to vector stores from now on. */
  setFileProcessing(options: FileProcessingOptions): void {
    this.stores.setFileProcessing(options);
  }

  rejectKey(key: string): void {
    this.keys.reject(key);
  }

  // ---- inspection

  get requests(): readonly RecordedRequest[] {
    return this.log.all;
  }

  /** E.g. `requestsTo('POST', '/v1/responses')`. */
  requestsTo(method: string, pathPrefix: string): RecordedRequest[] {
    return this.log.to(method, pathPrefix);
  }

  /** Resolves with the first recorded request matching, now or within `timeoutMs`. */
  waitFor(predicate: RequestPredicate, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return this.log.waitFor(predicate, timeoutMs);
  }

  get schemaViolations(): readonly SchemaViolation[] {
    return this.violations;
  }

  assertNoSchemaViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((violation) => {
      const details = violation.details.slice(0, 5).map((detail) => `${detail.param || '(body)'} ${detail.message}`);
      return `- ${violation.method} ${violation.path} (${violation.operationId}): ${details.join('; ')}`;
    });
    const count = this.violations.length;
    throw new Error(`fake OpenAI received ${count} request(s) the OpenAI spec rejects:\n${lines.join('\n')}`);
  }

  get files(): ReadonlyMap<string, StoredFile> {
    return this.stores.files;
  }

  get vectorStores(): ReadonlyMap<string, StoredVectorStore> {
    return this.stores.vectorStores;
  }

  /** Forgets scripts, faults, holds (held requests go through), rejected keys, recorded requests, violations and stored objects. */
  reset(): void {
    this.scripts.reset();
    this.faults.reset();
    this.holds.reset();
    this.keys.reset();
    this.stores.reset();
    this.log.clear();
    this.violations.length = 0;
  }

  /** Stops listening and closes every connection, hanging and streaming ones included. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const request of this.inFlight) request.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // ---- request handling

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const rawBody = await readBody(req);
    if (rawBody === undefined) return;
    const { body, malformed } = parseBody(rawBody, req.headers['content-type']);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      await this.controlApi.handle(req, res, url, body);
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const recorded = this.log.record({ method, path: url.pathname, query, headers: req.headers, body });
    const { signal, closingByFake } = this.watchConnection(res, recorded);
    await this.openAIApi.handle({
      req,
      res,
      recorded,
      path: url.pathname,
      query,
      body,
      bodyIsMalformed: malformed,
      signal,
      closingByFake,
    });
  }

  /**
   * Records how the exchange ended once the connection closes, and aborts the work still going
   * on for it. The client aborted if the answer was unfinished and neither the fake (a cut or a
   * drop) nor `stop()` closed it.
   */
  private watchConnection(res: ServerResponse, recorded: RecordedRequest) {
    const inFlight = new AbortController();
    let closedByFake = false;
    this.inFlight.add(inFlight);
    res.on('close', () => {
      this.inFlight.delete(inFlight);
      recorded.endedAt = Date.now();
      if (res.headersSent) recorded.status = res.statusCode;
      recorded.aborted = !res.writableEnded && !closedByFake && !this.stopping;
      inFlight.abort();
      this.log.updated(recorded);
    });
    const closingByFake = () => {
      closedByFake = true;
    };
    return { signal: inFlight.signal, closingByFake };
  }

  /** A bug in the fake: answer 500 with the message so the failing test shows it. */
  private answerUnexpected(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = `fake OpenAI failed: ${error instanceof Error ? error.stack : String(error)}`;
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } }));
  }
}

/** The whole request body, or undefined when the client went away while sending it. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string | undefined): { body: unknown; malformed: boolean } {
  if (raw.length === 0) return { body: undefined, malformed: false };
  const boundary = multipartBoundary(contentType);
  try {
    if (boundary) return { body: parseMultipart(raw, boundary), malformed: false };
    const text = raw.toString('utf8');
    if (contentType?.includes('json')) return { body: JSON.parse(text), malformed: false };
    return { body: text, malformed: false };
  } catch {
    return { body: raw.toString('utf8'), malformed: true };
  }
}
