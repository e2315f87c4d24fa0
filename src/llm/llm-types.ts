/** What the platform asks of a model, independent of the SDK's types. Images and PDFs go by reference to their copy in OpenAI Files. */
export type LlmContentPart = { type: 'text'; text: string } | { type: 'image'; fileId: string } | { type: 'file'; fileId: string };

export interface LlmMessage {
  role: 'user' | 'assistant' | 'developer';
  content: string | LlmContentPart[];
}

export type LlmTool =
  | { type: 'file_search'; vectorStoreIds: string[] }
  | { type: 'web_search' }
  | { type: 'code_interpreter' };

export interface LlmRequest {
  model: string;
  instructions?: string | null;
  input: LlmMessage[];
  temperature?: number | null;
  maxOutputTokens?: number | null;
  tools?: LlmTool[];
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** A short reply in one piece: its text, the model that wrote it, and what it used. */
export interface Completion {
  text: string;
  model: string;
  usage: TokenUsage | null;
}

/** A reply as it streams in, normalized from the Responses API events. */
export type LlmEvent =
  | { type: 'delta'; text: string }
  | { type: 'citation'; fileId: string; filename: string; index: number }
  | { type: 'completed'; responseId: string; model: string; usage: TokenUsage | null }
  | { type: 'incomplete'; responseId: string; model: string; reason: string; usage: TokenUsage | null }
  | { type: 'failed'; responseId: string | null; code: string; message: string };

export interface StreamOptions {
  /** Aborting ends the upstream call at once. */
  signal?: AbortSignal;
  /** Longest wait for the first text delta. */
  firstTokenTimeoutMs: number;
  /** Longest silence between events once text has begun. */
  idleTimeoutMs: number;
}

/** An image (or a PDF) to copy to OpenAI Files, read from the platform's storage as it is sent. */
export interface ImageUpload {
  /** `vision` for an image, `user_data` for a file sent as `input_file`. */
  purpose: 'vision' | 'user_data';
  /** The name given to the copy. */
  filename: string;
  mimeType: string;
  /** The stored size: the bytes `open()` yields, exactly. */
  sizeBytes: number;
  /** Opens the bytes from the start (again for each attempt). */
  open(): AsyncIterable<Buffer>;
  /** How long OpenAI keeps the copy. */
  expiresAfterSeconds: number;
}

/** A file at OpenAI, as the platform keeps track of it. */
export interface UpstreamFile {
  id: string;
  /** When OpenAI deletes it, when it says so. */
  expiresAt: Date | null;
}
