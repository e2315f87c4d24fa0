import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { LlmService } from '../llm/llm.service.js';
import { apiKeyHint } from './api-key-hint.js';
import type { SettingsResponse } from './settings.dto.js';

/** Checks default-assistant ids; provided by the assistants module. */
export abstract class AssistantOwnership {
  abstract assertOwned(userId: string, assistantId: string): Promise<void>;
}

@Injectable()
export class SettingsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly usersService: UsersService,
    private readonly secrets: SecretBox,
    private readonly llm: LlmService,
    private readonly assistants: AssistantOwnership,
  ) {}

  async get(userId: string): Promise<SettingsResponse> {
    const user = await this.usersService.get(userId);
    return {
      hasApiKey: user.apiKeyCiphertext !== null,
      apiKeyHint: user.apiKeyHint,
      defaultAssistantId: user.defaultAssistantId,
    };
  }

  /** Stores a key only after the provider accepted it; it is kept encrypted. */
  async setApiKey(userId: string, apiKey: string): Promise<void> {
    await this.llm.verifyApiKey(apiKey);
    const sealed = this.secrets.seal(apiKey, userId);
    await this.users
      .createQueryBuilder()
      .update()
      .set({
        apiKeyCiphertext: sealed.ciphertext,
        apiKeyKeyId: sealed.keyId,
        apiKeyHint: apiKeyHint(apiKey),
        apiKeyVersion: () => 'api_key_version + 1',
      })
      .where('id = :userId', { userId })
      .execute();
    this.llm.forget(userId);
  }

  async deleteApiKey(userId: string): Promise<void> {
    await this.users
      .createQueryBuilder()
      .update()
      .set({ apiKeyCiphertext: null, apiKeyKeyId: null, apiKeyHint: null, apiKeyVersion: () => 'api_key_version + 1' })
      .where('id = :userId', { userId })
      .execute();
    this.llm.forget(userId);
  }

  async setDefaultAssistant(userId: string, assistantId: string | null): Promise<void> {
    if (assistantId !== null) await this.assistants.assertOwned(userId, assistantId);
    await this.users.update({ id: userId }, { defaultAssistantId: assistantId });
  }
}
