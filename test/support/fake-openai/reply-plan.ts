import {
  isStreamFault,
  type Citation,
  type Fault,
  type ResponseRequestBody,
  type ResponseScript,
  type StreamFault,
} from './scripting.js';
import { newId, unixSeconds } from './wire.js';

const DEFAULT_TEXT = 'Hello! This is a scripted reply from the fake OpenAI server.';
const FILLER_WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit'];
const CHARACTERS_PER_TOKEN = 4;
/** Keys whose string values are structure, not text the model reads. */
const NON_TEXT_KEYS = new Set(['type', 'role', 'id', 'status', 'call_id', 'file_id']);

/** Everything needed to answer one `POST /v1/responses`, fixed before the first byte is written. */
export interface ReplyPlan {
  responseId: string;
  messageId: string;
  createdAt: number;
  request: ResponseRequestBody;
  deltas: string[];
  citations: Citation[];
  fileSearch?: { itemId: string; queries: string[] };
  usage: { input_tokens: number; output_tokens: number };
  /** How the reply ends when it does not complete. */
  streamFault?: StreamFault;
  /** Deltas written before the reply ends (all of them unless a stream fault cuts in). */
  emittedDeltas: number;
  firstDeltaDelayMs: number;
  deltaDelayMs: number;
}

export function planReply(script: ResponseScript, request: ResponseRequestBody, fault: Fault | undefined): ReplyPlan {
  const deltas = scriptedDeltas(script);
  const streamFault = fault && isStreamFault(fault) ? fault : undefined;
  const emittedDeltas = streamFault ? Math.min(Math.max(0, streamFault.afterDeltas), deltas.length) : deltas.length;
  return {
    responseId: newId.response(),
    messageId: newId.message(),
    createdAt: unixSeconds(),
    request,
    deltas,
    citations: script.citations ?? [],
    fileSearch: script.fileSearch && { itemId: newId.fileSearchCall(), queries: script.fileSearch.queries },
    usage: script.usage ?? { input_tokens: estimateInputTokens(request), output_tokens: emittedDeltas },
    streamFault,
    emittedDeltas,
    deltaDelayMs: script.deltaDelayMs ?? 0,
    firstDeltaDelayMs: script.firstDeltaDelayMs ?? script.deltaDelayMs ?? 0,
  };
}

function scriptedDeltas(script: ResponseScript): string[] {
  if (script.deltas) return script.deltas;
  if (script.text !== undefined) return splitIntoTokens(script.text);
  if (script.tokens !== undefined) return fillerDeltas(script.tokens);
  return splitIntoTokens(DEFAULT_TEXT);
}

/** "Hello big world" → ["Hello", " big", " world"]: word-sized deltas like a tokenizer's. */
export function splitIntoTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function fillerDeltas(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const word = FILLER_WORDS[index % FILLER_WORDS.length];
    return index === 0 ? word : ` ${word}`;
  });
}

function estimateInputTokens(request: ResponseRequestBody): number {
  const characters = textLength(request.instructions) + textLength(request.input);
  return Math.max(1, Math.ceil(characters / CHARACTERS_PER_TOKEN));
}

function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce<number>((total, item) => total + textLength(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  return Object.entries(value)
    .filter(([key]) => !NON_TEXT_KEYS.has(key))
    .reduce((total, [, item]) => total + textLength(item), 0);
}

export function emittedText(plan: ReplyPlan): string {
  return plan.deltas.slice(0, plan.emittedDeltas).join('');
}
