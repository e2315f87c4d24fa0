import type OpenAI from 'openai';
import { DomainError } from '../common/errors/domain-error.js';
import type { LlmEvent, LlmMessage, LlmRequest, LlmTool, StreamOptions, TokenUsage } from './llm-types.js';
import { toUpstreamError } from './upstream-errors.js';

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
    content: message.content.map((part) =>
      part.type === 'text'
        ? { type: 'input_text' as const, text: part.text }
        : { type: 'input_image' as const, image_url: part.dataUrl, detail: 'auto' as const },
    ),
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

/**
 * Streams a reply. The caller's signal aborts the upstream call; the first
 * token and the gaps between events are bounded here, so a provider that goes
 * quiet becomes an upstream_timeout rather than a hung request. A stream that
 * stops without a terminal event is an error, not a finished reply.
 */
export async function* streamResponse(client: OpenAI, request: LlmRequest, options: StreamOptions): AsyncGenerator<LlmEvent> {
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
    let stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>;
    try {
      stream = await client.responses.create({ ...toResponseParams(request), stream: true }, { signal: controller.signal, maxRetries: 0 });
    } catch (error) {
      throw failure(error);
    }
    try {
      for await (const event of stream) {
        if (sawText) arm(options.idleTimeoutMs);
        switch (event.type) {
          case 'response.output_text.delta':
            if (!sawText) {
              sawText = true;
              arm(options.idleTimeoutMs);
            }
            yield { type: 'delta', text: event.delta };
            break;
          case 'response.output_text.annotation.added': {
            const annotation = event.annotation as { type?: string; file_id?: string; filename?: string; index?: number };
            if (annotation.type === 'file_citation' && annotation.file_id) {
              yield { type: 'citation', fileId: annotation.file_id, filename: annotation.filename ?? '', index: annotation.index ?? 0 };
            }
            break;
          }
          case 'response.completed':
            finished = true;
            yield { type: 'completed', responseId: event.response.id, model: event.response.model, usage: toUsage(event.response.usage) };
            return;
          case 'response.incomplete':
            finished = true;
            yield {
              type: 'incomplete',
              responseId: event.response.id,
              model: event.response.model,
              reason: event.response.incomplete_details?.reason ?? 'incomplete',
              usage: toUsage(event.response.usage),
            };
            return;
          case 'response.failed':
            finished = true;
            yield {
              type: 'failed',
              responseId: event.response.id,
              code: event.response.error?.code ?? 'response_failed',
              message: event.response.error?.message ?? 'The response failed',
            };
            return;
          case 'error':
            finished = true;
            yield { type: 'failed', responseId: null, code: event.code ?? 'error', message: event.message };
            return;
          default:
            break;
        }
      }
    } catch (error) {
      throw failure(error);
    }
    if (!finished) {
      if (options.signal?.aborted) throw new LlmCallAborted();
      if (timedOut) throw failure(undefined);
      throw new DomainError('upstream_unavailable', 'The reply from OpenAI broke off; try again');
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
    if (!finished) controller.abort();
  }
}
