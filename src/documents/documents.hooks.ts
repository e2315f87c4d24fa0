import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccountEvents } from '../auth/account-events.js';
import { AssistantDocumentsRegistry } from '../assistants/assistant-documents.js';
import type { Assistant } from '../assistants/assistant.entity.js';
import { AssistantsRepository } from '../assistants/assistants.repository.js';
import { notFound } from '../common/errors/domain-error.js';
import type { SqlExecutor } from '../database/sql.js';
import { FileHooks } from '../files/file-hooks.js';
import type { FileAttachmentResponse } from '../files/files.dto.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { UpstreamWorker } from '../upstream-sync/upstream-worker.js';
import { AssistantDocumentsRepository } from './assistant-documents.repository.js';
import { DocumentAttachments } from './document-attachments.service.js';
import { DocumentIndexing } from './document-indexing.service.js';
import { UpstreamCleanup } from './upstream-cleanup.service.js';
import { UpstreamQueue } from './upstream-queue.js';

/**
 * Where documents plug into the features they serve, none of which knows
 * them: assistants (attach, detach, deletion), stored files (uploads with an
 * assistant, deletion, attachment states), accounts (deletion) and the
 * upstream worker (the job kinds documents queue).
 */
@Injectable()
export class DocumentsHooks implements OnModuleInit {
  constructor(
    private readonly attachments: DocumentAttachments,
    private readonly rows: AssistantDocumentsRepository,
    private readonly assistants: AssistantsRepository,
    private readonly indexing: DocumentIndexing,
    private readonly cleanup: UpstreamCleanup,
    private readonly queue: UpstreamQueue,
    private readonly worker: UpstreamWorker,
    private readonly fileHooks: FileHooks,
    private readonly assistantDocuments: AssistantDocumentsRegistry,
    private readonly accountEvents: AccountEvents,
  ) {}

  onModuleInit(): void {
    this.worker.register('index_file', { run: (job) => this.indexing.run(job), giveUp: (job, error) => this.indexing.giveUp(job, error) });
    for (const [kind, handler] of Object.entries(this.cleanup.handlers())) {
      this.worker.register(kind as keyof ReturnType<UpstreamCleanup['handlers']>, handler);
    }
    const nudge = () => this.queue.nudge();
    this.assistantDocuments.register({
      documentsByAssistant: (userId, assistantIds, db) => this.attachments.documentsByAssistant(userId, assistantIds, db),
      attach: (assistant, files, db) => this.attachAndSearch(assistant, files, db),
      detach: (assistant, fileIds, db) => this.attachments.detach(assistant, fileIds, db),
      deleted: (assistant, db) => this.cleanup.assistantDeleted(assistant.userId, assistant.vectorStoreId, db),
      afterCommit: nudge,
    });
    this.fileHooks.onDeletion({ beforeDelete: (file, db) => this.cleanup.fileDeleted(file, db), afterDelete: nudge });
    this.fileHooks.setUploadTarget({
      check: async (userId, assistantId) => {
        if (!(await this.assistants.findOwned(userId, assistantId))) throw notFound('Assistant');
      },
      receive: (userId, assistantId, files, db) => this.receiveUpload(userId, assistantId, files, db),
      afterCommit: nudge,
    });
    this.fileHooks.setFileUses({
      attachmentsOf: (userId, fileIds) => this.attachmentsOf(userId, fileIds),
      attachedTo: async (userId, assistantId) => (await this.attachments.fileIdsByAssistant(userId, [assistantId])).get(assistantId) ?? [],
    });
    this.accountEvents.onAccountDeletion((user) => this.cleanup.purge(user.id));
  }

  /** Documents uploaded to an assistant are attached to it; images are kept for chat. */
  private async receiveUpload(userId: string, assistantId: string, files: StoredFile[], db: SqlExecutor): Promise<void> {
    const assistant = await this.assistants.findOwned(userId, assistantId, db);
    if (!assistant) throw notFound('Assistant');
    await this.attachAndSearch(
      assistant,
      files.filter((file) => file.kind === 'document'),
      db,
    );
  }

  /**
   * Every route that gives an assistant documents comes here: when it gains
   * any, file_search joins its tools, unless the user turned it off while it
   * had documents (Assistant.fileSearchOff), so that they are searched.
   */
  private async attachAndSearch(assistant: Assistant, files: StoredFile[], db: SqlExecutor): Promise<void> {
    const attached = await this.attachments.attach(assistant, files, db);
    if (attached.length > 0) await this.assistants.switchOnFileSearch(assistant.userId, assistant.id, db);
  }

  private async attachmentsOf(userId: string, fileIds: string[]): Promise<Map<string, FileAttachmentResponse[]>> {
    const result = new Map<string, FileAttachmentResponse[]>();
    for (const row of await this.rows.listForFiles(userId, fileIds)) {
      const list = result.get(row.file_id) ?? [];
      list.push({ assistantId: row.assistant_id, status: row.status, error: row.error });
      result.set(row.file_id, list);
    }
    return result;
  }
}
