// Calls of the conversation: versions of a message (edit, activate), forks,
// ratings, the models a turn may use and the server's public limits.
import { requestJson } from './http';
import type { components } from './schema';
import type { Confirmation, Thread } from './types';

type Schemas = components['schemas'];
export type Feedback = Schemas['MessageFeedbackResponse'];
export type ModelList = Schemas['ModelListResponse'];

/** The parts of GET /config the conversation reads. */
export interface PublicConfig {
  defaultModel: string;
  /** The model of chats without an assistant (null: such chats are refused). */
  chatModel: string | null;
  limits: { chatInputChars: number; feedbackCommentChars: number; uploadFileBytes: number };
}

const id = (value: string) => encodeURIComponent(value);

export const conversation = {
  /** Streams the reply to an edited user message (a new version on a new branch). */
  editPath: (threadId: string, messageId: string) => `/api/threads/${id(threadId)}/messages/${id(messageId)}/edit`,
  /** Shows the branch through this message (its newest reply down). */
  activate: (threadId: string, messageId: string) =>
    requestJson<Thread>('POST', `/api/threads/${id(threadId)}/messages/${id(messageId)}/activate`),
  /** A new thread holding the conversation up to this message. */
  fork: (threadId: string, messageId: string) => requestJson<Thread>('POST', `/api/threads/${id(threadId)}/fork`, { body: { messageId } }),
  rate: (messageId: string, rating: Feedback['rating'], comment?: string) =>
    requestJson<Feedback>('PUT', `/api/messages/${id(messageId)}/feedback`, { body: { rating, comment: comment || null } }),
  clearRating: (messageId: string) => requestJson<Confirmation>('DELETE', `/api/messages/${id(messageId)}/feedback`),
  models: () => requestJson<ModelList>('GET', '/api/models'),
};

let config: Promise<PublicConfig> | undefined;

/** GET /config, read once per page (it changes only with a restart). */
export function publicConfig(): Promise<PublicConfig> {
  config ??= requestJson<PublicConfig>('GET', '/config').catch((error: unknown) => {
    config = undefined;
    throw error;
  });
  return config;
}
