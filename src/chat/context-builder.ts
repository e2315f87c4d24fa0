import type { AssistantTool } from '../assistants/assistant.entity.js';
import type { ContextMode } from '../config/config.js';
import type { LlmContentPart, LlmMessage, LlmRequest, LlmTool } from '../llm/llm-types.js';
import { attachmentCost, type AttachmentKind } from '../threads/attachment-limits.js';

export interface HistoryMessage {
  id: string;
  /** The message's place in the thread (what a summary covers is told by it). */
  seq: number;
  role: 'user' | 'assistant';
  content: string;
  fileIds: string[];
  /** A user message: the message it replies to (quoted to the model). */
  replyToId?: string | null;
}

/** The start of a message a user message replies to. */
export interface Quote {
  role: 'user' | 'assistant';
  excerpt: string;
}

/** The most characters of a replied-to message quoted before the reply (whitespace folded). */
export const REPLY_EXCERPT_CHARS = 300;

/** What the database says of an attached file, before any of its bytes are read. */
export interface AttachmentInfo {
  id: string;
  kind: AttachmentKind;
  filename: string;
  sizeBytes: number;
}

/**
 * What a file sent with a turn contributes, once loaded: an image or a PDF
 * by its copy at OpenAI, text as read, a Word document as its extracted text.
 */
export type Attachment =
  | { kind: 'image'; upstreamFileId: string }
  | { kind: 'pdf'; filename: string; upstreamFileId: string }
  | { kind: 'text' | 'document'; filename: string; text: string }
  | { kind: 'other'; filename: string; unreadable?: boolean };

export type LeftOutReason = 'image_limit' | 'attachment_budget';

export interface LeftOut {
  kind: AttachmentKind;
  filename: string;
  reason: LeftOutReason;
}

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
  tokenBudget: number;
}

export interface AttachmentBudget {
  maxImagesPerTurn: number;
  maxBytesPerTurn: number;
  maxTextChars: number;
}

export interface PlanInput {
  instructions: string | null;
  summary: string | null;
  /** Tokens kept free beyond the summary's (for a summary about to be written). */
  reserveTokens?: number;
  /** Oldest first; replaced replies and messages the summary covers already left out. */
  history: HistoryMessage[];
  /** The attached files that still exist, by id. */
  files: Map<string, AttachmentInfo>;
  settings: ContextSettings;
  budget: AttachmentBudget;
}

/** What a turn will send, decided before any file is read. */
export interface ContextPlan {
  /** The messages of the turn, oldest first. */
  messages: HistoryMessage[];
  /** The files to load, each once, the newest message's first. */
  load: AttachmentInfo[];
  /** Files of those messages that stay out of this turn, and why. */
  leftOut: Map<string, LeftOut>;
}

export interface BuildInput {
  assistant: AssistantProfile;
  summary: string | null;
  plan: Pick<ContextPlan, 'messages' | 'leftOut'>;
  /** The loaded files; one missing here (deleted meanwhile) is left out silently. */
  attachments: Map<string, Attachment>;
  /** The starts of the messages that user messages reply to, by id. */
  quotes?: Map<string, Quote>;
  overrides: TurnOverrides;
}

const IMAGE_TOKENS = 800;
const MESSAGE_OVERHEAD_TOKENS = 4;

/** A cheap, deliberately generous token estimate (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + MESSAGE_OVERHEAD_TOKENS;
}

/** A message's tokens, its files estimated from their stored sizes (a byte is at most a character). */
function messageTokens(message: HistoryMessage, input: PlanInput): number {
  let tokens = estimateTokens(message.content);
  if (message.role !== 'user') return tokens;
  if (message.replyToId) tokens += estimateTokens('x'.repeat(REPLY_EXCERPT_CHARS + 60));
  for (const fileId of message.fileIds) {
    const file = input.files.get(fileId);
    if (file?.kind === 'image') tokens += IMAGE_TOKENS;
    // A PDF's text (and its pages' images) and a document's extracted text, estimated like text from the stored size.
    else if (file && file.kind !== 'other') tokens += Math.ceil(Math.min(file.sizeBytes, input.budget.maxTextChars) / 4) + MESSAGE_OVERHEAD_TOKENS;
  }
  return tokens;
}

/**
 * The newest messages that fit the token budget, oldest first. The newest
 * message is always kept. (In summary_window mode the history holds only
 * what the summary does not cover: none of it may be dropped unless a
 * summary is written first.)
 */
export function selectHistory(input: PlanInput): HistoryMessage[] {
  const { history: candidates, settings } = input;
  let budget =
    settings.tokenBudget -
    estimateTokens(input.instructions ?? '') -
    (input.summary ? estimateTokens(input.summary) : 0) -
    (input.reserveTokens ?? 0);
  const selected: HistoryMessage[] = [];
  for (let index = candidates.length - 1; index >= 0; index--) {
    const cost = messageTokens(candidates[index], input);
    if (selected.length > 0 && cost > budget) break;
    selected.push(candidates[index]);
    budget -= cost;
  }
  return selected.reverse();
}

