import type { EnvReader } from './env-reader.js';

/** What one chat turn may carry and load of its files (read from the environment by loadConfig). */
export interface ChatAttachmentLimits {
  /** Images one message may carry (a message with more is refused). */
  maxImagesPerMessage: number;
  /** Images one turn sends, history included; older ones beyond it are left out of the turn. */
  maxImagesPerTurn: number;
  /** Bytes of attachments one turn sends, counted from the stored sizes (text: up to what is read of it). */
  maxBytesPerTurn: number;
  /** Characters of a text attachment that go into a turn; only the start of the file is read. */
  maxTextChars: number;
  /** Image uploads to OpenAI Files one turn runs at once. */
  uploadConcurrency: number;
  /** Lifetime of an image's copy at OpenAI (Files `expires_after`); a copy near its end is made again. */
  upstreamCopySeconds: number;
  /** Word documents whose text is extracted at once (each in a worker thread); others wait. */
  documentConcurrency: number;
  /** Heap of each extraction's worker thread, in MB: a document that needs more is unreadable. */
  documentHeapMb: number;
  /** Longest an extraction runs (or waits for its turn); past it the document is unreadable. */
  documentTimeoutMs: number;
}

/** OpenAI's bounds for `expires_after.seconds`: one hour to thirty days. */
const MIN_COPY_SECONDS = 3_600;
const MAX_COPY_SECONDS = 30 * 24 * 3_600;

export function readChatAttachmentLimits(env: EnvReader): ChatAttachmentLimits {
  return {
    maxImagesPerMessage: env.integer('CHAT_MAX_IMAGES_PER_MESSAGE', { default: 10, min: 0, max: 500 }),
    maxImagesPerTurn: env.integer('CHAT_MAX_IMAGES_PER_TURN', { default: 20, min: 0, max: 500 }),
    // Room for a message of the most images at the default upload size (10 x 20 MB).
    maxBytesPerTurn: env.byteSize('CHAT_MAX_ATTACHMENT_BYTES_PER_TURN', 200 * 1024 ** 2),
    maxTextChars: env.integer('CHAT_MAX_TEXT_ATTACHMENT_CHARS', { default: 100_000, min: 1, max: 10_000_000 }),
    uploadConcurrency: env.integer('CHAT_IMAGE_UPLOAD_CONCURRENCY', { default: 3, min: 1, max: 32 }),
    documentConcurrency: env.integer('CHAT_DOCUMENT_CONCURRENCY', { default: 2, min: 1, max: 32 }),
    documentHeapMb: env.integer('CHAT_DOCUMENT_HEAP_MB', { default: 256, min: 16, max: 4_096 }),
    documentTimeoutMs: env.integer('CHAT_DOCUMENT_TIMEOUT_MS', { default: 15_000, min: 100, max: 600_000 }),
    upstreamCopySeconds: env.integer('CHAT_IMAGE_COPY_TTL_SECONDS', { default: MAX_COPY_SECONDS, min: MIN_COPY_SECONDS, max: MAX_COPY_SECONDS }),
  };
}
