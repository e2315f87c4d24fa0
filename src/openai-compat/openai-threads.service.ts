import { Injectable } from '@nestjs/common';
import { ThreadsService } from '../threads/threads.service.js';
import { fromOpenAiId } from './openai-ids.js';
import { OpenAiMessagesService } from './openai-messages.service.js';
import type { CreateOpenAiThreadDto, ModifyOpenAiThreadDto } from './openai-threads.dto.js';
import { toOpenAiThread, type OpenAiThread } from './openai-threads.mapper.js';
import { assertNoToolResources } from './openai-wire.js';

/** OpenAI's threads over the platform's threads (the same objects as /api/threads). */
@Injectable()
export class OpenAiThreadsService {
  constructor(
    private readonly threads: ThreadsService,
    private readonly messages: OpenAiMessagesService,
  ) {}

  /** A thread without an assistant (a run names one), with its first messages; every message is checked before anything is written. */
  async create(userId: string, dto: CreateOpenAiThreadDto): Promise<OpenAiThread> {
    assertNoToolResources(dto.tool_resources);
    const messages = (dto.messages ?? []).map((message, index) => OpenAiMessagesService.check(message, `messages[${index}].content`));
    for (const message of messages) this.threads.assertInputLength('content', message.content);
    const thread = await this.threads.createUnassigned(userId, dto.metadata ?? {});
    for (const message of messages) await this.messages.add(userId, thread.id, message);
    return toOpenAiThread(thread);
  }

  async get(userId: string, id: string): Promise<OpenAiThread> {
    return toOpenAiThread(await this.threads.findOwned(userId, fromOpenAiId('thread', id)));
  }

  async modify(userId: string, id: string, dto: ModifyOpenAiThreadDto): Promise<OpenAiThread> {
    assertNoToolResources(dto.tool_resources);
    const uuid = fromOpenAiId('thread', id);
    if (dto.metadata === undefined) return this.get(userId, id);
    return toOpenAiThread(await this.threads.update(userId, uuid, { metadata: dto.metadata ?? {} }));
  }

  /** Deletes as DELETE /api/threads/:id does (to the trash while the trash keeps things). */
  async delete(userId: string, id: string): Promise<{ id: string; object: 'thread.deleted'; deleted: true }> {
    await this.threads.delete(userId, fromOpenAiId('thread', id), false);
    return { id, object: 'thread.deleted', deleted: true };
  }
}
