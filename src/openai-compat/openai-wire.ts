import { validationFailed } from '../common/errors/domain-error.js';
import type { KeysetPage } from '../database/keyset-page.js';
import type { OpenAiListQuery } from './openai-assistants.dto.js';
import { fromOpenAiId, type OpenAiPrefix } from './openai-ids.js';

/** OpenAI's list envelope. */
export interface OpenAiList<T extends { id: string }> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export function openAiList<T extends { id: string }>(data: T[], hasMore: boolean): OpenAiList<T> {
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}

/** The page a list query asks for; a cursor that is not an id of this kind matches nothing (an empty page). */
export function keysetPageOf(query: OpenAiListQuery, prefix: OpenAiPrefix): KeysetPage | undefined {
  const cursor = (id: string | undefined) => {
    if (id === undefined) return undefined;
    try {
      return fromOpenAiId(prefix, id);
    } catch {
      return null;
    }
  };
  const after = cursor(query.after);
  const before = cursor(query.before);
  if (after === null || before === null) return undefined;
  return { limit: query.limit ?? 20, order: query.order ?? 'desc', after, before };
}

/** A value the platform does not support: refused naming the parameter, as OpenAI refuses bad values. */
export function unsupported(param: string, message: string): never {
  throw validationFailed(param, message);
}

/** OpenAI's words for a required parameter that is missing. */
export function missingParameter(param: string): never {
  throw validationFailed(param, `Missing required parameter: '${param}'.`);
}

/** Documents belong to assistants (their tool_resources, or /api/assistants/:id/files): elsewhere only empty tool resources are taken. */
export function assertNoToolResources(resources: Record<string, unknown> | null | undefined): void {
  const empty = (value: unknown) =>
    value !== null && typeof value === 'object' && Object.values(value).every((list) => Array.isArray(list) && list.length === 0);
  if (Object.entries(resources ?? {}).some(([key, value]) => !['code_interpreter', 'file_search'].includes(key) || !empty(value))) {
    unsupported('tool_resources', "tool_resources must be empty here: give the assistant's tool_resources.file_search a vector store");
  }
}
