import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FilesModule } from '../files/files.module.js';
import { Message } from './message.entity.js';
import { MessagesRepository } from './messages.repository.js';
import { Thread } from './thread.entity.js';
import { ThreadsController } from './threads.controller.js';
import { ThreadsRepository } from './threads.repository.js';
import { ThreadsService } from './threads.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Thread, Message]), AuthModule, AssistantsModule, FilesModule],
  controllers: [ThreadsController],
  providers: [ThreadsService, ThreadsRepository, MessagesRepository],
  exports: [ThreadsService, ThreadsRepository, MessagesRepository],
})
export class ThreadsModule {}
