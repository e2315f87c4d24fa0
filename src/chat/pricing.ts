import type { ModelPrice } from '../config/config.js';
import type { TokenUsage } from '../llm/llm-types.js';

/**
 * The price entry for a model: an exact match, else the longest configured
 * name the model starts with (so "gpt-4o-2024-08-06" uses "gpt-4o").
 */
export function priceFor(model: string, pricing: Record<string, ModelPrice>): ModelPrice | undefined {
  if (pricing[model]) return pricing[model];
  let best: string | undefined;
  for (const name of Object.keys(pricing)) {
    if (model.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : pricing[best];
}

/** US dollars for the usage, rounded to a millionth; null when the model has no price. */
export function costOf(model: string, usage: TokenUsage | null, pricing: Record<string, ModelPrice>): number | null {
  if (!usage) return null;
  const price = priceFor(model, pricing);
  if (!price) return null;
  const dollars = (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
  return Math.round(dollars * 1_000_000) / 1_000_000;
}
