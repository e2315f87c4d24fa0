import { Injectable } from '@nestjs/common';
import type { AssistantTool } from '../assistants/assistant.entity.js';
import type { AssistantResponse, UpdateAssistantDto } from '../assistants/assistants.dto.js';
import { AssistantsService } from '../assistants/assistants.service.js';
import type { CreateOpenAiAssistantDto, ModifyOpenAiAssistantDto, OpenAiListQuery } from './openai-assistants.dto.js';
import { VectorStoresService } from '../vector-stores/vector-stores.service.js';
import { fromOpenAiId, toOpenAiId, unixSeconds } from './openai-ids.js';
import { toToolResources, vectorStoreOf, type OpenAiToolResources } from './openai-tool-resources.js';
import { keysetPageOf, missingParameter, openAiList, unsupported, type OpenAiList } from './openai-wire.js';

/** The tools OpenAI's assistant object can show; the platform's web_search is kept but not shown. */
const WIRE_TOOLS = new Set(['code_interpreter', 'file_search']);

export interface OpenAiAssistant {
  id: string;
  object: 'assistant';
  created_at: number;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: Array<{ type: string }>;
  tool_resources: OpenAiToolResources;
  metadata: Record<string, string>;
  temperature: number | null;
  top_p: number;
  response_format: 'auto';
}

/** `storeId`: the vector store the assistant uses, if any. */
export function toOpenAiAssistant(assistant: AssistantResponse, storeId?: string): OpenAiAssistant {
  return {
    id: toOpenAiId('asst', assistant.id),
    object: 'assistant',
    created_at: unixSeconds(new Date(assistant.createdAt)),
    // The platform requires a name; an assistant made without one over /v1 keeps an empty one.
    name: assistant.name === '' ? null : assistant.name,
    description: assistant.description,
    model: assistant.model,
    instructions: assistant.instructions,
    tools: assistant.tools.filter((tool) => WIRE_TOOLS.has(tool.type)).map((tool) => ({ type: tool.type })),
    tool_resources: toToolResources(storeId),
    metadata: assistant.metadata,
    temperature: assistant.temperature,
    top_p: 1,
    response_format: 'auto',
  };
}

/** Checks what the platform cannot honour and turns OpenAI's tools into the platform's. */
function platformTools(tools: unknown[]): AssistantTool[] {
  const seen = new Set<string>();
  return tools.map((tool, index) => {
    const type = (tool as { type?: unknown } | null)?.type;
    const keys = tool && typeof tool === 'object' ? Object.keys(tool) : [];
    if (typeof type !== 'string' || !WIRE_TOOLS.has(type) || keys.some((key) => key !== 'type')) {
      unsupported(`tools[${index}]`, `tools[${index}] must be {"type": "code_interpreter"} or {"type": "file_search"} (function tools and tool settings are not supported)`);
    }
    if (seen.has(type)) unsupported(`tools[${index}]`, `tools[${index}] repeats the ${type} tool`);
    seen.add(type);
    return { type } as AssistantTool;
  });
}

function checkUnsupported(dto: ModifyOpenAiAssistantDto): void {
  if (dto.top_p !== undefined && dto.top_p !== null && dto.top_p !== 1) unsupported('top_p', 'top_p other than 1 is not supported; use temperature');
  if (dto.response_format !== undefined && dto.response_format !== null && dto.response_format !== 'auto') {
    unsupported('response_format', 'Only response_format "auto" is supported');
  }
  if (dto.reasoning_effort !== undefined && dto.reasoning_effort !== null) unsupported('reasoning_effort', 'reasoning_effort is not supported');
}

/** OpenAI's Assistants wire format over the platform's own assistants (the same objects as /api/assistants). */
@Injectable()
export class OpenAiAssistantsService {
  constructor(
    private readonly assistants: AssistantsService,
    private readonly stores: VectorStoresService,
  ) {}

