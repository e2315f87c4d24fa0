import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors/domain-error.js';
import { MessageMetadataRepository } from '../threads/message-metadata.repository.js';
import { ThreadsService } from '../threads/threads.service.js';
import type { OpenAiListQuery } from './openai-assistants.dto.js';
import { fromOpenAiId } from './openai-ids.js';
import { MAX_CONTENT_PARTS, type CreateOpenAiMessageDto, type ModifyOpenAiMessageDto } from './openai-threads.dto.js';
import { toOpenAiMessage, type MessageFields, type OpenAiMessage } from './openai-threads.mapper.js';
import { openAiList, unsupported, type OpenAiList } from './openai-wire.js';

/** The text of a message's content: a string, or text parts (joined by blank lines). Images and files are not taken. */
export function messageText(content: unknown, field: string): string {
  if (typeof content === 'string') {
    if (content.length === 0) unsupported(field, `${field} must not be empty`);
    return content;
  }
  if (!Array.isArray(content) || content.length === 0 || content.length > MAX_CONTENT_PARTS) {
    unsupported(field, `${field} must be text or a list of 1 to ${MAX_CONTENT_PARTS} text parts`);
  }
  return content
    .map((part: unknown, index) => {
      const { type, text, ...rest } = (part ?? {}) as { type?: unknown; text?: unknown };
      if (type !== 'text' || typeof text !== 'string' || text.length === 0 || Object.keys(rest).length > 0) {
        unsupported(`${field}[${index}]`, `${field}[${index}] must be {"type": "text", "text": "..."} (images and files are not supported)`);
      }
      return text;
    })
    .join('\n\n');
}

/** OpenAI's thread messages over the platform's messages (the active branch of the thread). */
@Injectable()
export class OpenAiMessagesService {
  constructor(
    private readonly threads: ThreadsService,
    private readonly metadata: MessageMetadataRepository,
  ) {}

  /** Checks a message before anything is written (also for a thread created with messages). */
  static check(dto: CreateOpenAiMessageDto, field = 'content'): { role: 'user' | 'assistant'; content: string; metadata: Record<string, string> } {
    const content = messageText(dto.content, field);
    if (dto.attachments && dto.attachments.length > 0) unsupported('attachments', 'attachments are not supported; attach documents to the assistant');
    return { role: dto.role, content, metadata: dto.metadata ?? {} };
  }

  /** Adds a checked message at the end of the thread's active branch. */
  async add(userId: string, threadId: string, message: ReturnType<typeof OpenAiMessagesService.check>): Promise<OpenAiMessage> {
    const written = await this.threads.addMessage(userId, threadId, { role: message.role, content: message.content }, (stored, tx) =>
      this.metadata.setMetadata(userId, threadId, stored.id, message.metadata, tx),
    );
    return toOpenAiMessage(written, message.metadata);
  }

  create(userId: string, threadId: string, dto: CreateOpenAiMessageDto): Promise<OpenAiMessage> {
    const uuid = fromOpenAiId('thread', threadId);
    return this.add(userId, uuid, OpenAiMessagesService.check(dto));
  }

  async get(userId: string, threadId: string, id: string): Promise<OpenAiMessage> {
    const message = await this.metadata.findInThread(userId, fromOpenAiId('thread', threadId), fromOpenAiId('msg', id));
    if (!message) throw notFound('Message');
    return toOpenAiMessage(message, message.metadata);
  }

  async modify(userId: string, threadId: string, id: string, dto: ModifyOpenAiMessageDto): Promise<OpenAiMessage> {
    const threadUuid = fromOpenAiId('thread', threadId);
    const uuid = fromOpenAiId('msg', id);
    if (dto.metadata !== undefined && !(await this.metadata.setMetadata(userId, threadUuid, uuid, dto.metadata ?? {}))) throw notFound('Message');
    return this.get(userId, threadId, id);
  }

  /**
   * A page of the thread's active branch in OpenAI's order (desc: newest
   * first) and cursors (after: further in that order). A cursor that names
   * no message of the thread answers an empty page.
   */
  async list(userId: string, threadId: string, query: OpenAiListQuery): Promise<OpenAiList<OpenAiMessage>> {
    const uuid = fromOpenAiId('thread', threadId);
    const limit = query.limit ?? 20;
    const cursor = (id: string | undefined) => (id === undefined ? undefined : /^msg_[0-9a-f]{32}$/.test(id) ? fromOpenAiId('msg', id) : null);
    const after = cursor(query.after);
    const before = cursor(query.before);
    await this.threads.findOwned(userId, uuid);
    if (after === null || before === null) return openAiList([], false);
    const { rows, hasMore } = await this.page(userId, uuid, limit, query.order ?? 'desc', after, before).catch((error: unknown) => {
      // A cursor the thread does not hold reads as an empty page, not as a missing thread.
      if ((error as { code?: string }).code === 'not_found') return { rows: [] as MessageFields[], hasMore: false };
      throw error;
    });
    const metadata = await this.metadata.metadataOf(userId, rows.map((row) => row.id));
    return openAiList(rows.map((row) => toOpenAiMessage(row, metadata.get(row.id) ?? {})), hasMore);
  }

  /** One more than the page is read, to tell whether more follow. The platform pages oldest first. */
  private async page(userId: string, threadId: string, limit: number, order: 'asc' | 'desc', after?: string, before?: string): Promise<{ rows: MessageFields[]; hasMore: boolean }> {
    const read = limit + 1;
    // Older than a message (or the newest page): the platform's `before`, oldest first, the extra one first.
    const older = async (anchor?: string) => {
      const rows = await this.threads.listMessages(userId, threadId, { limit: read, before: anchor });
      return { rows: rows.slice(-limit), hasMore: rows.length > limit };
    };
    // Newer than a message: the platform's `after`, oldest first, the extra one last.
    const newer = async (anchor: string) => {
      const rows = await this.threads.listMessages(userId, threadId, { limit: read, after: anchor });
      return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
    };
    if (order === 'desc') {
      const found = before !== undefined && after === undefined ? await newer(before) : await older(after);
      return { rows: found.rows.reverse(), hasMore: found.hasMore };
    }
    if (after !== undefined) return newer(after);
    if (before !== undefined) return older(before);
    const rows = await this.threads.conversationStart(userId, threadId, read);
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }
}
