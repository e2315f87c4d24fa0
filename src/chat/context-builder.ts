import type { AssistantTool } from '../assistants/assistant.entity.js';
import type { ContextMode } from '../config/config.js';
import type { LlmContentPart, LlmMessage, LlmRequest, LlmTool } from '../llm/llm-types.js';

export interface HistoryMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  fileIds: string[];
}

/** What a message's files contribute to the model's input. */
export type Attachment = { kind: 'image'; dataUrl: string } | { kind: 'text'; filename: string; text: string } | { kind: 'other'; filename: string };

export interface AssistantProfile {
  model: string;
  instructions: string | null;
  temperature: number | null;
  tools: AssistantTool[];
  vectorStoreId: string | null;
}

export interface TurnOverrides {
  model?: string;
  temperature?: number;
  maxOutputTokens?: number;
}

export interface ContextSettings {
  mode: ContextMode;
  windowMessages: number;
  tokenBudget: number;
}

export interface ContextInput {
  assistant: AssistantProfile;
  summary: string | null;
  /** Oldest first; replaced replies already left out. */
  history: HistoryMessage[];
  attachments: Map<string, Attachment>;
  overrides: TurnOverrides;
  settings: ContextSettings;
}

const IMAGE_TOKENS = 800;
const MESSAGE_OVERHEAD_TOKENS = 4;

/** A cheap, deliberately generous token estimate (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + MESSAGE_OVERHEAD_TOKENS;
}

function messageTokens(message: HistoryMessage, attachments: Map<string, Attachment>): number {
  let tokens = estimateTokens(message.content);
  for (const fileId of message.fileIds) {
    const attachment = attachments.get(fileId);
    if (attachment?.kind === 'image') tokens += IMAGE_TOKENS;
    else if (attachment?.kind === 'text') tokens += estimateTokens(attachment.text);
  }
  return tokens;
}

/**
 * The newest messages that fit the token budget (in summary_window mode, at
 * most the window), oldest first. The newest message is always kept.
 */
export function selectHistory(input: Pick<ContextInput, 'history' | 'attachments' | 'settings' | 'summary' | 'assistant'>): HistoryMessage[] {
  const { history, settings } = input;
  const candidates = settings.mode === 'summary_window' ? history.slice(-settings.windowMessages) : history;
  let budget = settings.tokenBudget - estimateTokens(input.assistant.instructions ?? '') - (input.summary ? estimateTokens(input.summary) : 0);
  const selected: HistoryMessage[] = [];
  for (let index = candidates.length - 1; index >= 0; index--) {
    const cost = messageTokens(candidates[index], input.attachments);
    if (selected.length > 0 && cost > budget) break;
    selected.push(candidates[index]);
    budget -= cost;
  }
  return selected.reverse();
}

function toLlmMessage(message: HistoryMessage, attachments: Map<string, Attachment>): LlmMessage {
  if (message.role === 'assistant' || message.fileIds.length === 0) return { role: message.role, content: message.content };
  const parts: LlmContentPart[] = [{ type: 'text', text: message.content }];
  for (const fileId of message.fileIds) {
    const attachment = attachments.get(fileId);
    if (!attachment) continue;
    if (attachment.kind === 'image') parts.push({ type: 'image', dataUrl: attachment.dataUrl });
    else if (attachment.kind === 'text') parts.push({ type: 'text', text: `Attached file ${attachment.filename}:\n${attachment.text}` });
    else parts.push({ type: 'text', text: `(Attached file ${attachment.filename}; its content is not included.)` });
  }
  return { role: 'user', content: parts };
}

function toLlmTools(assistant: AssistantProfile): LlmTool[] {
  const tools: LlmTool[] = [];
  for (const tool of assistant.tools) {
    if (tool.type === 'file_search') {
      // Without documents there is no vector store to search yet.
      if (assistant.vectorStoreId) tools.push({ type: 'file_search', vectorStoreIds: [assistant.vectorStoreId] });
    } else {
      tools.push({ type: tool.type });
    }
  }
  return tools;
}

/**
 * One turn's request: the assistant's instructions, the thread summary (if
 * any), the history that fits, the assistant's tools, and the turn's overrides.
 */
export function buildRequest(input: ContextInput): { request: LlmRequest; messages: HistoryMessage[] } {
  const messages = selectHistory(input);
  const llmInput: LlmMessage[] = [];
  if (input.summary) {
    llmInput.push({ role: 'developer', content: `Summary of the earlier part of this conversation:\n${input.summary}` });
  }
  llmInput.push(...messages.map((message) => toLlmMessage(message, input.attachments)));
  return {
    messages,
    request: {
      model: input.overrides.model ?? input.assistant.model,
      instructions: input.assistant.instructions,
      input: llmInput,
      temperature: input.overrides.temperature ?? input.assistant.temperature,
      maxOutputTokens: input.overrides.maxOutputTokens ?? null,
      tools: toLlmTools(input.assistant),
    },
  };
}
