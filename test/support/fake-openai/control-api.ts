/**
 * The scripting API over HTTP, for a fake running in another process (benchmarks, browser tests).
 * No authentication: the fake only listens on localhost.
 *
 *   POST /__fake/responses          a script or an array of scripts to enqueue
 *   PUT  /__fake/default-response   a script, or null for the built-in reply
 *   POST /__fake/fail-next          { route, fault, times? }
 *   PUT  /__fake/file-processing    { after?, afterMs?, outcome?, lastError?, pollAfterMs? }
 *   POST /__fake/reject-key         { key }
 *   GET  /__fake/requests           ?method=POST&pathPrefix=/v1/responses
 *   GET  /__fake/schema-violations
 *   GET  /__fake/stores             files (without content) and vector stores
 *   POST /__fake/reset
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeOpenAI } from './fake-openai.js';
import type { RecordedRequest, UploadedFilePart } from './request-log.js';
import { isKnownFault, isStreamFault, ROUTE_GROUPS, type Fault, type ResponseScript, type RouteGroup } from './scripting.js';
import type { FileProcessingOptions } from './stores.js';
import { HttpError, invalidRequest, notFound, sendError, sendJson } from './wire.js';

export const CONTROL_PREFIX = '/__fake';

type ControlHandler = (body: unknown, url: URL) => unknown;

interface FailNextBody {
  route: RouteGroup;
  fault: Fault;
  times?: number;
}

export class ControlApi {
  private readonly handlers: Record<string, ControlHandler> = {
    'POST /responses': (body) => {
      const scripts = (Array.isArray(body) ? body : [body]).map(asScript);
      this.fake.enqueueResponse(...scripts);
      return { queued: scripts.length };
    },
    'PUT /default-response': (body) => {
      this.fake.setDefaultResponse(body === undefined || body === null ? undefined : asScript(body));
      return { ok: true };
    },
    'POST /fail-next': (body) => {
      const { route, fault, times = 1 } = asObject<FailNextBody>(body, 'fail-next');
      if (!ROUTE_GROUPS.includes(route)) {
        throw invalidRequest(400, `route must be one of ${ROUTE_GROUPS.join(', ')}`, 'route');
      }
      const parsedFault = asFault(fault);
      if (route === 'responses') {
        this.fake.failNext(route, parsedFault, times);
      } else if (isStreamFault(parsedFault)) {
        throw invalidRequest(400, `the stream fault '${parsedFault.kind}' only applies to responses`, 'fault');
      } else {
        this.fake.failNext(route, parsedFault, times);
      }
      return { ok: true };
    },
    'PUT /file-processing': (body) => {
      this.fake.setFileProcessing(asObject<FileProcessingOptions>(body, 'file processing options'));
      return { ok: true };
    },
    'POST /reject-key': (body) => {
      const { key } = asObject<{ key: string }>(body, 'reject-key');
      if (typeof key !== 'string') throw invalidRequest(400, 'key must be a string', 'key');
      this.fake.rejectKey(key);
      return { ok: true };
    },
    'GET /requests': (_, url) => {
      const method = url.searchParams.get('method');
      const pathPrefix = url.searchParams.get('pathPrefix') ?? '';
      const requests = method
        ? this.fake.requestsTo(method, pathPrefix)
        : this.fake.requests.filter((request) => request.path.startsWith(pathPrefix));
      return requests.map(serializableRequest);
    },
    'GET /schema-violations': () => this.fake.schemaViolations,
    'GET /stores': () => ({
      files: [...this.fake.files.values()].map(({ bytes, ...file }) => ({ ...file, size: bytes.length })),
      vectorStores: [...this.fake.vectorStores.values()].map(({ files, ...store }) => ({
        ...store,
        files: [...files.values()],
      })),
    }),
    'POST /reset': () => {
      this.fake.reset();
      return { ok: true };
    },
  };

  constructor(private readonly fake: FakeOpenAI) {}

  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): void {
    const handler = this.handlers[`${req.method} ${url.pathname.slice(CONTROL_PREFIX.length)}`];
    try {
      if (!handler) throw notFound(`Invalid URL (${req.method} ${url.pathname})`);
      sendJson(res, 200, handler(body, url));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendError(res, error);
    }
  }
}

function asObject<T>(value: unknown, what: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest(400, `expected a JSON object (${what})`);
  }
  return value as T;
}

function asScript(value: unknown): ResponseScript {
  const script = asObject<ResponseScript>(value, 'script');
  if (script.fault !== undefined) asFault(script.fault);
  return script;
}

function asFault(value: unknown): Fault {
  if (!isKnownFault(value)) throw invalidRequest(400, `unknown fault: ${JSON.stringify(value)}`, 'fault');
  return value;
}

/** Uploaded bytes travel as base64. */
function serializableRequest(request: RecordedRequest) {
  const body = request.body as { files?: UploadedFilePart[] } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.files)) return request;
  const files = body.files.map(({ bytes, ...part }) => ({
    ...part,
    size: bytes.length,
    base64: bytes.toString('base64'),
  }));
  return { ...request, body: { ...body, files } };
}
