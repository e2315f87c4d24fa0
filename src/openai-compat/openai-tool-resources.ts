import { fromOpenAiId, toOpenAiId } from './openai-ids.js';
import { unsupported } from './openai-wire.js';

/** What an assistant shows of its documents: the vector store it uses, if any. */
export type OpenAiToolResources = { file_search: { vector_store_ids: string[] } } | Record<string, never>;

export function toToolResources(storeId: string | undefined): OpenAiToolResources {
  return storeId === undefined ? {} : { file_search: { vector_store_ids: [toOpenAiId('vs', storeId)] } };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The vector store an assistant's `tool_resources` names: undefined when
 * they are not given (nothing changes), null for none, else the store's UUID. Code interpreter files and vector stores made inline
 * are refused: the platform has no sandbox files, and stores are made with
 * POST /v1/vector_stores.
 */
export function vectorStoreOf(resources: Record<string, unknown> | null | undefined): string | null | undefined {
  if (resources === undefined) return undefined;
  if (resources === null) return null;
  for (const key of Object.keys(resources)) {
    if (key !== 'code_interpreter' && key !== 'file_search') unsupported(`tool_resources.${key}`, `tool_resources.${key} is not supported`);
  }
  const interpreter = resources.code_interpreter;
  if (interpreter !== undefined && interpreter !== null) {
    const files = isObject(interpreter) ? interpreter.file_ids : undefined;
    if (!isObject(interpreter) || Object.keys(interpreter).some((key) => key !== 'file_ids') || (files !== undefined && (!Array.isArray(files) || files.length > 0))) {
      unsupported('tool_resources.code_interpreter.file_ids', 'Files for code_interpreter are not supported; give file_search a vector store instead');
    }
  }
  const search = resources.file_search;
  if (search === undefined || search === null) return null;
  if (!isObject(search) || Object.keys(search).some((key) => key !== 'vector_store_ids')) {
    unsupported('tool_resources.file_search', 'tool_resources.file_search takes only vector_store_ids (make stores with POST /v1/vector_stores)');
  }
  const ids = search.vector_store_ids;
  if (ids === undefined) return null;
  if (!Array.isArray(ids) || ids.length > 1 || ids.some((id) => typeof id !== 'string')) {
    unsupported('tool_resources.file_search.vector_store_ids', 'tool_resources.file_search.vector_store_ids takes at most one vector store id');
  }
  return ids.length === 0 ? null : fromOpenAiId('vs', ids[0] as string);
}
