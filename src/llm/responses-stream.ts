import type OpenAI from 'openai';
import { DomainError } from '../common/errors/domain-error.js';
import type { LlmEvent, LlmMessage, LlmRequest, LlmTool, StreamOptions, TokenUsage } from './llm-types.js';
import { SseParser } from '../common/sse-parser.js';
import { toUpstreamError } from './upstream-errors.js';
import { streamedBody } from './upstream-fetch.js';

/** Thrown when the caller's own signal ended the call (cancel, client gone, shutdown). */
export class LlmCallAborted extends Error {
  constructor() {
    super('the call was aborted by the caller');
    this.name = 'LlmCallAborted';
  }
}

type ResponseCreateParams = OpenAI.Responses.ResponseCreateParamsNonStreaming;

function toInputItem(message: LlmMessage): OpenAI.Responses.EasyInputMessage {
  if (typeof message.content === 'string') return { role: message.role, content: message.content, type: 'message' };
  return {
    type: 'message',
    role: message.role,
    content: message.content.map((part): OpenAI.Responses.ResponseInputContent => {
      switch (part.type) {
        case 'text':
          return { type: 'input_text', text: part.text };
        case 'image':
          return { type: 'input_image', file_id: part.fileId, detail: 'auto' };
        case 'file':
          return { type: 'input_file', file_id: part.fileId };
      }
    }),
  };
}

function toTool(tool: LlmTool): OpenAI.Responses.Tool {
  switch (tool.type) {
    case 'file_search':
      return { type: 'file_search', vector_store_ids: tool.vectorStoreIds };
    case 'web_search':
      return { type: 'web_search' };
    case 'code_interpreter':
      return { type: 'code_interpreter', container: { type: 'auto' } };
  }
}

/** The Responses API body for a request; nothing is stored at OpenAI (the platform keeps the history). */
export function toResponseParams(request: LlmRequest): ResponseCreateParams {
  const params: ResponseCreateParams = {
    model: request.model,
    input: request.input.map(toInputItem),
    store: false,
  };
  if (request.instructions) params.instructions = request.instructions;
  if (request.temperature !== undefined && request.temperature !== null) params.temperature = request.temperature;
  if (request.maxOutputTokens) params.max_output_tokens = request.maxOutputTokens;
  if (request.tools && request.tools.length > 0) params.tools = request.tools.map(toTool);
  return params;
}

export function toUsage(usage: OpenAI.Responses.ResponseUsage | undefined | null): TokenUsage | null {
  if (!usage) return null;
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    totalTokens: usage.total_tokens ?? usage.input_tokens + usage.output_tokens,
  };
}

