import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { ChatModule } from '../chat/chat.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { OpenAiAssistantsController } from './openai-assistants.controller.js';
import { OpenAiAssistantsService } from './openai-assistants.service.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import { OpenAiMessagesService } from './openai-messages.service.js';
import { OpenAiRunsController } from './openai-runs.controller.js';
import { OpenAiRunsService } from './openai-runs.service.js';
import { OpenAiThreadsController } from './openai-threads.controller.js';
import { OpenAiThreadsService } from './openai-threads.service.js';

/** /v1: OpenAI's retired Assistants API, served over the platform's own assistants, threads, messages and runs. */
@Module({
  imports: [AssistantsModule, ThreadsModule, RunsModule, ChatModule],
  // The runs controller first: POST /v1/threads/runs must not be read as a thread id.
  controllers: [OpenAiAssistantsController, OpenAiRunsController, OpenAiThreadsController],
  providers: [OpenAiAssistantsService, OpenAiThreadsService, OpenAiMessagesService, OpenAiRunsService, OpenAiErrorFilter],
})
export class OpenAiCompatModule {}
