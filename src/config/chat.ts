import { readChatAttachmentLimits, type ChatAttachmentLimits } from './chat-attachments.js';
import type { EnvReader } from './env-reader.js';

export type ContextMode = 'full' | 'summary_window';

export interface ChatConfig {
  maxInputChars: number;
  contextMode: ContextMode;
  /** Newest messages kept verbatim in summary_window mode. */
  windowMessages: number;
  summarizeAfterMessages: number;
  summaryUpdateInterval: number;
  contextTokenBudget: number;
  runStaleAfterSeconds: number;
  heartbeatIntervalMs: number;
  autoTitles: boolean;
  titleWaitMs: number;
  attachments: ChatAttachmentLimits;
}

export function readChatConfig(env: EnvReader): ChatConfig {
  return {
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
  };
}
