import { readChatAttachmentLimits, type ChatAttachmentLimits } from './chat-attachments.js';
import { readChatStreamSettings, type ChatStreamSettings } from './chat-streams.js';
import { ConfigError, type EnvReader } from './env-reader.js';

export type ContextMode = 'full' | 'summary_window';

export interface ChatConfig {
  maxInputChars: number;
  contextMode: ContextMode;
  /**
   * summary_window mode: newest messages a summary leaves verbatim. Messages
   * the summary does not cover yet are always sent (within the token budget).
   */
  windowMessages: number;
  summarizeAfterMessages: number;
  summaryUpdateInterval: number;
  contextTokenBudget: number;
  runStaleAfterSeconds: number;
  heartbeatIntervalMs: number;
  autoTitles: boolean;
  titleWaitMs: number;
  attachments: ChatAttachmentLimits;
  /** Versions one message may have (edits of a user message, regenerated replies), itself included. */
  maxMessageVersions: number;
  /** Messages one thread may hold on all its branches together. */
  maxThreadMessages: number;
  streams: ChatStreamSettings;
}

/**
 * The most messages one turn reads: in full mode the newest, in
 * summary_window mode those its summary does not cover yet. The token budget
 * trims further (in summary_window mode, by summarising first).
 */
export const CONTEXT_READ_LIMIT = 1_000;

export function readChatConfig(env: EnvReader): ChatConfig {
  const config: ChatConfig = {
    maxInputChars: env.integer('CHAT_MAX_INPUT_CHARS', { default: 32_000, min: 1 }),
    contextMode: env.oneOf<ContextMode>('CONTEXT_MODE', ['full', 'summary_window'], 'summary_window'),
    windowMessages: env.integer('CONTEXT_WINDOW_MESSAGES', { default: 20, min: 1 }),
    summarizeAfterMessages: env.integer('CONTEXT_SUMMARIZE_AFTER', { default: 30, min: 1 }),
    summaryUpdateInterval: env.integer('CONTEXT_SUMMARY_INTERVAL', { default: 10, min: 1 }),
    contextTokenBudget: env.integer('CONTEXT_TOKEN_BUDGET', { default: 60_000, min: 100 }),
    runStaleAfterSeconds: env.integer('RUN_STALE_AFTER_SECONDS', { default: 60, min: 1 }),
    heartbeatIntervalMs: env.integer('SSE_HEARTBEAT_MS', { default: 15_000, min: 10 }),
    autoTitles: env.boolean('AUTO_TITLES', true),
    titleWaitMs: env.integer('TITLE_WAIT_MS', { default: 3_000, min: 0 }),
    attachments: readChatAttachmentLimits(env),
    maxMessageVersions: env.integer('CHAT_MAX_MESSAGE_VERSIONS', { default: 50, min: 1, max: 1_000 }),
    maxThreadMessages: env.integer('CHAT_MAX_THREAD_MESSAGES', { default: 10_000, min: 2, max: 1_000_000 }),
    streams: readChatStreamSettings(env),
  };
  checkContextSettings(config);
  return config;
}

/**
 * A summary covers what falls out of the window; until it is written (or
 * refreshed) the uncovered messages are all sent. They must fit what a turn
 * reads, or every turn of a long thread would have to summarise first.
 */
function checkContextSettings(chat: ChatConfig): void {
  if (chat.summarizeAfterMessages > CONTEXT_READ_LIMIT) {
    throw new ConfigError(`CONTEXT_SUMMARIZE_AFTER must be at most ${CONTEXT_READ_LIMIT} (the messages a turn reads)`);
  }
  if (chat.windowMessages + chat.summaryUpdateInterval > CONTEXT_READ_LIMIT) {
    throw new ConfigError(`CONTEXT_WINDOW_MESSAGES + CONTEXT_SUMMARY_INTERVAL must be at most ${CONTEXT_READ_LIMIT} (the messages a turn reads)`);
  }
}
