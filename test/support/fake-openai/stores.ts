import { newId, notFound, unixSeconds } from './wire.js';

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  contentType: string;
  bytes: Buffer;
  createdAt: number;
  expiresAt?: number;
}

export type VectorStoreFileStatus = 'in_progress' | 'completed' | 'failed';

export interface VectorStoreFileError {
  code: 'server_error' | 'unsupported_file' | 'invalid_file';
  message: string;
}

/** How attached files finish processing; read when a file is attached. */
export interface FileProcessingOptions {
  /** Status reads (polls) after which processing ends; 0 = done on attach. Default 1 unless `afterMs` is set. */
  after?: number;
  /** Milliseconds after attaching; with `after` too, whichever comes first. */
  afterMs?: number;
  outcome?: 'completed' | 'failed';
  lastError?: VectorStoreFileError;
  /** Sent as `openai-poll-after-ms`, which the SDK's poll helpers sleep for. Default 10. */
  pollAfterMs?: number;
}

const DEFAULT_POLLS = 1;
const DEFAULT_POLL_AFTER_MS = 10;

const DEFAULT_LAST_ERROR: VectorStoreFileError = { code: 'server_error', message: 'The file could not be processed.' };

export interface StoredVectorStoreFile {
  fileId: string;
  vectorStoreId: string;
  createdAt: number;
  attachedAtMs: number;
  attributes: Record<string, unknown> | null;
  chunkingStrategy: unknown;
  polls: number;
  status: VectorStoreFileStatus;
  lastError: VectorStoreFileError | null;
  processing: FileProcessingOptions;
}

interface AttachOptions {
  attributes?: Record<string, unknown>;
  chunkingStrategy?: unknown;
}

export interface StoredVectorStore {
  id: string;
  name: string;
  createdAt: number;
  lastActiveAt: number;
  metadata: Record<string, string>;
  expiresAfter?: unknown;
  files: Map<string, StoredVectorStoreFile>;
}

/** Files and vector stores, with processing that advances as its status is read. */
export class OpenAIStores {
  readonly files = new Map<string, StoredFile>();
  readonly vectorStores = new Map<string, StoredVectorStore>();
  private processing: FileProcessingOptions = {};

  setFileProcessing(options: FileProcessingOptions): void {
    this.processing = { ...options };
  }

  get pollAfterMs(): number {
    return this.processing.pollAfterMs ?? DEFAULT_POLL_AFTER_MS;
  }

  addFile(file: Omit<StoredFile, 'id' | 'createdAt'>): StoredFile {
    const stored: StoredFile = { id: newId.file(), createdAt: unixSeconds(), ...file };
    this.files.set(stored.id, stored);
    return stored;
  }

  file(fileId: string): StoredFile {
    const file = this.files.get(fileId);
    if (!file) throw notFound(`No such File object: ${fileId}`, 'id');
    return file;
  }

  /** A file a request may use: one past its `expires_at` is gone, as the API deletes it then. */
  liveFile(fileId: string): StoredFile {
    const file = this.files.get(fileId);
    if (!file || (file.expiresAt !== undefined && file.expiresAt <= unixSeconds())) {
      throw notFound(`No such File object: ${fileId}`, 'input');
    }
    return file;
  }

  deleteFile(fileId: string): void {
    this.file(fileId);
    this.files.delete(fileId);
  }

  createVectorStore(options: { name?: string; metadata?: Record<string, string>; expiresAfter?: unknown }) {
    const now = unixSeconds();
    const store: StoredVectorStore = {
      id: newId.vectorStore(),
      name: options.name ?? '',
      createdAt: now,
      lastActiveAt: now,
      metadata: options.metadata ?? {},
      expiresAfter: options.expiresAfter,
      files: new Map(),
    };
    this.vectorStores.set(store.id, store);
    return store;
  }

  vectorStore(vectorStoreId: string): StoredVectorStore {
    const store = this.vectorStores.get(vectorStoreId);
    if (!store) throw notFound(`No vector store found with id '${vectorStoreId}'.`);
    return store;
  }

  deleteVectorStore(vectorStoreId: string): void {
    this.vectorStore(vectorStoreId);
    this.vectorStores.delete(vectorStoreId);
  }

  attachFile(store: StoredVectorStore, fileId: string, options: AttachOptions = {}): StoredVectorStoreFile {
    if (!this.files.has(fileId)) throw notFound(`No file found with id '${fileId}'.`, 'file_id');
    const attached: StoredVectorStoreFile = {
      fileId,
      vectorStoreId: store.id,
      createdAt: unixSeconds(),
      attachedAtMs: Date.now(),
      attributes: options.attributes ?? {},
      chunkingStrategy: options.chunkingStrategy,
      polls: 0,
      status: 'in_progress',
      lastError: null,
      processing: this.processing,
    };
    store.files.set(fileId, attached);
    store.lastActiveAt = unixSeconds();
    settleIfDue(attached);
    return attached;
  }

  vectorStoreFile(store: StoredVectorStore, fileId: string): StoredVectorStoreFile {
    const attached = store.files.get(fileId);
    if (!attached) throw notFound(`No file found with id '${fileId}' in vector store '${store.id}'.`);
    return attached;
  }

  /** A read that reports processing status: it counts as a poll. */
  poll(attached: StoredVectorStoreFile): StoredVectorStoreFile {
    attached.polls += 1;
    settleIfDue(attached);
    return attached;
  }

  reset(): void {
    this.files.clear();
    this.vectorStores.clear();
    this.processing = {};
  }
}

function settleIfDue(attached: StoredVectorStoreFile): void {
  if (attached.status !== 'in_progress') return;
  const { afterMs, outcome = 'completed', lastError } = attached.processing;
  const after = attached.processing.after ?? (afterMs === undefined ? DEFAULT_POLLS : undefined);
  const pollsReached = after !== undefined && attached.polls >= after;
  const timeReached = afterMs !== undefined && Date.now() - attached.attachedAtMs >= afterMs;
  if (!pollsReached && !timeReached) return;
  attached.status = outcome;
  attached.lastError = outcome === 'failed' ? (lastError ?? DEFAULT_LAST_ERROR) : null;
}
