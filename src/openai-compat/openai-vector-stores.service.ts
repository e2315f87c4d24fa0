import { Injectable } from '@nestjs/common';
import { VectorStoresService } from '../vector-stores/vector-stores.service.js';
import type { OpenAiListQuery } from './openai-assistants.dto.js';
import { fromOpenAiId } from './openai-ids.js';
import type {
  CreateOpenAiFileBatchDto,
  CreateOpenAiVectorStoreDto,
  CreateOpenAiVectorStoreFileDto,
  ModifyOpenAiVectorStoreDto,
  OpenAiVectorStoreFilesQuery,
} from './openai-vector-stores.dto.js';
import {
  assertAutoChunking,
  toOpenAiFileBatch,
  toOpenAiVectorStore,
  toOpenAiVectorStoreFile,
  type OpenAiFileBatch,
  type OpenAiVectorStore,
  type OpenAiVectorStoreFile,
} from './openai-vector-stores.mapper.js';
import { keysetPageOf, openAiList, unsupported, type OpenAiList } from './openai-wire.js';

/** OpenAI's vector stores over the platform's (named sets of the user's documents, see VectorStoresService). */
@Injectable()
export class OpenAiVectorStoresService {
  constructor(private readonly stores: VectorStoresService) {}

  async create(userId: string, dto: CreateOpenAiVectorStoreDto): Promise<OpenAiVectorStore> {
    assertAutoChunking(dto.chunking_strategy);
    if (dto.expires_after !== undefined && dto.expires_after !== null) unsupported('expires_after', 'expires_after is not supported: vector stores are kept until deleted');
    const created = await this.stores.create(userId, {
      name: dto.name ?? '',
      metadata: dto.metadata ?? {},
      fileIds: (dto.file_ids ?? []).map((id) => fromOpenAiId('file', id)),
    });
    return toOpenAiVectorStore(created);
  }

  async list(userId: string, query: OpenAiListQuery): Promise<OpenAiList<OpenAiVectorStore>> {
    const page = keysetPageOf(query, 'vs');
    if (!page) return openAiList([], false);
    const { stores, hasMore } = await this.stores.page(userId, page);
    return openAiList(stores.map(toOpenAiVectorStore), hasMore);
  }

  async get(userId: string, id: string): Promise<OpenAiVectorStore> {
    return toOpenAiVectorStore(await this.stores.get(userId, fromOpenAiId('vs', id)));
  }

  /** Renames the store or replaces its metadata (null clears it, as OpenAI does). */
  async modify(userId: string, id: string, dto: ModifyOpenAiVectorStoreDto): Promise<OpenAiVectorStore> {
    if (dto.expires_after !== undefined && dto.expires_after !== null) unsupported('expires_after', 'expires_after is not supported: vector stores are kept until deleted');
    const changes = {
      ...(dto.name !== undefined ? { name: dto.name ?? '' } : {}),
      ...(dto.metadata !== undefined ? { metadata: dto.metadata ?? {} } : {}),
    };
    return toOpenAiVectorStore(await this.stores.update(userId, fromOpenAiId('vs', id), changes));
  }

  async delete(userId: string, id: string): Promise<{ id: string; object: 'vector_store.deleted'; deleted: true }> {
    await this.stores.delete(userId, fromOpenAiId('vs', id));
    return { id, object: 'vector_store.deleted', deleted: true };
  }

  async addFile(userId: string, storeId: string, dto: CreateOpenAiVectorStoreFileDto): Promise<OpenAiVectorStoreFile> {
    assertAutoChunking(dto.chunking_strategy);
    if (dto.attributes !== undefined && dto.attributes !== null) unsupported('attributes', 'File attributes are not supported');
    const added = await this.stores.addFile(userId, fromOpenAiId('vs', storeId), fromOpenAiId('file', dto.file_id));
    return toOpenAiVectorStoreFile(added);
  }

  async addBatch(userId: string, storeId: string, dto: CreateOpenAiFileBatchDto): Promise<OpenAiFileBatch> {
    assertAutoChunking(dto.chunking_strategy);
    if (dto.attributes !== undefined && dto.attributes !== null) unsupported('attributes', 'File attributes are not supported');
    const fileIds = dto.file_ids.map((id) => fromOpenAiId('file', id));
    return toOpenAiFileBatch(await this.stores.addBatch(userId, fromOpenAiId('vs', storeId), fileIds));
  }

  async getBatch(userId: string, storeId: string, batchId: string): Promise<OpenAiFileBatch> {
    return toOpenAiFileBatch(await this.stores.getBatch(userId, fromOpenAiId('vs', storeId), fromOpenAiId('vsfb', batchId)));
  }

  async listFiles(userId: string, storeId: string, query: OpenAiVectorStoreFilesQuery): Promise<OpenAiList<OpenAiVectorStoreFile>> {
    const uuid = fromOpenAiId('vs', storeId);
    const page = keysetPageOf(query, 'file');
    // Nothing is ever cancelled here.
    if (!page || query.filter === 'cancelled') {
      await this.stores.findOwned(userId, uuid);
      return openAiList([], false);
    }
    const { files, hasMore } = await this.stores.filePage(userId, uuid, page, query.filter);
    return openAiList(files.map(toOpenAiVectorStoreFile), hasMore);
  }

  async getFile(userId: string, storeId: string, fileId: string): Promise<OpenAiVectorStoreFile> {
    return toOpenAiVectorStoreFile(await this.stores.getFile(userId, fromOpenAiId('vs', storeId), fromOpenAiId('file', fileId)));
  }

  async removeFile(userId: string, storeId: string, fileId: string): Promise<{ id: string; object: 'vector_store.file.deleted'; deleted: true }> {
    await this.stores.removeFile(userId, fromOpenAiId('vs', storeId), fromOpenAiId('file', fileId));
    return { id: fileId, object: 'vector_store.file.deleted', deleted: true };
  }
}
