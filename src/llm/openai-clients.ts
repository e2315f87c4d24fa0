import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';

/** The parts of a user that decide which OpenAI client serves them. */
export interface KeyHolder {
  id: string;
  apiKeyCiphertext: string | null;
  apiKeyKeyId: string | null;
  apiKeyVersion: number;
}

const MAX_CACHED_CLIENTS = 1_000;

/**
 * Builds OpenAI clients: one per user, from the user's own decrypted key,
 * cached per user and key version (another instance that stored a new key
 * bumps the version, so a stale client is never reused). Users without a key
 * get the operator's shared fallback key when one is configured.
 */
@Injectable()
export class OpenAIClients {
  private readonly cache = new Map<string, { version: number; client: OpenAI }>();
  private fallback: OpenAI | undefined;
  private readonly sdkLogger;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    @InjectLogger() logger: AppLogger,
  ) {
    const log = logger.child({ component: 'openai-sdk' });
    this.sdkLogger = {
      error: (message: string, ...rest: unknown[]) => log.error({ detail: rest }, message),
      warn: (message: string, ...rest: unknown[]) => log.warn({ detail: rest }, message),
      info: (message: string, ...rest: unknown[]) => log.debug({ detail: rest }, message),
      debug: (message: string, ...rest: unknown[]) => log.trace({ detail: rest }, message),
    };
  }

  forUser(user: KeyHolder): OpenAI {
    if (user.apiKeyCiphertext === null || user.apiKeyKeyId === null) return this.fallbackClient();
    const cached = this.cache.get(user.id);
    if (cached && cached.version === user.apiKeyVersion) {
      // Re-insert so the map's order tracks recent use.
      this.cache.delete(user.id);
      this.cache.set(user.id, cached);
      return cached.client;
    }
    const apiKey = this.secrets.open({ keyId: user.apiKeyKeyId, ciphertext: user.apiKeyCiphertext }, user.id);
    const client = this.forKey(apiKey);
    this.cache.set(user.id, { version: user.apiKeyVersion, client });
    if (this.cache.size > MAX_CACHED_CLIENTS) this.cache.delete(this.cache.keys().next().value as string);
    return client;
  }

  /** A client for a key that is not stored (e.g. while checking it). */
  forKey(apiKey: string): OpenAI {
    return new OpenAI({
      apiKey,
      baseURL: this.config.openai.baseUrl,
      timeout: this.config.openai.requestTimeoutMs,
      maxRetries: this.config.openai.maxRetries,
      logger: this.sdkLogger,
      logLevel: 'warn',
    });
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private fallbackClient(): OpenAI {
    const key = this.config.openai.fallbackApiKey;
    if (!key) {
      throw new DomainError(
        'api_key_missing',
        'No OpenAI API key is set for this account; add one in settings (POST /api/settings/apikey)',
      );
    }
    this.fallback ??= this.forKey(key);
    return this.fallback;
  }
}
