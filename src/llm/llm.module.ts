import { Global, Module } from '@nestjs/common';
import { LlmService } from './llm.service.js';
import { ModelCatalog } from './model-catalog.js';
import { OpenAIClients } from './openai-clients.js';

/** The one seam to OpenAI: nothing outside this folder imports the SDK. */
@Global()
@Module({ providers: [OpenAIClients, ModelCatalog, LlmService], exports: [LlmService] })
export class LlmModule {}
