import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FeedbackModule } from '../feedback/feedback.module.js';
import { FilesModule } from '../files/files.module.js';
import { ThreadExportsService } from './thread-exports.service.js';
import { MessagesRepository } from './messages.repository.js';
import { ThreadsController } from './threads.controller.js';
import { ThreadsRepository } from './threads.repository.js';
import { ThreadsService } from './threads.service.js';

@Module({
  imports: [AuthModule, AssistantsModule, FilesModule, FeedbackModule],
  controllers: [ThreadsController],
  providers: [ThreadsService, ThreadsRepository, MessagesRepository, ThreadExportsService],
  exports: [ThreadsService, ThreadsRepository, MessagesRepository],
})
export class ThreadsModule {}
