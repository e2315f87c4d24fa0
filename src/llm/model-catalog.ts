import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type OpenAI from 'openai';
import { OpenAIClients, type KeyHolder } from './openai-clients.js';

/** A models list that does not answer within this long is treated as unavailable. */
const LIST_TIMEOUT_MS = 5_000;
const MAX_CACHED_USERS = 1_000;

interface CachedList {
  keyRef: string;
  /** Undefined when the provider listed more than MODELS_MAX_IDS models: such a list checks nothing. */
  models: string[] | undefined;
  expiresAt: number;
}

/**
 * The models a user's key may use (GET /v1/models), cached per user and key
 * for MODELS_CACHE_SECONDS. Undefined when the list cannot be had: no key,
 * an unreadable one, the provider unreachable or failing, or a list longer
 * than MODELS_MAX_IDS (only that many ids are ever held; a list cut short
 * could not tell an unknown name from one past the cut).
 */
@Injectable()
export class ModelCatalog {
  private readonly cache = new Map<string, CachedList>();
  /** Reads of a user's list under way, by user and key: requests that come meanwhile share the one read. */
  private readonly reading = new Map<string, Promise<string[] | undefined>>();

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
    const readKey = `${user.id}:${keyed.keyRef}`;
    let read = this.reading.get(readKey);
    if (!read) {
      read = this.readAndRemember(keyed.client, keyed.keyRef, user.id).finally(() => this.reading.delete(readKey));
      this.reading.set(readKey, read);
    }
    return read;
  }

  private async readAndRemember(client: OpenAI, keyRef: string, userId: string): Promise<string[] | undefined> {
    try {
      const models = await this.readList(client, userId);
      this.remember(userId, { keyRef, models, expiresAt: Date.now() + this.config.openai.modelsCacheSeconds * 1000 });
      return models;
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'the list of models could not be read; model names are not checked');
      return undefined;
    }
  }

  /** The ids the key may use, or undefined when there are more than MODELS_MAX_IDS (reading stops there). */
  private async readList(client: OpenAI, userId: string): Promise<string[] | undefined> {
    const limit = this.config.openai.modelsMaxIds;
    const models: string[] = [];
    for await (const model of client.models.list({ maxRetries: 0, timeout: LIST_TIMEOUT_MS })) {
      if (models.length === limit) {
        this.logger.warn({ userId, limit }, 'the provider lists more models than MODELS_MAX_IDS; model names are not checked');
        return undefined;
      }
      models.push(model.id);
    }
    return models;
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
