// Shapes of the platform's HTTP API: aliases of the types generated from the
// server's OpenAPI document (schema.d.ts, `npm run api:types`), plus the few
// shapes the document does not describe (streamed events, form fields).
import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['UserResponse'];
export type Settings = Schemas['SettingsResponse'];
/** `{message}`: what a route answers when it has nothing else to return (the server's ConfirmationResponse). */
export type Confirmation = Schemas['ConfirmationResponse'];
export type CancelResult = Schemas['CancelResponse'];

export type Assistant = Schemas['AssistantResponse'];
export type AssistantTool = Assistant['tools'][number];
export type ToolType = AssistantTool['type'];

/** The fields the assistant form edits (create and update take them). */
export type AssistantFields = Pick<Assistant, 'name' | 'description' | 'model' | 'instructions' | 'temperature' | 'tools' | 'metadata' | 'isActive'>;

export type StoredFile = Schemas['FileResponse'];
export type FileStatus = StoredFile['status'];
export type UploadResult = Schemas['UploadResponse'];
export type AssistantFiles = Schemas['AssistantFilesResponse'];

export type Thread = Schemas['ThreadResponse'];

/** A message of a thread (the server's MessageResponse). */
export type Message = Schemas['MessageResponse'];
export type MessageStatus = Message['status'];
export type TokenUsage = Schemas['UsageResponse'];
export type Citation = Schemas['CitationResponse'];
export type ChatReply = Schemas['ChatReply'];

/** Events of a streamed chat, run or regenerate (Server-Sent Events: not in the document). */
export type ChatEvent =
  | { type: 'message_created'; message: Message }
  | { type: 'token'; delta: string }
  | { type: 'message_completed'; message: Message }
  | { type: 'title'; title: string }
  /** Past the soft limit: the turn goes on, the user is told how much is used. */
  | { type: 'budget_warning'; usedPercent: number; resetsAt: string }
  | { type: 'error'; error: string; code: string }
  | { type: 'done' };

export type UsageReport = Schemas['UsageReport'];
export type UsageGroupBy = UsageReport['groupBy'];
export type UsageFigures = Schemas['UsageFigures'];
export type UsageGroup = Schemas['UsageGroup'];

export type SearchHit = Schemas['SearchHitResponse'];
export type SearchResult = Schemas['SearchResponse'];
export type Share = Schemas['ShareResponse'];
export type CreatedShare = Schemas['CreatedShareResponse'];
export type SharedThread = Schemas['SharedThreadResponse'];