/** The reply text of a finished (non-streamed) response: openai 6 has no output_text on it. */
export function outputText(response: OpenAI.Responses.Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

/** The fields of the streaming events the platform reads (see the Responses API's ResponseStreamEvent). */
interface WireEvent {
  type?: string;
  delta?: string;
  annotation?: { type?: string; file_id?: string; filename?: string; index?: number };
  response?: {
    id: string;
    model: string;
    usage?: OpenAI.Responses.ResponseUsage | null;
    incomplete_details?: { reason?: string } | null;
    error?: { code?: string; message?: string } | null;
  };
  code?: string | null;
  message?: string;
  /** Not a Responses event: what a gateway sends instead of one. */
  error?: { code?: string; message?: string };
}

/** One streamed event in the platform's terms; null for the events it does not use. */
function toLlmEvent(data: WireEvent): LlmEvent | null {
  switch (data.type) {
    case 'response.output_text.delta':
      return typeof data.delta === 'string' && data.delta.length > 0 ? { type: 'delta', text: data.delta } : null;
    case 'response.output_text.annotation.added': {
      const annotation = data.annotation;
      return annotation?.type === 'file_citation' && annotation.file_id
        ? { type: 'citation', fileId: annotation.file_id, filename: annotation.filename ?? '', index: annotation.index ?? 0 }
        : null;
    }
    case 'response.completed':
      return { type: 'completed', responseId: data.response!.id, model: data.response!.model, usage: toUsage(data.response!.usage) };
    case 'response.incomplete':
      return {
        type: 'incomplete',
        responseId: data.response!.id,
        model: data.response!.model,
        reason: data.response!.incomplete_details?.reason ?? 'incomplete',
        usage: toUsage(data.response!.usage),
      };
    case 'response.failed':
      return {
        type: 'failed',
        responseId: data.response!.id,
        code: data.response!.error?.code ?? 'response_failed',
        message: data.response!.error?.message ?? 'The response failed',
      };
    case 'error': {
      // The spec's shape is flat; the API also sends the details nested under `error`.
      const detail = data.error && typeof data.error === 'object' ? data.error : data;
      return { type: 'failed', responseId: null, code: detail.code ?? 'error', message: detail.message ?? 'OpenAI reported an error' };
    }
    default:
      if (data.error && typeof data.error === 'object') {
        return { type: 'failed', responseId: null, code: data.error.code ?? 'error', message: data.error.message ?? 'OpenAI reported an error' };
      }
      return null;
  }
}

const TERMINAL = new Set<LlmEvent['type']>(['completed', 'incomplete', 'failed']);

/**
 * Streams a reply, as batches of events: everything that arrived in one
 * network read comes back together, so a fast stream costs one pass (and one
 * write to the client) per read rather than per token. The SDK builds and
 * sends the request and turns HTTP failures into its errors; the event
 * stream is read here.
 *
 * The caller's signal aborts the upstream call; the first token and the gaps
 * once text has begun are bounded here, so a provider that goes quiet becomes
 * an upstream_timeout rather than a hung request. A stream that stops without
 * a terminal event is an error, not a finished reply.
 */
export async function* streamResponse(client: OpenAI, request: LlmRequest, options: StreamOptions): AsyncGenerator<LlmEvent[]> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
  };
  const onCallerAbort = () => controller.abort();
  if (options.signal?.aborted) throw new LlmCallAborted();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let sawText = false;
  let finished = false;

  const failure = (error: unknown): Error => {
    if (options.signal?.aborted) return new LlmCallAborted();
    if (timedOut) {
      return new DomainError(
        'upstream_timeout',
        sawText ? 'OpenAI stopped sending the reply' : 'OpenAI did not start answering in time; try again',
      );
    }
    return toUpstreamError(error);
  };

  try {
    arm(options.firstTokenTimeoutMs);
    let body: AsyncIterable<Uint8Array>;
    try {
      const response = await client.responses
        .create({ ...toResponseParams(request), stream: true }, { signal: controller.signal, maxRetries: 0 })
        .asResponse();
      const stream = streamedBody(response);
      if (!stream) throw new DomainError('upstream_unavailable', 'OpenAI answered without a reply; try again');
      body = stream;
    } catch (error) {
      throw failure(error);
    }
    const parser = new SseParser();
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        if (sawText) arm(options.idleTimeoutMs);
        const batch: LlmEvent[] = [];
        for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
          let data: WireEvent;
          try {
            data = JSON.parse(message.data) as WireEvent;
          } catch {
            throw new DomainError('upstream_unavailable', 'The reply from OpenAI could not be read; try again');
          }
          const event = toLlmEvent(data);
          if (!event) continue;
          batch.push(event);
          if (event.type === 'delta' && !sawText) {
            sawText = true;
            arm(options.idleTimeoutMs);
          }
          if (TERMINAL.has(event.type)) {
            finished = true;
            yield batch;
            return;
          }
        }
        if (batch.length > 0) yield batch;
      }
    } catch (error) {
      throw failure(error);
    }
    if (options.signal?.aborted) throw new LlmCallAborted();
    if (timedOut) throw failure(undefined);
    throw new DomainError('upstream_unavailable', 'The reply from OpenAI broke off; try again');
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
    if (!finished) controller.abort();
  }
}
