import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FilesModule } from '../files/files.module.js';
import { MessagesRepository } from './messages.repository.js';
import { ThreadsController } from './threads.controller.js';
import { ThreadsRepository } from './threads.repository.js';
import { ThreadsService } from './threads.service.js';

@Module({
  imports: [AuthModule, AssistantsModule, FilesModule],
  controllers: [ThreadsController],
  providers: [ThreadsService, ThreadsRepository, MessagesRepository],
  exports: [ThreadsService, ThreadsRepository, MessagesRepository],
})
export class ThreadsModule {}
