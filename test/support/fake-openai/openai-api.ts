/** The OpenAI endpoints the fake implements, under /v1. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  deletedObject,
  fileObject,
  listPage,
  modelObject,
  vectorStoreFileObject,
  vectorStoreObject,
} from './openai-objects.js';
import { planReply, type ReplyPlan } from './reply-plan.js';
import { applyRequestFault, type ApiKeyPolicy } from './request-faults.js';
import type { RequestHolds } from './request-holds.js';
import type { MultipartBody, RecordedRequest } from './request-log.js';
import { finishedResponse } from './response-objects.js';
import { responseStreamSteps } from './response-events.js';
import {
  violationError,
  type RequestSchemaValidator,
  type SchemaViolation,
  type ValidatedOperation,
  type ViolationDetail,
} from './schema-validator.js';
import {
  isStreamFault,
  type FaultQueue,
  type ResponseRequestBody,
  type RouteGroup,
  type ScriptBook,
  type StreamFault,
} from './scripting.js';
import { cutConnection, untilAborted, writeEventStream } from './sse-writer.js';
import type { OpenAIStores, StoredVectorStore } from './stores.js';
import {
  HttpError,
  invalidRequest,
  notFound,
  sendError,
  sendJson,
  SERVER_ERROR_MESSAGE,
  standardHeaders,
} from './wire.js';

const FILES_DEFAULT_LIMIT = 10_000;
const VECTOR_STORES_DEFAULT_LIMIT = 20;
const MISSING_MODEL: ViolationDetail = {
  param: 'model',
  keyword: 'required',
  message: "must have required property 'model'",
};

interface CreateVectorStoreBody {
  name?: string;
  metadata?: Record<string, string> | null;
  expires_after?: unknown;
  file_ids?: string[];
  chunking_strategy?: unknown;
}

interface CreateVectorStoreFileBody {
  file_id: string;
  attributes?: Record<string, unknown> | null;
  chunking_strategy?: unknown;
}

/** One request on its way through the fake. */
export interface ApiContext {
  req: IncomingMessage;
  res: ServerResponse;
  recorded: RecordedRequest;
  path: string;
  query: Record<string, string>;
  /** The parsed body, available even when bodies are not recorded. */
  body: unknown;
  bodyIsMalformed: boolean;
  /** Aborts when the client disconnects or the fake stops. */
  signal: AbortSignal;
  /** Marks the coming connection close as the fake's own doing (not a client abort). */
  closingByFake(): void;
}

interface Route {
  method: string;
  pattern: RegExp;
  group: RouteGroup;
  handle(context: ApiContext, params: string[], streamFault: StreamFault | undefined): void | Promise<void>;
}

/** A route for a path written as in the spec: `/v1/files/{file_id}`. */
function route(method: string, path: string, group: RouteGroup, handle: Route['handle']): Route {
  const pattern = new RegExp(`^${path.replace(/\{[a-z_]+\}/g, '([^/]+)')}$`);
  return { method, pattern, group, handle };
}

export interface OpenAIApiDependencies {
  scripts: ScriptBook;
  faults: FaultQueue;
  holds: RequestHolds;
  keys: ApiKeyPolicy;
  stores: OpenAIStores;
  validator: RequestSchemaValidator;
  violations: SchemaViolation[];
  models: readonly string[];
}

