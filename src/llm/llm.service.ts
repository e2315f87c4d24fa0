import { Injectable } from '@nestjs/common';
import { OpenAIClients, type KeyHolder } from './openai-clients.js';
import { toUpstreamError } from './upstream-errors.js';
import { UserLlm } from './user-llm.js';

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

  /** OpenAI, as the given user: their own key (or the operator's fallback). */
  forUser(user: KeyHolder): UserLlm {
    const { client, keyRef } = this.clients.forUser(user);
    return new UserLlm(client, keyRef);
  }

  /**
   * Throws api_key_missing when the user has no key and there is no shared
   * one, api_key_unreadable when the stored key cannot be decrypted: checked
   * before a turn stores anything, so a refused turn leaves nothing behind.
   */
  assertKeyUsable(user: KeyHolder): void {
    this.clients.forUser(user);
  }

  /** Drops cached clients after the user's key changed. */
  forget(userId: string): void {
    this.clients.forget(userId);
  }
}
