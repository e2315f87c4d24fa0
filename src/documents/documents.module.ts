import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { FilesModule } from '../files/files.module.js';
import { AssistantDocumentsRepository } from './assistant-documents.repository.js';
import { DocumentAttachments } from './document-attachments.service.js';
import { DocumentIndexing } from './document-indexing.service.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsHooks } from './documents.hooks.js';
import { DocumentsService } from './documents.service.js';
import { UpstreamCleanup } from './upstream-cleanup.service.js';
import { UpstreamLlm } from './upstream-llm.js';
import { UpstreamQueue } from './upstream-queue.js';

/**
 * Assistant documents: attaching stored files to assistants, each
 * assistant's vector store at OpenAI kept in step with them by background
 * jobs (the queue itself is UpstreamSyncModule's, shared with chat), and the
 * clean-up of copies at OpenAI when files, assistants or accounts go.
 */
@Module({
  imports: [AuthModule, AssistantsModule, FilesModule],
  controllers: [DocumentsController],
  providers: [
    AssistantDocumentsRepository,
    DocumentAttachments,
    DocumentIndexing,
    DocumentsService,
    DocumentsHooks,
    UpstreamCleanup,
    UpstreamLlm,
    UpstreamQueue,
  ],
})
export class DocumentsModule {}
