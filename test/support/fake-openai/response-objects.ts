/** Wire shapes of the Responses API (the `Response` object and its output items), per the spec. */
import { emittedText, type ReplyPlan } from './reply-plan.js';
import type { Citation } from './scripting.js';
import { SERVER_ERROR_MESSAGE, unixSeconds } from './wire.js';

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface ResponseState {
  status: ResponseStatus;
  output: unknown[];
  error?: { code: string; message: string };
  incompleteReason?: string;
}

export function responseObject(plan: ReplyPlan, state: ResponseState) {
  const request = plan.request;
  const finished = state.status !== 'in_progress';
  return {
    id: plan.responseId,
    object: 'response',
    created_at: plan.createdAt,
    status: state.status,
    background: false,
    completed_at: state.status === 'completed' ? unixSeconds() : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    model: request.model ?? 'gpt-4.1-mini',
    output: state.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    reasoning: request.reasoning ?? { effort: null, summary: null },
    safety_identifier: request.safety_identifier ?? null,
    service_tier: 'default',
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_logprobs: request.top_logprobs ?? 0,
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    // The spec types usage as an object (never null): it is left out until the reply has finished.
    ...(finished ? { usage: usageObject(plan) } : {}),
    metadata: request.metadata ?? {},
  };
}

export function usageObject(plan: ReplyPlan) {
  const { input_tokens, output_tokens } = plan.usage;
  return {
    input_tokens,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input_tokens + output_tokens,
  };
}

export function fileSearchCallItem(plan: ReplyPlan, status: 'in_progress' | 'completed') {
  const fileSearch = plan.fileSearch!;
  return {
    id: fileSearch.itemId,
    type: 'file_search_call',
    status,
    queries: status === 'completed' ? fileSearch.queries : [],
    results: null,
  };
}

export function fileCitation(citation: Citation) {
  return { type: 'file_citation', file_id: citation.file_id, filename: citation.filename, index: citation.index };
}

export function outputTextPart(text: string, citations: Citation[]) {
  return { type: 'output_text', text, annotations: citations.map(fileCitation), logprobs: [] };
}

export function messageItem(plan: ReplyPlan, status: ItemStatus, content: unknown[]) {
  return { id: plan.messageId, type: 'message', status, role: 'assistant', content };
}

/** A reply cut short carries only the citations that point into the text it got to. */
export function visibleCitations(plan: ReplyPlan): Citation[] {
  if (!plan.streamFault) return plan.citations;
  const textLength = emittedText(plan).length;
  return plan.citations.filter((citation) => citation.index <= textLength);
}

export function finalMessagePart(plan: ReplyPlan) {
  return outputTextPart(emittedText(plan), visibleCitations(plan));
}

/** The Response once the reply has ended: completed, or `incomplete`/`failed` by a scripted fault. */
export function finishedResponse(plan: ReplyPlan) {
  const fault = plan.streamFault;
  const messageStatus = fault ? 'incomplete' : 'completed';
  const message = messageItem(plan, messageStatus, [finalMessagePart(plan)]);
  const output = plan.fileSearch ? [fileSearchCallItem(plan, 'completed'), message] : [message];
  if (fault?.kind === 'incomplete') {
    const incompleteReason = fault.reason ?? 'max_output_tokens';
    return responseObject(plan, { status: 'incomplete', output, incompleteReason });
  }
  if (fault?.kind === 'failed') {
    const error = { code: fault.error?.code ?? 'server_error', message: fault.error?.message ?? SERVER_ERROR_MESSAGE };
    return responseObject(plan, { status: 'failed', output, error });
  }
  return responseObject(plan, { status: 'completed', output });
}
