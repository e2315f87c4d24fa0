import { Injectable } from '@nestjs/common';
import { AssistantDocumentsRegistry } from '../assistants/assistant-documents.js';
import { AssistantsService } from '../assistants/assistants.service.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { KeysetPage } from '../database/keyset-page.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { StoredFilesRepository } from '../files/stored-files.repository.js';
import {
  VectorStoresRepository,
  type VectorStoreCounts,
  type VectorStoreFileBatchRow,
  type VectorStoreFileRow,
  type VectorStoreFileState,
  type VectorStoreRow,
} from './vector-stores.repository.js';

export interface NewVectorStore {
  name: string;
  metadata: Record<string, string>;
  fileIds: string[];
}

export interface VectorStoreWithCounts extends VectorStoreRow {
  counts: VectorStoreCounts;
}

export interface VectorStoreFileBatchWithCounts extends VectorStoreFileBatchRow {
  counts: VectorStoreCounts;
}

const NO_FILES: VectorStoreCounts = { in_progress: 0, completed: 0, failed: 0, total: 0, usage_bytes: 0 };

/**
 * Vector stores as the /v1 surface has them: a user's named sets of their
 * own documents. An assistant that uses a store has exactly the store's
 * files as its documents, attached and detached through the assistant
 * documents feature (which indexes them into the assistant's vector store at
 * OpenAI); a change to the store reaches the assistants using it in the same
 * transaction.
 */
