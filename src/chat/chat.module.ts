import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { BudgetsModule } from '../budgets/budgets.module.js';
import { FilesModule } from '../files/files.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { ChatFilesRepository } from './chat-files.repository.js';
import { ChatController } from './chat.controller.js';
import { ChatService } from './chat.service.js';
import { ContextService } from './context.service.js';
import { ImageCopies } from './image-copies.js';
import { MeteredCalls } from './metered-calls.js';
import { ReplyFlushes } from './reply-flusher.js';
import { ReplyRelay } from './reply-relay.js';
import { ReplyStore } from './reply-store.js';
import { ReplyStreamRepository } from './reply-stream.repository.js';
import { ReplyWatches } from './reply-watches.js';
import { SummariesService } from './summaries.service.js';
import { TitlesService } from './titles.service.js';
import { TurnExecutor } from './turn-executor.js';
import { TurnResponder } from './turn-responder.js';
import { TurnScopes } from './turn-scopes.repository.js';

@Module({
  imports: [AuthModule, BudgetsModule, AssistantsModule, FilesModule, ThreadsModule, RunsModule, UsageModule],
  controllers: [ChatController],
  providers: [
    ChatService,
    ChatFilesRepository,
    ContextService,
    ImageCopies,
    MeteredCalls,
    ReplyFlushes,
    ReplyRelay,
    ReplyStore,
    ReplyStreamRepository,
    ReplyWatches,
    SummariesService,
    TitlesService,
    TurnExecutor,
    TurnResponder,
    TurnScopes,
  ],
  exports: [ChatService],
})
export class ChatModule {}
