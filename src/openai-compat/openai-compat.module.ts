import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { OpenAiAssistantsController } from './openai-assistants.controller.js';
import { OpenAiAssistantsService } from './openai-assistants.service.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import { OpenAiMessagesService } from './openai-messages.service.js';
import { OpenAiThreadsController } from './openai-threads.controller.js';
import { OpenAiThreadsService } from './openai-threads.service.js';

/** /v1: OpenAI's retired Assistants API, served over the platform's own assistants, threads, messages and runs. */
@Module({
  imports: [AssistantsModule, ThreadsModule],
  controllers: [OpenAiAssistantsController, OpenAiThreadsController],
  providers: [OpenAiAssistantsService, OpenAiThreadsService, OpenAiMessagesService, OpenAiErrorFilter],
})
export class OpenAiCompatModule {}