@Injectable()
export class VectorStoresService {
  constructor(
    private readonly stores: VectorStoresRepository,
    private readonly assistants: AssistantsService,
    private readonly registry: AssistantDocumentsRegistry,
    private readonly files: FilesService,
    private readonly fileRows: StoredFilesRepository,
    private readonly transactions: Transactions,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(userId: string, store: NewVectorStore): Promise<VectorStoreWithCounts> {
    const files = await this.documents(userId, store.fileIds);
    const { maxPerUser } = this.config.vectorStores;
    const created = await this.transactions.run(async (tx) => {
      await this.stores.lockOwner(userId, tx);
      if ((await this.stores.count(userId, tx)) >= maxPerUser) {
        throw new DomainError('vector_store_limit_reached', `You can keep at most ${maxPerUser} vector stores; delete one first`);
      }
      const row = await this.stores.insert(userId, store.name, store.metadata, tx);
      await this.addWithin(userId, row.id, files, tx);
      return row;
    });
    return this.withCounts(userId, created);
  }

  /** The user's store, or 404 whether it does not exist or belongs to someone else. */
  async findOwned(userId: string, id: string, db?: SqlExecutor): Promise<VectorStoreRow> {
    const store = await this.stores.findOwned(userId, id, db);
    if (!store) throw notFound('Vector store');
    return store;
  }

  async get(userId: string, id: string): Promise<VectorStoreWithCounts> {
    return this.withCounts(userId, await this.findOwned(userId, id));
  }

  async page(userId: string, page: KeysetPage): Promise<{ stores: VectorStoreWithCounts[]; hasMore: boolean }> {
    const { stores, hasMore } = await this.stores.page(userId, page);
    const counts = await this.stores.counts(userId, stores.map((store) => store.id));
    return { stores: stores.map((store) => ({ ...store, counts: counts.get(store.id) ?? NO_FILES })), hasMore };
  }

  async update(userId: string, id: string, changes: { name?: string; metadata?: Record<string, string> }): Promise<VectorStoreWithCounts> {
    const updated = await this.stores.update(userId, id, changes);
    if (!updated) throw notFound('Vector store');
    return this.withCounts(userId, updated);
  }

  /** Deletes the store; the assistants using it lose its files as documents (the files themselves stay). */
  async delete(userId: string, id: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.stores.lockOwner(userId, tx);
      await this.findOwned(userId, id, tx);
      const fileIds = await this.stores.fileIds(userId, id, tx);
      for (const assistantId of await this.stores.assistantsUsing(userId, id, tx)) {
        await this.registry.documents.detach(await this.assistants.findOwned(userId, assistantId, tx), fileIds, tx);
      }
      await this.stores.delete(userId, id, tx);
    });
    this.registry.documents.afterCommit();
  }

  /** Adds one of the user's documents to the store (one already in it is answered as it is). */
  async addFile(userId: string, storeId: string, fileId: string): Promise<VectorStoreFileRow> {
    await this.findOwned(userId, storeId);
    const files = await this.documents(userId, [fileId]);
    await this.transactions.run(async (tx) => {
      await this.stores.lockOwner(userId, tx);
      await this.findOwned(userId, storeId, tx);
      await this.addWithin(userId, storeId, files, tx);
    });
    this.registry.documents.afterCommit();
    return this.getFile(userId, storeId, fileId);
  }

  /** Adds several of the user's documents at once, remembered as a batch whose state is theirs. */
  async addBatch(userId: string, storeId: string, fileIds: string[]): Promise<VectorStoreFileBatchWithCounts> {
    await this.findOwned(userId, storeId);
    const files = await this.documents(userId, fileIds);
    const batch = await this.transactions.run(async (tx) => {
      await this.stores.lockOwner(userId, tx);
      await this.findOwned(userId, storeId, tx);
      await this.addWithin(userId, storeId, files, tx);
      return this.stores.insertBatch(userId, storeId, files.map((file) => file.id), tx);
    });
    this.registry.documents.afterCommit();
    return { ...batch, counts: await this.stores.batchCounts(userId, batch) };
  }

  async getBatch(userId: string, storeId: string, batchId: string): Promise<VectorStoreFileBatchWithCounts> {
    await this.findOwned(userId, storeId);
    const batch = await this.stores.findBatch(userId, storeId, batchId);
    if (!batch) throw notFound('File batch');
    return { ...batch, counts: await this.stores.batchCounts(userId, batch) };
  }

  async getFile(userId: string, storeId: string, fileId: string): Promise<VectorStoreFileRow> {
    await this.findOwned(userId, storeId);
    const file = await this.stores.findFile(userId, storeId, fileId);
    if (!file) throw notFound('File');
    return file;
  }

  async filePage(userId: string, storeId: string, page: KeysetPage, state?: VectorStoreFileState) {
    await this.findOwned(userId, storeId);
    return this.stores.filePage(userId, storeId, page, state);
  }

  /** Takes a file out of the store (not out of the user's files); the assistants using the store detach it. */
  async removeFile(userId: string, storeId: string, fileId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.stores.lockOwner(userId, tx);
      await this.findOwned(userId, storeId, tx);
      if (!(await this.stores.removeFile(userId, storeId, fileId, tx))) throw notFound('File');
      for (const assistantId of await this.stores.assistantsUsing(userId, storeId, tx)) {
        await this.registry.documents.detach(await this.assistants.findOwned(userId, assistantId, tx), [fileId], tx);
      }
    });
    this.registry.documents.afterCommit();
  }

  /** The store each of these assistants uses, by assistant id. */
  storesOfAssistants(userId: string, assistantIds: string[]): Promise<Map<string, string>> {
    return this.stores.storesOfAssistants(userId, assistantIds);
  }

  /**
   * Makes the assistant use the store (or none): its documents become the
   * store's files, those it had besides are detached.
   */
  async useForAssistant(userId: string, assistantId: string, storeId: string | null): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.stores.lockOwner(userId, tx);
      const assistant = await this.assistants.findOwned(userId, assistantId, tx);
      if (storeId !== null) await this.findOwned(userId, storeId, tx);
      const wanted = storeId === null ? [] : await this.stores.fileIds(userId, storeId, tx);
      const current = (await this.registry.documents.documentsByAssistant(userId, [assistantId], tx)).get(assistantId) ?? [];
      const currentIds = current.map((document) => document.fileId);
      await this.stores.setAssistantStore(userId, assistantId, storeId, tx);
      await this.registry.documents.attach(assistant, await this.files.findExisting(userId, wanted.filter((id) => !currentIds.includes(id)), tx), tx);
      await this.registry.documents.detach(assistant, currentIds.filter((id) => !wanted.includes(id)), tx);
    });
    this.registry.documents.afterCommit();
  }

  /** Adds files within the caller's transaction, bounded per store, and attaches them to the assistants using it. */
  private async addWithin(userId: string, storeId: string, files: StoredFile[], tx: SqlExecutor): Promise<void> {
    const { maxFilesPerStore } = this.config.vectorStores;
    // The files' row locks, as attaching takes them: a file deleted since it was read is a 404, not a broken row.
    const locked = await this.fileRows.lockOwned(userId, files.map((file) => file.id), tx);
    if (locked.length !== new Set(files.map((file) => file.id)).size) throw notFound('File');
    const present = await this.stores.fileIds(userId, storeId, tx);
    const fresh = files.filter((file) => !present.includes(file.id));
    if (present.length + fresh.length > maxFilesPerStore) {
      throw new DomainError('vector_store_file_limit_reached', `A vector store holds at most ${maxFilesPerStore} files`);
    }
    await this.stores.addFiles(userId, storeId, fresh.map((file) => file.id), tx);
    for (const assistantId of await this.stores.assistantsUsing(userId, storeId, tx)) {
      await this.registry.documents.attach(await this.assistants.findOwned(userId, assistantId, tx), fresh, tx);
    }
  }

  /** The user's files (404 for any other), documents only: images cannot be searched (400). */
  private async documents(userId: string, fileIds: string[]): Promise<StoredFile[]> {
    const files = await this.files.findOwnedMany(userId, fileIds);
    const image = files.find((file) => file.kind !== 'document');
    if (image) throw new DomainError('validation_failed', `${image.filename} is an image; only documents can be searched`, [{ field: 'file_id', message: 'not a document' }]);
    return files;
  }

  private async withCounts(userId: string, store: VectorStoreRow): Promise<VectorStoreWithCounts> {
    const counts = await this.stores.counts(userId, [store.id]);
    return { ...store, counts: counts.get(store.id) ?? NO_FILES };
  }
}
