import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FilesModule } from '../files/files.module.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { ChatController } from './chat.controller.js';
import { ChatService } from './chat.service.js';
import { ContextService } from './context.service.js';
import { ImageCopies } from './image-copies.js';
import { RunRegistry } from './run-registry.js';
import { Run } from './run.entity.js';
import { RunsService } from './runs.service.js';
import { SummariesService } from './summaries.service.js';
import { TitlesService } from './titles.service.js';
import { TurnResponder } from './turn-responder.js';
import { TurnScopes } from './turn-scope.js';

@Module({
  imports: [TypeOrmModule.forFeature([Run]), AuthModule, AssistantsModule, FilesModule, ThreadsModule],
  controllers: [ChatController],
  providers: [ChatService, ContextService, ImageCopies, RunsService, RunRegistry, TitlesService, SummariesService, TurnResponder, TurnScopes],
  exports: [RunRegistry],
})
export class ChatModule {}
