import { Injectable } from '@nestjs/common';
import type { AssistantFilesResponse } from '../assistants/assistants.dto.js';
import { AssistantsService } from '../assistants/assistants.service.js';
import { Transactions } from '../database/sql.js';
import { FilesService } from '../files/files.service.js';
import { DocumentAttachments } from './document-attachments.service.js';
import { UpstreamQueue } from './upstream-queue.js';

/** An assistant's documents as its routes show and change them. */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly assistants: AssistantsService,
    private readonly files: FilesService,
    private readonly attachments: DocumentAttachments,
    private readonly transactions: Transactions,
    private readonly queue: UpstreamQueue,
  ) {}

  /** The assistant's documents (404 for anyone else's assistant) and its vector store. */
  async list(userId: string, assistantId: string): Promise<AssistantFilesResponse> {
    const assistant = await this.assistants.findOwned(userId, assistantId);
    const [files] = await this.files.list(userId, { assistantId, limit: 10_000, offset: 0 });
    return { vectorStoreId: assistant.vectorStoreId, files: await this.files.toResponses(userId, files) };
  }

  /** Detaches one document; 404 unless the file is the user's and attached to this assistant. */
  async detach(userId: string, assistantId: string, fileId: string): Promise<void> {
    const assistant = await this.assistants.findOwned(userId, assistantId);
    await this.transactions.run((tx) => this.attachments.detachOne(assistant, fileId, tx));
    this.queue.nudge();
  }

  /** Queues the file's failed attachments for another try (404 for anyone else's file). */
  async retry(userId: string, fileId: string): Promise<void> {
    const file = await this.files.findOwned(userId, fileId);
    await this.transactions.run((tx) => this.attachments.retry(file, tx));
    this.queue.nudge();
  }
}
