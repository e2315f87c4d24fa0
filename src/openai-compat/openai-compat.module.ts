import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { ChatModule } from '../chat/chat.module.js';
import { FilesModule } from '../files/files.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { VectorStoresModule } from '../vector-stores/vector-stores.module.js';
import { OpenAiAssistantsController } from './openai-assistants.controller.js';
import { OpenAiAssistantsService } from './openai-assistants.service.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import { OpenAiFilesController } from './openai-files.controller.js';
import { OpenAiFilesService } from './openai-files.service.js';
import { OpenAiMessagesService } from './openai-messages.service.js';
import { OpenAiRunsController } from './openai-runs.controller.js';
import { OpenAiRunsService } from './openai-runs.service.js';
import { OpenAiThreadsController } from './openai-threads.controller.js';
import { OpenAiThreadsService } from './openai-threads.service.js';
import { OpenAiVectorStoresController } from './openai-vector-stores.controller.js';
import { OpenAiVectorStoresService } from './openai-vector-stores.service.js';

/** /v1: OpenAI's retired Assistants API, served over the platform's own assistants, threads, messages, runs, files and vector stores. */
@Module({
  imports: [AssistantsModule, ThreadsModule, RunsModule, ChatModule, FilesModule, VectorStoresModule],
  // The runs controller first: POST /v1/threads/runs must not be read as a thread id.
  controllers: [OpenAiAssistantsController, OpenAiRunsController, OpenAiThreadsController, OpenAiFilesController, OpenAiVectorStoresController],
  providers: [
    OpenAiAssistantsService,
    OpenAiThreadsService,
    OpenAiMessagesService,
    OpenAiRunsService,
    OpenAiFilesService,
    OpenAiVectorStoresService,
    OpenAiErrorFilter,
  ],
})
export class OpenAiCompatModule {}
