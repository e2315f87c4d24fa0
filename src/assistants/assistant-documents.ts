import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../database/sql.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { Assistant } from './assistant.entity.js';

/**
 * What an assistant's documents do when the assistant changes. Assistants
 * only declare it; the documents feature provides it (registered when its
 * module starts), so that assistants do not depend on documents.
 */
export interface AssistantDocuments {
  /** The attached file ids of each of the user's assistants, oldest attachment first. */
  fileIdsByAssistant(userId: string, assistantIds: string[]): Promise<Map<string, string[]>>;
  /** Attaches the user's documents, in the caller's transaction. */
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
