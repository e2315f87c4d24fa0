/** Wire shapes (per the OpenAPI spec) of the objects the fake stores. */
import type { StoredFile, StoredVectorStore, StoredVectorStoreFile } from './stores.js';

/** Chunking the API reports when none was requested. */
const DEFAULT_CHUNKING_STRATEGY = { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } };

const MODEL_CREATED_AT = 1_700_000_000;

export function modelObject(id: string) {
  return { id, object: 'model', created: MODEL_CREATED_AT, owned_by: id.startsWith('gpt-') ? 'openai' : 'system' };
}

export function fileObject(file: StoredFile) {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes.length,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    // Deprecated but still required by the spec.
    status: 'processed',
    ...(file.expiresAt === undefined ? {} : { expires_at: file.expiresAt }),
  };
}

export function vectorStoreFileObject(attached: StoredVectorStoreFile, file: StoredFile | undefined) {
  return {
    id: attached.fileId,
    object: 'vector_store.file',
    usage_bytes: attached.status === 'completed' ? (file?.bytes.length ?? 0) : 0,
    created_at: attached.createdAt,
    vector_store_id: attached.vectorStoreId,
    status: attached.status,
    last_error: attached.lastError,
    chunking_strategy: staticChunking(attached.chunkingStrategy),
    attributes: attached.attributes,
  };
}

function staticChunking(requested: unknown) {
  if (typeof requested === 'object' && requested !== null && (requested as { type?: string }).type === 'static') {
    return requested;
  }
  return DEFAULT_CHUNKING_STRATEGY;
}

export function vectorStoreObject(store: StoredVectorStore, files: ReadonlyMap<string, StoredFile>) {
  const attached = [...store.files.values()];
  const count = (status: StoredVectorStoreFile['status']) => attached.filter((file) => file.status === status).length;
  const inProgress = count('in_progress');
  const usageBytes = attached
    .map((file) => vectorStoreFileObject(file, files.get(file.fileId)).usage_bytes)
    .reduce((total, bytes) => total + bytes, 0);
  return {
    id: store.id,
    object: 'vector_store',
    created_at: store.createdAt,
    name: store.name,
    usage_bytes: usageBytes,
    file_counts: {
      in_progress: inProgress,
      completed: count('completed'),
      failed: count('failed'),
      cancelled: 0,
      total: attached.length,
    },
    status: inProgress > 0 ? 'in_progress' : 'completed',
    ...(store.expiresAfter === undefined ? {} : { expires_after: store.expiresAfter }),
    expires_at: null,
    last_active_at: store.lastActiveAt,
    metadata: store.metadata,
  };
}

export function deletedObject(id: string, object: string) {
  return { id, object, deleted: true };
}

export interface ListQuery {
  limit?: string;
  order?: string;
  after?: string;
  before?: string;
}

/**
 * A cursor page as the list endpoints answer it. The spec types `first_id`/`last_id` as required
 * strings; an empty page has no ids, so it carries null like the real API.
 */
export function listPage<T extends { id: string }>(itemsOldestFirst: T[], query: ListQuery, defaultLimit: number) {
  const ordered = query.order === 'asc' ? itemsOldestFirst : [...itemsOldestFirst].reverse();
  let start = 0;
  let end = ordered.length;
  if (query.after) start = ordered.findIndex((item) => item.id === query.after) + 1;
  if (query.before) end = Math.max(0, ordered.findIndex((item) => item.id === query.before));
  const limit = Number(query.limit ?? defaultLimit) || defaultLimit;
  const data = ordered.slice(start, Math.min(end, start + limit));
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + data.length < end,
  };
}
