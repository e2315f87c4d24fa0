import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { SecretBox, SecretDecryptionError } from '../common/crypto/secret-box.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { createUpstreamFetch } from './upstream-fetch.js';

/** The parts of a user that decide which OpenAI client serves them. */
export interface KeyHolder {
  id: string;
  apiKeyCiphertext: string | null;
  apiKeyKeyId: string | null;
  apiKeyVersion: number;
}

const MAX_CACHED_CLIENTS = 1_000;

/** A client and the name of the key behind it (see UserLlm.keyRef). */
export interface KeyedClient {
  client: OpenAI;
  keyRef: string;
}

/**
 * Builds OpenAI clients: one per user, from the user's own decrypted key,
 * cached per user and key version (another instance that stored a new key
 * bumps the version, so a stale client is never reused). Users without a key
 * get the operator's shared fallback key when one is configured.
 */
@Injectable()
export class OpenAIClients {
  private readonly cache = new Map<string, { version: number; keyed: KeyedClient }>();
  private fallback: KeyedClient | undefined;
  private readonly sdkLogger;
  /** One connection pool for every client. */
  private readonly upstreamFetch = createUpstreamFetch();

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

  /**
   * The user's client. A stored key that no configured encryption key opens
   * (the keys were changed without re-encrypting) is api_key_unreadable: only
   * the user can fix it, by saving the key again, and the shared key is not
   * used in its place (the user chose to pay with their own).
   */
  forUser(user: KeyHolder): KeyedClient {
    if (user.apiKeyCiphertext === null || user.apiKeyKeyId === null) return this.fallbackClient();
    const cached = this.cache.get(user.id);
    if (cached && cached.version === user.apiKeyVersion) {
      // Re-insert so the map's order tracks recent use.
      this.cache.delete(user.id);
      this.cache.set(user.id, cached);
      return cached.keyed;
    }
    const keyed = { client: this.forKey(this.openKey(user)), keyRef: `user:${user.apiKeyVersion}` };
    this.cache.set(user.id, { version: user.apiKeyVersion, keyed });
    if (this.cache.size > MAX_CACHED_CLIENTS) this.cache.delete(this.cache.keys().next().value as string);
    return keyed;
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
      fetch: this.upstreamFetch,
    });
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private openKey(user: KeyHolder): string {
    try {
      return this.secrets.open({ keyId: user.apiKeyKeyId!, ciphertext: user.apiKeyCiphertext! }, user.id);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      throw new DomainError(
        'api_key_unreadable',
        'Your saved OpenAI API key can no longer be read on this server; save your key again in settings (POST /api/settings/apikey)',
      );
    }
  }

  private fallbackClient(): KeyedClient {
    const key = this.config.openai.fallbackApiKey;
    if (!key) {
      throw new DomainError(
        'api_key_missing',
        'No OpenAI API key is set for this account; add one in settings (POST /api/settings/apikey)',
      );
    }
    // A digest names the shared key, so copies made with it are not taken for another's after the operator changes it.
    this.fallback ??= { client: this.forKey(key), keyRef: `shared:${createHash('sha256').update(key).digest('hex').slice(0, 16)}` };
    return this.fallback;
  }
}
