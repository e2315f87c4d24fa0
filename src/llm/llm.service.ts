import { Injectable } from '@nestjs/common';
import { OpenAIClients } from './openai-clients.js';
import { toUpstreamError } from './upstream-errors.js';

@Injectable()
export class LlmService {
  constructor(private readonly clients: OpenAIClients) {}

  /** Checks a key with the provider (GET /v1/models) before it is stored. */
  async verifyApiKey(apiKey: string): Promise<void> {
    try {
      await this.clients.forKey(apiKey).models.list({ maxRetries: 1 });
    } catch (error) {
      throw toUpstreamError(error);
    }
  }
}