export class OpenAIApi {
  private readonly routes: Route[] = [
    route('GET', '/v1/models', 'models', (context) => this.listModels(context)),
    route('GET', '/v1/models/{model}', 'models', (context, [model]) => this.retrieveModel(context, model)),
    route('POST', '/v1/responses', 'responses', (context, _, fault) => this.createResponse(context, fault)),
    route('POST', '/v1/files', 'files', (context) => this.createFile(context)),
    route('GET', '/v1/files', 'files', (context) => this.listFiles(context)),
    route('GET', '/v1/files/{file_id}', 'files', (context, [fileId]) => this.retrieveFile(context, fileId)),
    route('DELETE', '/v1/files/{file_id}', 'files', (context, [fileId]) => this.deleteFile(context, fileId)),
    route('GET', '/v1/files/{file_id}/content', 'files', (context, [fileId]) => this.fileContent(context, fileId)),
    route('POST', '/v1/vector_stores', 'vector_stores', (context) => this.createVectorStore(context)),
    route('GET', '/v1/vector_stores', 'vector_stores', (context) => this.listVectorStores(context)),
    route('GET', '/v1/vector_stores/{vector_store_id}', 'vector_stores', (context, [storeId]) =>
      this.retrieveVectorStore(context, storeId),
    ),
    route('DELETE', '/v1/vector_stores/{vector_store_id}', 'vector_stores', (context, [storeId]) =>
      this.deleteVectorStore(context, storeId),
    ),
    route('POST', '/v1/vector_stores/{vector_store_id}/files', 'vector_store_files', (context, [storeId]) =>
      this.createVectorStoreFile(context, storeId),
    ),
    route('GET', '/v1/vector_stores/{vector_store_id}/files', 'vector_store_files', (context, [storeId]) =>
      this.listVectorStoreFiles(context, storeId),
    ),
    route('GET', '/v1/vector_stores/{vector_store_id}/files/{file_id}', 'vector_store_files', (context, params) =>
      this.retrieveVectorStoreFile(context, params[0], params[1]),
    ),
    route('DELETE', '/v1/vector_stores/{vector_store_id}/files/{file_id}', 'vector_store_files', (context, params) =>
      this.deleteVectorStoreFile(context, params[0], params[1]),
    ),
  ];

  constructor(private readonly deps: OpenAIApiDependencies) {}

  async handle(context: ApiContext): Promise<void> {
    try {
      const authError = this.deps.keys.check(context.req.headers.authorization);
      if (authError) throw authError;
      const method = context.req.method ?? 'GET';
      const match = this.match(method, context.path);
      if (!match) throw notFound(`Invalid URL (${method} ${context.path})`);
      if (!(await this.deps.holds.pass(match.route.group, context.recorded, context.signal))) return;
      const fault = this.deps.faults.take(match.route.group);
      if (fault && !isStreamFault(fault)) {
        applyRequestFault(context.res, fault, context.closingByFake);
        return;
      }
      await match.route.handle(context, match.params, fault);
    } catch (error) {
      if (!(error instanceof HttpError) || context.res.headersSent) throw error;
      sendError(context.res, error);
    }
  }

