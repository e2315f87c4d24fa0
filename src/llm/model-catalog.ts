import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { OpenAIClients, type KeyHolder } from './openai-clients.js';

/** A models list that does not answer within this long is treated as unavailable. */
const LIST_TIMEOUT_MS = 5_000;
const MAX_CACHED_USERS = 1_000;

interface CachedList {
  keyRef: string;
  models: string[];
  expiresAt: number;
}

/**
 * The models a user's key may use (GET /v1/models), cached per user and key
 * for MODELS_CACHE_SECONDS. Undefined when the list cannot be had: no key,
 * an unreadable one, the provider unreachable or failing.
 */
@Injectable()
export class ModelCatalog {
  private readonly cache = new Map<string, CachedList>();

  constructor(
    private readonly clients: OpenAIClients,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  async modelsFor(user: KeyHolder): Promise<string[] | undefined> {
    let keyed;
    try {
      keyed = this.clients.forUser(user);
    } catch {
      return undefined;
    }
    const cached = this.cache.get(user.id);
    if (cached && cached.keyRef === keyed.keyRef && cached.expiresAt > Date.now()) return cached.models;
    try {
      const models: string[] = [];
      for await (const model of keyed.client.models.list({ maxRetries: 0, timeout: LIST_TIMEOUT_MS })) models.push(model.id);
      this.remember(user.id, { keyRef: keyed.keyRef, models, expiresAt: Date.now() + this.config.openai.modelsCacheSeconds * 1000 });
      return models;
    } catch (error) {
      this.logger.warn({ err: error, userId: user.id }, 'the list of models could not be read; model names are not checked');
      return undefined;
    }
  }

  /** Drops the user's list (their key changed). */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private remember(userId: string, list: CachedList): void {
    if (this.config.openai.modelsCacheSeconds === 0) return;
    this.cache.delete(userId);
    if (this.cache.size >= MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(userId, list);
  }
}
