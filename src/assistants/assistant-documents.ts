import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../database/sql.js';
import type { FileStatus, StoredFile } from '../files/stored-file.entity.js';
import type { Assistant } from './assistant.entity.js';

/** One of an assistant's documents and how far its indexing is. */
export interface AssistantDocumentState {
  fileId: string;
  status: FileStatus;
}

/**
 * What an assistant's documents do when the assistant changes. Assistants
 * only declare it; the documents feature provides it (registered when its
 * module starts), so that assistants do not depend on documents.
 */
export interface AssistantDocuments {
  /** The attached documents of each of the user's assistants, oldest attachment first (in the caller's transaction when given one). */
  documentsByAssistant(userId: string, assistantIds: string[], db?: SqlExecutor): Promise<Map<string, AssistantDocumentState[]>>;
  /**
   * Attaches the user's documents, in the caller's transaction; an assistant
   * that gains documents gets file_search unless the user turned it off.
   */
  attach(assistant: Assistant, files: StoredFile[], db: SqlExecutor): Promise<void>;
  /** Detaches files, in the caller's transaction. */
  detach(assistant: Assistant, fileIds: string[], db: SqlExecutor): Promise<void>;
  /** The assistant was deleted in this transaction, with the vector store its row held. */
  deleted(assistant: { id: string; userId: string; vectorStoreId: string | null }, db: SqlExecutor): Promise<void>;
  /** After a transaction that attached, detached or deleted committed. */
  afterCommit(): void;
}

/** Where assistants find their documents' handler. */
@Injectable()
export class AssistantDocumentsRegistry {
  private handler: AssistantDocuments | undefined;

  register(handler: AssistantDocuments): void {
    this.handler = handler;
  }

  get documents(): AssistantDocuments {
    if (!this.handler) throw new Error('no handler of assistant documents is registered');
    return this.handler;
  }
}