  private match(method: string, path: string) {
    for (const route of this.routes) {
      const found = route.method === method ? route.pattern.exec(path) : null;
      if (found) return { route, params: found.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  }

  // ---- models

  private listModels({ res }: ApiContext) {
    sendJson(res, 200, { object: 'list', data: this.deps.models.map(modelObject) });
  }

  private retrieveModel({ res }: ApiContext, model: string) {
    if (!this.deps.models.includes(model)) {
      throw invalidRequest(404, `The model '${model}' does not exist`, 'model', 'model_not_found');
    }
    sendJson(res, 200, modelObject(model));
  }

  // ---- responses

  private async createResponse(context: ApiContext, failNextFault: StreamFault | undefined) {
    const body = this.validJsonBody<ResponseRequestBody>(context, 'createResponse');
    if (typeof body.model !== 'string') {
      // Not in the schema (prompt templates may carry the model), but the API requires it otherwise.
      this.reject(context, 'createResponse', [MISSING_MODEL]);
    }
    // Before a script is taken: a request the API refuses does not use one up.
    for (const fileId of referencedFileIds(body.input)) this.deps.stores.liveFile(fileId);
    const script = this.deps.scripts.next(body, context.recorded);
    const fault = failNextFault ?? script.fault;
    if (fault && !isStreamFault(fault)) {
      applyRequestFault(context.res, fault, context.closingByFake);
      return;
    }
    const plan = planReply(script, body, fault);
    if (body.stream === true) {
      await writeEventStream(context.res, responseStreamSteps(plan), {
        firstDeltaDelayMs: plan.firstDeltaDelayMs,
        deltaDelayMs: plan.deltaDelayMs,
        signal: context.signal,
        closingByFake: context.closingByFake,
      });
    } else {
      await this.answerNonStreamed(context, plan);
    }
  }

  private async answerNonStreamed(context: ApiContext, plan: ReplyPlan) {
    const fault = plan.streamFault;
    if (fault?.kind === 'error_event') {
      throw new HttpError(500, {
        type: fault.error?.type ?? 'server_error',
        code: fault.error?.code ?? 'server_error',
        message: fault.error?.message ?? SERVER_ERROR_MESSAGE,
        param: fault.error?.param ?? null,
      });
    }
    if (fault?.kind !== 'cut' && fault?.kind !== 'stall') {
      sendJson(context.res, 200, finishedResponse(plan));
      return;
    }
    // The body breaks off halfway: cut closes the connection, stall leaves it open.
    const payload = JSON.stringify(finishedResponse(plan));
    context.res.writeHead(200, {
      ...standardHeaders(),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    });
    const firstHalf = payload.slice(0, Math.floor(payload.length / 2));
    if (fault.kind === 'cut') {
      context.closingByFake();
      cutConnection(context.res, firstHalf);
      return;
    }
    context.res.write(firstHalf);
    await untilAborted(context.signal);
  }

  // ---- files

  private createFile(context: ApiContext) {
    const body = this.validMultipartBody(context, 'createFile');
    const upload = body.files.find((part) => part.field === 'file')!;
    // The SDK sends nested parameters as bracketed form fields.
    const expiresAfterSeconds = Number(body.fields['expires_after[seconds]']);
    const file = this.deps.stores.addFile({
      filename: upload.filename,
      contentType: upload.contentType,
      bytes: upload.bytes,
      purpose: body.fields.purpose,
    });
    if (Number.isFinite(expiresAfterSeconds)) file.expiresAt = file.createdAt + expiresAfterSeconds;
    sendJson(context.res, 200, fileObject(file));
  }

  private listFiles({ res, query }: ApiContext) {
    const files = [...this.deps.stores.files.values()]
      .filter((file) => !query.purpose || file.purpose === query.purpose)
      .map(fileObject);
    sendJson(res, 200, listPage(files, query, FILES_DEFAULT_LIMIT));
  }

  private retrieveFile({ res }: ApiContext, fileId: string) {
    sendJson(res, 200, fileObject(this.deps.stores.file(fileId)));
  }

  private deleteFile({ res }: ApiContext, fileId: string) {
    this.deps.stores.deleteFile(fileId);
    sendJson(res, 200, deletedObject(fileId, 'file'));
  }

  private fileContent({ res }: ApiContext, fileId: string) {
    const file = this.deps.stores.file(fileId);
    res.writeHead(200, {
      ...standardHeaders(),
      'content-type': file.contentType,
      'content-length': file.bytes.length,
    });
    res.end(file.bytes);
  }

  // ---- vector stores

  private createVectorStore(context: ApiContext) {
    const body = this.validJsonBody<CreateVectorStoreBody>(context, 'createVectorStore');
    const stores = this.deps.stores;
    const fileIds = body.file_ids ?? [];
    for (const fileId of fileIds) stores.file(fileId);
    const store = stores.createVectorStore({
      name: body.name,
      metadata: body.metadata ?? undefined,
      expiresAfter: body.expires_after,
    });
    for (const fileId of fileIds) stores.attachFile(store, fileId, { chunkingStrategy: body.chunking_strategy });
    sendJson(context.res, 200, vectorStoreObject(store, stores.files));
  }

  private listVectorStores({ res, query }: ApiContext) {
    const stores = [...this.deps.stores.vectorStores.values()].map((store) => this.polledVectorStore(store));
    sendJson(res, 200, listPage(stores, query, VECTOR_STORES_DEFAULT_LIMIT));
  }

  private retrieveVectorStore({ res }: ApiContext, storeId: string) {
    sendJson(res, 200, this.polledVectorStore(this.deps.stores.vectorStore(storeId)));
  }

  private deleteVectorStore({ res }: ApiContext, storeId: string) {
    this.deps.stores.deleteVectorStore(storeId);
    sendJson(res, 200, deletedObject(storeId, 'vector_store.deleted'));
  }

  /** A vector store read reports its files' processing, so it counts as a poll of each. */
  private polledVectorStore(store: StoredVectorStore) {
    for (const attached of store.files.values()) this.deps.stores.poll(attached);
    return vectorStoreObject(store, this.deps.stores.files);
  }

  // ---- vector store files

  private createVectorStoreFile(context: ApiContext, storeId: string) {
    const body = this.validJsonBody<CreateVectorStoreFileBody>(context, 'createVectorStoreFile');
    const stores = this.deps.stores;
    const store = stores.vectorStore(storeId);
    const attached = stores.attachFile(store, body.file_id, {
      attributes: body.attributes ?? undefined,
      chunkingStrategy: body.chunking_strategy,
    });
    sendJson(context.res, 200, vectorStoreFileObject(attached, stores.files.get(body.file_id)));
  }

  private listVectorStoreFiles({ res, query }: ApiContext, storeId: string) {
    const stores = this.deps.stores;
    const files = [...stores.vectorStore(storeId).files.values()]
      .map((attached) => vectorStoreFileObject(stores.poll(attached), stores.files.get(attached.fileId)))
      .filter((file) => !query.filter || file.status === query.filter);
    sendJson(res, 200, listPage(files, query, VECTOR_STORES_DEFAULT_LIMIT), this.pollHeader());
  }

  private retrieveVectorStoreFile({ res }: ApiContext, storeId: string, fileId: string) {
    const stores = this.deps.stores;
    const attached = stores.poll(stores.vectorStoreFile(stores.vectorStore(storeId), fileId));
    sendJson(res, 200, vectorStoreFileObject(attached, stores.files.get(fileId)), this.pollHeader());
  }

  private deleteVectorStoreFile({ res }: ApiContext, storeId: string, fileId: string) {
    const store = this.deps.stores.vectorStore(storeId);
    this.deps.stores.vectorStoreFile(store, fileId);
    store.files.delete(fileId);
    sendJson(res, 200, deletedObject(fileId, 'vector_store.file.deleted'));
  }

  /** The SDK's poll helpers sleep as long as this header says (5 s without it). */
  private pollHeader() {
    return { 'openai-poll-after-ms': String(this.deps.stores.pollAfterMs) };
  }

  // ---- request bodies

  /** The body, once the operation's schema accepted it (so it has the fields the type names). */
  private validJsonBody<Body>(context: ApiContext, operationId: ValidatedOperation): Body {
    if (context.bodyIsMalformed || !isJsonObject(context.body)) {
      throw invalidRequest(400, 'We could not parse the JSON body of your request. The API expects a JSON payload.');
    }
    const details = this.deps.validator.validateJson(operationId, context.body);
    if (details.length > 0) this.reject(context, operationId, details);
    return context.body as Body;
  }

  private validMultipartBody(context: ApiContext, operationId: ValidatedOperation): MultipartBody {
    if (context.bodyIsMalformed || !isMultipartBody(context.body)) {
      throw invalidRequest(400, 'The request body must be multipart/form-data.');
    }
    const details = this.deps.validator.validateMultipart(operationId, context.body);
    if (details.length > 0) this.reject(context, operationId, details);
    return context.body;
  }

  private reject(context: ApiContext, operationId: ValidatedOperation, details: ViolationDetail[]): never {
    this.deps.violations.push({
      operationId,
      method: context.req.method ?? 'POST',
      path: context.path,
      details,
      body: context.body,
      at: Date.now(),
    });
    throw violationError(details);
  }
}

/** The `file_id`s of the input's `input_image` and `input_file` parts, which must name files the API has. */
function referencedFileIds(input: unknown): string[] {
  if (!Array.isArray(input)) return [];
  return input.flatMap((item: unknown) => {
    const content = isJsonObject(item) ? item.content : undefined;
    if (!Array.isArray(content)) return [];
    return content.flatMap((part: unknown) =>
      isJsonObject(part) && (part.type === 'input_image' || part.type === 'input_file') && typeof part.file_id === 'string' ? [part.file_id] : [],
    );
  });
}

function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function isMultipartBody(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && 'fields' in body && 'files' in body;
}
