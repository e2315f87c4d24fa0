import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { OpenAiAssistantsController } from './openai-assistants.controller.js';
import { OpenAiAssistantsService } from './openai-assistants.service.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';

/** /v1: OpenAI's retired Assistants API, served over the platform's own assistants, threads, messages and runs. */
@Module({
  imports: [AssistantsModule],
  controllers: [OpenAiAssistantsController],
  providers: [OpenAiAssistantsService, OpenAiErrorFilter],
})
export class OpenAiCompatModule {}
