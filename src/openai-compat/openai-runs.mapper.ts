import type { AssistantTool } from '../assistants/assistant.entity.js';
import type { RunStatus } from '../runs/run.entity.js';
import type { RunViewRow } from '../runs/run-views.repository.js';
import { toOpenAiId, unixSeconds } from './openai-ids.js';

export type OpenAiRunStatus = 'queued' | 'in_progress' | 'cancelling' | 'cancelled' | 'failed' | 'completed' | 'incomplete';

export interface OpenAiRun {
  id: string;
  object: 'thread.run';
  created_at: number;
  thread_id: string;
  assistant_id: string;
  status: OpenAiRunStatus;
  required_action: null;
  last_error: { code: 'server_error' | 'rate_limit_exceeded'; message: string } | null;
  expires_at: null;
  started_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  incomplete_details: { reason: 'max_completion_tokens' } | null;
  model: string;
  instructions: string;
  tools: Array<{ type: string }>;
  metadata: Record<string, string>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  temperature: number | null;
  top_p: number;
  max_prompt_tokens: null;
  max_completion_tokens: null;
  truncation_strategy: { type: 'auto'; last_messages: null };
  tool_choice: 'auto';
  parallel_tool_calls: boolean;
  response_format: 'auto';
}

/** The run as it is known when it starts, before anything is read back. */
export interface RunBasis {
  id: string;
  threadId: string;
  startedAt: Date;
  assistant: { id: string; model: string; instructions: string | null; tools: AssistantTool[]; temperature: number | null };
}

const WIRE_TOOLS = new Set(['code_interpreter', 'file_search']);

function status(run: Pick<RunViewRow, 'status' | 'cancel_requested'>): OpenAiRunStatus {
  if (run.status === 'running') return run.cancel_requested ? 'cancelling' : 'in_progress';
  return run.status;
}

export function runFromBasis(basis: RunBasis, runStatus: OpenAiRunStatus, extra: Partial<OpenAiRun> = {}): OpenAiRun {
  const startedAt = unixSeconds(basis.startedAt);
  return {
    id: toOpenAiId('run', basis.id),
    object: 'thread.run',
    created_at: startedAt,
    thread_id: toOpenAiId('thread', basis.threadId),
    assistant_id: toOpenAiId('asst', basis.assistant.id),
    status: runStatus,
    required_action: null,
    last_error: null,
    expires_at: null,
    started_at: runStatus === 'queued' ? null : startedAt,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: basis.assistant.model,
    instructions: basis.assistant.instructions ?? '',
    tools: basis.assistant.tools.filter((tool) => WIRE_TOOLS.has(tool.type)).map((tool) => ({ type: tool.type })),
    metadata: {},
    usage: null,
    temperature: basis.assistant.temperature,
    top_p: 1,
    max_prompt_tokens: null,
    max_completion_tokens: null,
    truncation_strategy: { type: 'auto', last_messages: null },
    tool_choice: 'auto',
    parallel_tool_calls: true,
    response_format: 'auto',
    ...extra,
  };
}

/** A stored run in OpenAI's shape; its assistant is the one that answered, else the thread's (empty when neither remains). */
export function toOpenAiRun(row: RunViewRow): OpenAiRun {
  const finishedAt = row.finished_at ? unixSeconds(row.finished_at) : null;
  const wireStatus = status(row);
  const basis: RunBasis = {
    id: row.id,
    threadId: row.thread_id,
    startedAt: row.started_at,
    assistant: {
      id: row.assistant_id ?? '',
      model: row.reply_model ?? row.assistant_model ?? '',
      instructions: row.assistant_instructions,
      tools: row.assistant_tools ?? [],
      temperature: row.assistant_temperature,
    },
  };
  const run = runFromBasis(basis, wireStatus, {
    completed_at: wireStatus === 'completed' ? finishedAt : null,
    cancelled_at: wireStatus === 'cancelled' ? finishedAt : null,
    failed_at: wireStatus === 'failed' ? finishedAt : null,
    last_error: wireStatus === 'failed' ? lastError(row.error_code) : null,
    incomplete_details: wireStatus === 'incomplete' ? { reason: 'max_completion_tokens' } : null,
    usage:
      row.input_tokens !== null || row.output_tokens !== null
        ? { prompt_tokens: row.input_tokens ?? 0, completion_tokens: row.output_tokens ?? 0, total_tokens: (row.input_tokens ?? 0) + (row.output_tokens ?? 0) }
        : null,
  });
  return row.assistant_id ? run : { ...run, assistant_id: '' };
}

export function lastError(code: string | null): OpenAiRun['last_error'] {
  const limited = code !== null && /rate_limited|quota/.test(code);
  return { code: limited ? 'rate_limit_exceeded' : 'server_error', message: code ?? 'The run failed' };
}

export type { RunStatus };
