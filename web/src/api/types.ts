// Shapes of the platform's HTTP API, as described in DESIGN.md.

export interface User {
  id: string;
  email: string;
  name: string | null;
  hasApiKey: boolean;
  apiKeyHint: string | null;
  defaultAssistantId: string | null;
  createdAt: string;
}

export interface Settings {
  hasApiKey: boolean;
  apiKeyHint: string | null;
  defaultAssistantId: string | null;
}

export interface MessageResponse {
  message: string;
}

export type ToolType = 'file_search' | 'web_search' | 'code_interpreter';

export interface Assistant {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  model: string;
  instructions: string | null;
  temperature: number | null;
  tools: Array<{ type: ToolType }>;
  fileIds: string[];
  vectorStoreId: string | null;
  isActive: boolean;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface AssistantFields {
  name: string;
  description: string | null;
  model: string;
  instructions: string | null;
  temperature: number | null;
  tools: Array<{ type: ToolType }>;
  metadata: Record<string, string>;
  isActive: boolean;
}

export type FileStatus = 'processing' | 'ready' | 'failed';

export interface StoredFile {
  id: string;
  filename: string;
  relativePath: string | null;
  mimeType: string;
  kind: 'document' | 'image';
  sizeBytes: number;
  status: FileStatus;
  error: string | null;
  assistants: Array<{ assistantId: string; status: FileStatus; error: string | null }>;
  createdAt: string;
  updatedAt: string;
}

export interface UploadResult {
  assistantId: string | null;
  fileIds: string[];
  message: string;
  files?: StoredFile[];
  skipped?: Array<{ name: string; reason: string }>;
}

export interface Thread {
  id: string;
  title: string | null;
  assistantId: string | null;
  isArchived: boolean;
  messageCount: number;
  totalTokens: number;
  totalCost: number | null;
  summary: string | null;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
}

export type MessageStatus = 'completed' | 'streaming' | 'incomplete' | 'cancelled' | 'failed' | 'superseded';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface Citation {
  fileId: string;
  filename: string;
  index: number;
}

export interface Message {
  id: string;
  threadId: string;
  role: 'user' | 'assistant';
  /** Plain text; older shapes send text parts. */
  content: string | Array<{ type: string; text?: string }>;
  status: MessageStatus;
  replyToId: string | null;
  fileIds: string[];
  usage: TokenUsage | null;
  cost: number | null;
  citations?: Citation[];
  createdAt: string;
}

/** Events of a streamed chat, run or regenerate. */
export type ChatEvent =
  | { type: 'message_created'; message: Message }
  | { type: 'token'; delta: string }
  | { type: 'message_completed'; message: Message }
  | { type: 'title'; title: string }
  | { type: 'error'; error: string; code: string }
  | { type: 'done' };

export type UsageGroupBy = 'day' | 'assistant' | 'thread' | 'model';

export interface UsageFigures {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cost: number | null;
  turns: number;
}

export interface UsageGroup extends UsageFigures {
  key: string | null;
  label: string | null;
}

export interface UsageReport {
  totals: UsageFigures;
  groups: UsageGroup[];
}
