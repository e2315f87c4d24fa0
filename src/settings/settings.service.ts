import { AuditService } from '../audit/audit.service.js';
import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../common/errors/domain-error.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { LlmService } from '../llm/llm.service.js';
import { apiKeyHint } from './api-key-hint.js';
import type { AccountSettings } from './settings.dto.js';
import { SettingsRepository, type SettingsRow } from './settings.repository.js';

/** Checks default-assistant ids; provided by the assistants module. */
export abstract class AssistantOwnership {
  abstract assertOwned(userId: string, assistantId: string): Promise<void>;
}

/** The port SettingsService needs of its repository (fakes in unit specs implement it). */
export type SettingsStore = Pick<SettingsRepository, 'find' | 'setApiKey' | 'clearApiKey' | 'setDefaultAssistant'>;

/** What settings need of the audit log. */
export type AuditRecorder = Pick<AuditService, 'record'>;

/** What settings need of the model provider: a key check, and forgetting clients built from an old key. */
export type ApiKeyProvider = Pick<LlmService, 'verifyApiKey' | 'forget'>;

export function toSettingsResponse(row: SettingsRow): AccountSettings {
  return { hasApiKey: row.api_key_ciphertext !== null, apiKeyHint: row.api_key_hint, defaultAssistantId: row.default_assistant_id };
}

@Injectable()
export class SettingsService {
  constructor(
    @Inject(SettingsRepository) private readonly settings: SettingsStore,
    private readonly secrets: SecretBox,
    @Inject(LlmService) private readonly llm: ApiKeyProvider,
    private readonly assistants: AssistantOwnership,
    @Inject(AuditService) private readonly audit: AuditRecorder,
  ) {}

  async get(userId: string): Promise<AccountSettings> {
    const row = await this.settings.find(userId);
    if (!row) throw notFound('User');
    return toSettingsResponse(row);
  }

  /** Stores a key only after the provider accepted it; it is kept encrypted. */
  async setApiKey(userId: string, apiKey: string, address = ''): Promise<void> {
    await this.llm.verifyApiKey(apiKey);
    const sealed = this.secrets.seal(apiKey, userId);
    await this.settings.setApiKey(userId, { ciphertext: sealed.ciphertext, keyId: sealed.keyId, hint: apiKeyHint(apiKey) });
    this.llm.forget(userId);
    await this.recordKeyChange('api_key.saved', userId, address);
  }

  async deleteApiKey(userId: string, address = ''): Promise<void> {
    await this.settings.clearApiKey(userId);
    this.llm.forget(userId);
    await this.recordKeyChange('api_key.removed', userId, address);
  }

  /** Who changed their key and from where; nothing of the key itself. */
  private recordKeyChange(action: 'api_key.saved' | 'api_key.removed', userId: string, address: string): Promise<void> {
    const self = { id: userId, email: null };
    return this.audit.record({ action, actor: self, target: self, address });
  }

  async setDefaultAssistant(userId: string, assistantId: string | null): Promise<void> {
    if (assistantId !== null) await this.assistants.assertOwned(userId, assistantId);
    await this.settings.setDefaultAssistant(userId, assistantId);
  }
}
