import type { VectorStoreFileRow } from '../vector-stores/vector-stores.repository.js';
import type { VectorStoreFileBatchWithCounts, VectorStoreWithCounts } from '../vector-stores/vector-stores.service.js';
import { toOpenAiId, unixSeconds } from './openai-ids.js';
import { unsupported } from './openai-wire.js';

export interface OpenAiVectorStore {
  id: string;
  object: 'vector_store';
  created_at: number;
  name: string;
  usage_bytes: number;
  file_counts: { in_progress: number; completed: number; failed: number; cancelled: number; total: number };
  status: 'in_progress' | 'completed';
  expires_at: null;
  last_active_at: null;
  metadata: Record<string, string>;
}

export interface OpenAiVectorStoreFile {
  id: string;
  object: 'vector_store.file';
  usage_bytes: number;
  created_at: number;
  vector_store_id: string;
  status: 'in_progress' | 'completed' | 'failed';
  last_error: { code: 'server_error'; message: string } | null;
}

/** A store is in progress while any of its files is being indexed for an assistant that uses it. */
export function toOpenAiVectorStore(store: VectorStoreWithCounts): OpenAiVectorStore {
  const { in_progress, completed, failed, total, usage_bytes } = store.counts;
  return {
    id: toOpenAiId('vs', store.id),
    object: 'vector_store',
    created_at: unixSeconds(store.created_at),
    name: store.name,
    usage_bytes,
    file_counts: { in_progress, completed, failed, cancelled: 0, total },
    status: in_progress > 0 ? 'in_progress' : 'completed',
    expires_at: null,
    last_active_at: null,
    metadata: store.metadata,
  };
}

export function toOpenAiVectorStoreFile(file: VectorStoreFileRow): OpenAiVectorStoreFile {
  return {
    id: toOpenAiId('file', file.file_id),
    object: 'vector_store.file',
    usage_bytes: file.size_bytes,
    created_at: unixSeconds(file.created_at),
    vector_store_id: toOpenAiId('vs', file.vector_store_id),
    status: file.state,
    last_error: file.state === 'failed' ? { code: 'server_error', message: file.error ?? 'Indexing failed' } : null,
  };
}

export interface OpenAiFileBatch {
  id: string;
  object: 'vector_store.files_batch';
  created_at: number;
  vector_store_id: string;
  status: 'in_progress' | 'completed' | 'failed';
  file_counts: OpenAiVectorStore['file_counts'];
}

/** A batch is in progress while any of its files is; failed when every one failed. */
export function toOpenAiFileBatch(batch: VectorStoreFileBatchWithCounts): OpenAiFileBatch {
  const { in_progress, completed, failed, total } = batch.counts;
  return {
    id: toOpenAiId('vsfb', batch.id),
    object: 'vector_store.files_batch',
    created_at: unixSeconds(batch.created_at),
    vector_store_id: toOpenAiId('vs', batch.vector_store_id),
    status: in_progress > 0 ? 'in_progress' : total > 0 && failed === total ? 'failed' : 'completed',
    file_counts: { in_progress, completed, failed, cancelled: 0, total },
  };
}

/** Chunking is the platform's (OpenAI's default): only "auto" is taken. */
export function assertAutoChunking(strategy: Record<string, unknown> | undefined): void {
  if (strategy !== undefined && (strategy.type !== 'auto' || Object.keys(strategy).length !== 1)) {
    unsupported('chunking_strategy', 'Only chunking_strategy {"type": "auto"} is supported');
  }
}
