import { Injectable } from '@nestjs/common';
import type { AssistantTool } from '../assistants/assistant.entity.js';
import type { AssistantResponse, UpdateAssistantDto } from '../assistants/assistants.dto.js';
import { AssistantsService } from '../assistants/assistants.service.js';
import type { CreateOpenAiAssistantDto, ModifyOpenAiAssistantDto, OpenAiListQuery } from './openai-assistants.dto.js';
import { fromOpenAiId, toOpenAiId, unixSeconds } from './openai-ids.js';
import { assertNoToolResources, keysetPageOf, missingParameter, openAiList, unsupported, type OpenAiList } from './openai-wire.js';

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
  tool_resources: Record<string, never>;
  metadata: Record<string, string>;
  temperature: number | null;
  top_p: number;
  response_format: 'auto';
}

export function toOpenAiAssistant(assistant: AssistantResponse): OpenAiAssistant {
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
    tool_resources: {},
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
  assertNoToolResources(dto.tool_resources);
}

/** OpenAI's Assistants wire format over the platform's own assistants (the same objects as /api/assistants). */
@Injectable()
export class OpenAiAssistantsService {
  constructor(private readonly assistants: AssistantsService) {}

  async create(userId: string, dto: CreateOpenAiAssistantDto): Promise<OpenAiAssistant> {
    if (dto.model === undefined) missingParameter('model');
    checkUnsupported(dto);
    const created = await this.assistants.create(userId, {
      name: dto.name ?? '',
      description: dto.description ?? null,
      model: dto.model,
      instructions: dto.instructions ?? null,
      temperature: dto.temperature ?? null,
      ...(dto.tools !== undefined ? { tools: platformTools(dto.tools) } : { tools: [] }),
      metadata: dto.metadata ?? {},
    });
    return toOpenAiAssistant(created);
  }

  async list(userId: string, query: OpenAiListQuery): Promise<OpenAiList<OpenAiAssistant>> {
    const page = keysetPageOf(query, 'asst');
    if (!page) return openAiList([], false);
    const { assistants, hasMore } = await this.assistants.page(userId, page);
    return openAiList(assistants.map(toOpenAiAssistant), hasMore);
  }

  async get(userId: string, id: string): Promise<OpenAiAssistant> {
    return toOpenAiAssistant(await this.assistants.get(userId, fromOpenAiId('asst', id)));
  }

  async modify(userId: string, id: string, dto: ModifyOpenAiAssistantDto): Promise<OpenAiAssistant> {
    const uuid = fromOpenAiId('asst', id);
    checkUnsupported(dto);
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
    return toOpenAiAssistant(await this.assistants.update(userId, uuid, changes));
  }

  /** Deletes as DELETE /api/assistants/:id does (to the trash while the trash keeps things). */
  async delete(userId: string, id: string): Promise<{ id: string; object: 'assistant.deleted'; deleted: true }> {
    await this.assistants.delete(userId, fromOpenAiId('asst', id), false);
    return { id, object: 'assistant.deleted', deleted: true };
  }
}
