import type { EnvReader } from './env-reader.js';

/** How a reply outlives the request that started it, and how clients attach to it (read by loadConfig). */
export interface ChatStreamSettings {
  /** A reply goes on when its client disconnects (false: it stops, stored as incomplete). */
  continueOnDisconnect: boolean;
  /** How often the partial reply is written to its message row while it streams, for clients attached elsewhere. */
  flushMs: number;
  /** Streams of running replies (GET /api/threads/:id/stream) one user may hold open on one instance. */
  maxAttachedPerUser: number;
}

export function readChatStreamSettings(env: EnvReader): ChatStreamSettings {
  return {
    continueOnDisconnect: env.boolean('CHAT_CONTINUE_ON_DISCONNECT', true),
    flushMs: env.integer('CHAT_STREAM_FLUSH_MS', { default: 250, min: 20, max: 10_000 }),
    maxAttachedPerUser: env.integer('CHAT_STREAM_MAX_ATTACHED_PER_USER', { default: 10, min: 1, max: 1_000 }),
  };
}