  /**
   * Creates the assistant; with a vector store in `tool_resources.file_search`,
   * the store's files become its documents (checked to be the user's first).
   */
  async create(userId: string, dto: CreateOpenAiAssistantDto): Promise<OpenAiAssistant> {
    if (dto.model === undefined) missingParameter('model');
    checkUnsupported(dto);
    const storeId = vectorStoreOf(dto.tool_resources) ?? undefined;
    if (storeId) await this.stores.findOwned(userId, storeId);
    const created = await this.assistants.create(userId, {
      name: dto.name ?? '',
      description: dto.description ?? null,
      model: dto.model,
      instructions: dto.instructions ?? null,
      temperature: dto.temperature ?? null,
      ...(dto.tools !== undefined ? { tools: platformTools(dto.tools) } : { tools: [] }),
      metadata: dto.metadata ?? {},
    });
    if (!storeId) return toOpenAiAssistant(created);
    try {
      await this.stores.useForAssistant(userId, created.id, storeId);
    } catch (error) {
      // The store went in between (deleted by another request): no assistant is left half made.
      await this.assistants.deletePermanently(userId, created.id);
      throw error;
    }
    return this.get(userId, toOpenAiId('asst', created.id));
  }

  async list(userId: string, query: OpenAiListQuery): Promise<OpenAiList<OpenAiAssistant>> {
    const page = keysetPageOf(query, 'asst');
    if (!page) return openAiList([], false);
    const { assistants, hasMore } = await this.assistants.page(userId, page);
    const stores = await this.stores.storesOfAssistants(userId, assistants.map((assistant) => assistant.id));
    return openAiList(assistants.map((assistant) => toOpenAiAssistant(assistant, stores.get(assistant.id))), hasMore);
  }

  async get(userId: string, id: string): Promise<OpenAiAssistant> {
    return this.withStore(userId, await this.assistants.get(userId, fromOpenAiId('asst', id)));
  }

  async modify(userId: string, id: string, dto: ModifyOpenAiAssistantDto): Promise<OpenAiAssistant> {
    const uuid = fromOpenAiId('asst', id);
    checkUnsupported(dto);
    const storeId = vectorStoreOf(dto.tool_resources);
    if (storeId) await this.stores.findOwned(userId, storeId);
    const changes: UpdateAssistantDto = {};
    if (dto.model !== undefined) changes.model = dto.model;
    if (dto.name !== undefined) changes.name = dto.name ?? '';
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.instructions !== undefined) changes.instructions = dto.instructions;
    if (dto.temperature !== undefined) changes.temperature = dto.temperature;
    if (dto.metadata !== undefined) changes.metadata = dto.metadata ?? {};
    if (dto.tools !== undefined) {
      // Tools only the platform has (web_search) are not shown over /v1, so a change of tools keeps them.
      const current = await this.assistants.get(userId, uuid);
      changes.tools = [...platformTools(dto.tools), ...current.tools.filter((tool) => !WIRE_TOOLS.has(tool.type))];
    }
    const updated = await this.assistants.update(userId, uuid, changes);
    // Documents attached with /api stay unless a store given over /v1 replaces them.
    const current = (await this.stores.storesOfAssistants(userId, [uuid])).get(uuid);
    if (storeId === undefined || (storeId === null && current === undefined)) return this.withStore(userId, updated);
    await this.stores.useForAssistant(userId, uuid, storeId);
    return this.get(userId, id);
  }

  private async withStore(userId: string, assistant: AssistantResponse): Promise<OpenAiAssistant> {
    return toOpenAiAssistant(assistant, (await this.stores.storesOfAssistants(userId, [assistant.id])).get(assistant.id));
  }

  /** Deletes as DELETE /api/assistants/:id does (to the trash while the trash keeps things). */
  async delete(userId: string, id: string): Promise<{ id: string; object: 'assistant.deleted'; deleted: true }> {
    await this.assistants.delete(userId, fromOpenAiId('asst', id), false);
    return { id, object: 'assistant.deleted', deleted: true };
  }
}
