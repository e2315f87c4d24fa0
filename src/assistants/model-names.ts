import { Injectable } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { LlmService } from '../llm/llm.service.js';
import { chatModels } from './chat-models.js';

const SUGGESTIONS = 5;

/** Levenshtein distance between two names, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length];
}

/** The names of the list nearest to `name`, nearest first (ties by name). */
export function nearestNames(name: string, list: string[], count = SUGGESTIONS): string[] {
  return [...new Set(list)]
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map((entry) => entry.candidate);
}

/**
 * Model names given to an assistant must be among the models the user's key
 * may use (OpenAI's /v1/models, cached; see ModelCatalog). When that list
 * cannot be read (no key, offline, an upstream error) any name is accepted.
 */
@Injectable()
export class ModelNames {
  constructor(
    private readonly users: UsersService,
    private readonly llm: LlmService,
  ) {}

  /** The chat models the user's key may use, or undefined when the list cannot be read. */
  async chatModelsFor(userId: string): Promise<string[] | undefined> {
    const models = await this.llm.availableModels(await this.users.get(userId));
    return models && chatModels(models);
  }

  /** Throws 422 unknown_model, naming the nearest models, unless the user's key may use `model`. */
  async assertAvailable(userId: string, model: string): Promise<void> {
    const models = await this.llm.availableModels(await this.users.get(userId));
    if (!models || models.includes(model)) return;
    const nearest = nearestNames(model, models);
    const hint = nearest.length > 0 ? `; the nearest are ${nearest.join(', ')}` : '';
    throw new DomainError('unknown_model', `The model "${model}" is not among the models your OpenAI key may use${hint}`, [
      { field: 'model', message: `${model} is not available`, suggestions: nearest },
    ]);
  }
}