/**
 * Decides what a turn sends: the messages that fit, and of their files the
 * newest within the turn's image count and attachment bytes (counted from
 * the stored sizes). Older files past either limit are left out, named in a
 * note, so a long thread stays answerable.
 */
export function planContext(input: PlanInput): ContextPlan {
  const messages = selectHistory(input);
  const load = new Map<string, AttachmentInfo>();
  const leftOut = new Map<string, LeftOut>();
  let images = 0;
  let bytes = 0;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message.role !== 'user') continue;
    for (const fileId of message.fileIds) {
      const file = input.files.get(fileId);
      if (!file || load.has(fileId) || leftOut.has(fileId)) continue;
      const cost = attachmentCost(file.kind, file.sizeBytes, input.budget.maxTextChars);
      const reason: LeftOutReason | null =
        file.kind === 'image' && images >= input.budget.maxImagesPerTurn
          ? 'image_limit'
          : bytes + cost > input.budget.maxBytesPerTurn
            ? 'attachment_budget'
            : null;
      if (reason) {
        leftOut.set(fileId, { kind: file.kind, filename: file.filename, reason });
        continue;
      }
      load.set(fileId, file);
      bytes += cost;
      if (file.kind === 'image') images++;
    }
  }
  return { messages, load: [...load.values()], leftOut };
}

const LEFT_OUT_BECAUSE: Record<LeftOutReason, string> = {
  image_limit: 'this turn already carries as many images as a turn may',
  attachment_budget: "this turn's attachment budget is used up",
};

/**
 * The text the model sees of a user message: when it replies to an earlier
 * message, the start of that message is quoted first, so the model knows
 * what "this" or "that point" refers to.
 */
export function withQuote(content: string, quote: Quote | undefined): string {
  if (!quote) return content;
  const folded = quote.excerpt.replace(/\s+/g, ' ').trim();
  const excerpt = folded.length > REPLY_EXCERPT_CHARS ? `${folded.slice(0, REPLY_EXCERPT_CHARS).trimEnd()}…` : folded;
  const whose = quote.role === 'assistant' ? 'your' : 'my';
  return `(Replying to ${whose} earlier message: "${excerpt}")\n\n${content}`;
}

function toLlmMessage(message: HistoryMessage, input: BuildInput): LlmMessage {
  if (message.role === 'assistant') return { role: message.role, content: message.content };
  const text = withQuote(message.content, message.replyToId ? input.quotes?.get(message.replyToId) : undefined);
  if (message.fileIds.length === 0) return { role: 'user', content: text };
  const parts: LlmContentPart[] = [{ type: 'text', text }];
  for (const fileId of message.fileIds) {
    const attachment = input.attachments.get(fileId);
    const leftOut = input.plan.leftOut.get(fileId);
    if (attachment?.kind === 'image') parts.push({ type: 'image', fileId: attachment.upstreamFileId });
    else if (attachment?.kind === 'pdf') parts.push({ type: 'text', text: `Attached file ${attachment.filename}:` }, { type: 'file', fileId: attachment.upstreamFileId });
    else if (attachment?.kind === 'text' || attachment?.kind === 'document') parts.push({ type: 'text', text: `Attached file ${attachment.filename}:\n${attachment.text}` });
    else if (attachment?.kind === 'other' && attachment.unreadable) parts.push({ type: 'text', text: `(Attached file ${attachment.filename}; its content could not be read.)` });
    else if (attachment) parts.push({ type: 'text', text: `(Attached file ${attachment.filename}; its content is not included.)` });
    else if (leftOut) {
      const what = leftOut.kind === 'image' ? 'image' : 'file';
      parts.push({ type: 'text', text: `(Attached ${what} ${leftOut.filename} is not included: ${LEFT_OUT_BECAUSE[leftOut.reason]}.)` });
    }
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
 * One turn's request, from its plan and loaded files: the assistant's
 * instructions, the thread summary (if any), the planned messages, the
 * assistant's tools, and the turn's overrides.
 */
export function buildRequest(input: BuildInput): LlmRequest {
  const llmInput: LlmMessage[] = [];
  if (input.summary) {
    llmInput.push({ role: 'developer', content: `Summary of the earlier part of this conversation:\n${input.summary}` });
  }
  llmInput.push(...input.plan.messages.map((message) => toLlmMessage(message, input)));
  return {
    model: input.overrides.model ?? input.assistant.model,
    instructions: input.assistant.instructions,
    input: llmInput,
    temperature: input.overrides.temperature ?? input.assistant.temperature,
    maxOutputTokens: input.overrides.maxOutputTokens ?? null,
    tools: toLlmTools(input.assistant),
  };
}
