import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AssistantsService } from '../assistants/assistants.service.js';
import { ChatService } from '../chat/chat.service.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { RunViewsRepository } from '../runs/run-views.repository.js';
import { ThreadsService } from '../threads/threads.service.js';
import type { OpenAiListQuery } from './openai-assistants.dto.js';
import { fromOpenAiId, toOpenAiId } from './openai-ids.js';
import { OpenAiMessagesService } from './openai-messages.service.js';
import { OpenAiRunEvents } from './openai-run-events.js';
import type { CreateOpenAiRunDto, CreateThreadAndRunDto } from './openai-runs.dto.js';
import { toOpenAiRun, type OpenAiRun } from './openai-runs.mapper.js';
import { OpenAiThreadsService } from './openai-threads.service.js';
import { keysetPageOf, openAiList, unsupported, type OpenAiList } from './openai-wire.js';

/** A run is never stopped by its client leaving: only a cancel stops it. */
const NEVER = new AbortController().signal;

/** Refuses what the platform cannot honour: anything but the defaults of the options it does not have. */
function checkUnsupported(dto: CreateOpenAiRunDto & { tool_resources?: unknown }): void {
  const onlyNull: Array<keyof CreateOpenAiRunDto> = ['instructions', 'additional_instructions', 'tools', 'max_prompt_tokens', 'reasoning_effort'];
  for (const field of onlyNull) {
    if (dto[field] !== undefined && dto[field] !== null) unsupported(field, `${field} is not supported; set it on the assistant`);
  }
  const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
  if (!isEmpty(dto.metadata)) unsupported('metadata', 'Run metadata is not supported');
  if (!isEmpty(dto.tool_resources)) unsupported('tool_resources', 'tool_resources must be empty: attach documents with POST /api/assistants/:id/files');
  const defaults: Array<[keyof CreateOpenAiRunDto, unknown[]]> = [
    ['top_p', [1]],
    ['tool_choice', ['auto']],
    ['parallel_tool_calls', [true]],
    ['response_format', ['auto']],
  ];
  for (const [field, allowed] of defaults) {
    if (dto[field] !== undefined && dto[field] !== null && !allowed.includes(dto[field])) unsupported(field, `${field} other than ${allowed.join(' or ')} is not supported`);
  }
  const truncation = dto.truncation_strategy as { type?: unknown; last_messages?: unknown } | null | undefined;
  if (truncation && (truncation.type !== 'auto' || (truncation.last_messages ?? null) !== null)) unsupported('truncation_strategy', 'Only the auto truncation strategy is supported');
}

/**
 * OpenAI's runs over the platform's turns: a run is POST /api/threads/:id/run
 * with the named assistant (which becomes the thread's), answered at once
 * (queued or in progress, finishing in the background) or streamed as
 * OpenAI's run events.
 */
@Injectable()
export class OpenAiRunsService {
  constructor(
    private readonly chat: ChatService,
    private readonly assistants: AssistantsService,
    private readonly threads: ThreadsService,
    private readonly openAiThreads: OpenAiThreadsService,
    private readonly messages: OpenAiMessagesService,
    private readonly runs: RunViewsRepository,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  /** Starts a run on the thread; with `response`, streams it there and resolves when the stream ends. */
  async create(userId: string, threadId: string, dto: CreateOpenAiRunDto, response?: Response): Promise<OpenAiRun | undefined> {
    checkUnsupported(dto);
    const uuid = fromOpenAiId('thread', threadId);
    const additional = (dto.additional_messages ?? []).map((message, index) => OpenAiMessagesService.check(message, `additional_messages[${index}].content`));
    const assistant = await this.assistants.findUsable(userId, fromOpenAiId('asst', dto.assistant_id));
    const thread = await this.threads.findOwned(userId, uuid);
    if (thread.assistantId !== assistant.id) await this.threads.update(userId, thread.id, { assistantId: assistant.id });
    for (const message of additional) await this.messages.add(userId, thread.id, message);
    return this.start(userId, thread.id, dto, assistant, response);
  }

  /** POST /v1/threads/runs: a new thread (with its messages) and a run on it. */
  async createThreadAndRun(userId: string, dto: CreateThreadAndRunDto, response?: Response): Promise<OpenAiRun | undefined> {
    checkUnsupported(dto);
    if (dto.additional_messages) unsupported('additional_messages', 'additional_messages is not a parameter here; put the messages in thread.messages');
    const assistant = await this.assistants.findUsable(userId, fromOpenAiId('asst', dto.assistant_id));
    const created = await this.openAiThreads.create(userId, dto.thread ?? {});
    const thread = fromOpenAiId('thread', created.id);
    await this.threads.update(userId, thread, { assistantId: assistant.id });
    return this.start(userId, thread, dto, assistant, response);
  }

  async list(userId: string, threadId: string, query: OpenAiListQuery): Promise<OpenAiList<OpenAiRun>> {
    const thread = await this.threads.findOwned(userId, fromOpenAiId('thread', threadId));
    const page = keysetPageOf(query, 'run');
    if (!page) return openAiList([], false);
    const { runs, hasMore } = await this.runs.page(userId, thread.id, page);
    return openAiList(runs.map(toOpenAiRun), hasMore);
  }

  async get(userId: string, threadId: string, runId: string): Promise<OpenAiRun> {
    const row = await this.runs.find(userId, fromOpenAiId('thread', threadId), fromOpenAiId('run', runId));
    if (!row) throw notFound('Run');
    return toOpenAiRun(row);
  }

  /** Cancels the run if it is the one running in the thread, waiting a moment for it to stop. */
  async cancel(userId: string, threadId: string, runId: string): Promise<OpenAiRun> {
    const run = await this.get(userId, threadId, runId);
    if (run.status !== 'in_progress' && run.status !== 'queued') {
      throw new DomainError('bad_request', `Cannot cancel run with status '${run.status}'.`, [{ field: 'run_id', message: `The run is ${run.status}` }]);
    }
    await this.chat.cancel(userId, fromOpenAiId('thread', threadId));
    return this.get(userId, threadId, runId);
  }

  private async start(
    userId: string,
    threadId: string,
    dto: CreateOpenAiRunDto,
    assistant: { id: string; model: string; instructions: string | null; tools: OpenAiRunEventsAssistant['tools']; temperature: number | null },
    response?: Response,
  ): Promise<OpenAiRun | undefined> {
    const streamed = dto.stream === true;
    const events = new OpenAiRunEvents(threadId, assistant, streamed ? response : undefined, this.config.chat.heartbeatIntervalMs);
    const options = { model: dto.model ?? undefined, temperature: dto.temperature ?? undefined, maxOutputTokens: dto.max_completion_tokens ?? undefined, stream: streamed };
    const turn = this.chat.run(userId, threadId, options, events, NEVER);
    const finished = turn.then(
      () => events.end(),
      (error: unknown) => {
        events.end();
        if (events.hasStarted) this.logger.warn({ err: error, threadId }, 'a /v1 run ended with an error after it started');
      },
    );
    // Refusals before the run is claimed (409 run_in_progress, 429, no key, ...) are the request's answer.
    const started = await Promise.race([events.started, turn.then(() => undefined)]);
    if (!started) throw new DomainError('internal_error', 'The run ended before it started');
    if (streamed) {
      await finished;
      return undefined;
    }
    return this.get(userId, toOpenAiId('thread', threadId), toOpenAiId('run', started.id));
  }
}

type OpenAiRunEventsAssistant = ConstructorParameters<typeof OpenAiRunEvents>[1];
