import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FeedbackModule } from '../feedback/feedback.module.js';
import { FilesModule } from '../files/files.module.js';
import { BranchLimits } from './branch-limits.js';
import { BranchRepository } from './branch.repository.js';
import { BranchesController } from './branches.controller.js';
import { BranchesService } from './branches.service.js';
import { MessageMetadataRepository } from './message-metadata.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { ThreadExportsService } from './thread-exports.service.js';
import { ThreadsController } from './threads.controller.js';
import { ThreadsRepository } from './threads.repository.js';
import { ThreadsService } from './threads.service.js';

@Module({
  imports: [AuthModule, AssistantsModule, FilesModule, FeedbackModule],
  controllers: [ThreadsController, BranchesController],
  providers: [ThreadsService, BranchesService, ThreadsRepository, MessagesRepository, BranchRepository, BranchLimits, ThreadExportsService, MessageMetadataRepository],
  exports: [ThreadsService, ThreadsRepository, MessagesRepository, MessageMetadataRepository, BranchRepository, BranchLimits],
})
export class ThreadsModule {}
