import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThan, type EntityManager } from 'typeorm';
import type { Assistant } from '../assistants/assistant.entity.js';
import { AssistantsService } from '../assistants/assistants.service.js';
import type { User } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { assertMessageAttachments } from './attachment-limits.js';
import { Message, type MessageRole } from './message.entity.js';
import { Thread } from './thread.entity.js';
import { MESSAGE_RESPONSE_COLUMNS, messageResponseFromRow, THREAD_RESPONSE_COLUMNS, threadResponseFromRow } from './thread.mapper.js';
import type { AddMessageDto, CreateThreadDto, ListThreadsQuery, MessageResponse, ThreadResponse, UpdateThreadDto } from './threads.dto.js';

export interface MessagePage {
  limit: number;
  before?: string;
  after?: string;
}

export interface NewMessage {
  id?: string;
  role: MessageRole;
  content: string;
  fileIds?: string[];
  replyToId?: string | null;
}

const ACTIVE_RUN = "EXISTS (SELECT 1 FROM runs WHERE runs.thread_id = $1 AND runs.status = 'running')";

/** Neither an assistant in the request nor a default one to fall back on. */
export function noAssistant(): DomainError {
  return new DomainError('no_assistant', 'No assistant given and no default assistant set; pass assistantId or set a default in settings');
}

@Injectable()
export class ThreadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assistants: AssistantsService,
    private readonly users: UsersService,
    private readonly files: FilesService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Refuses text longer than the configured input limit. Both ways a user
   * puts text into a thread (a chat message, an added message) check it, so
   * adding a message and then running the thread sends the model no more
   * than a chat message may.
   */
  assertInputLength(field: string, text: string): void {
    const max = this.config.chat.maxInputChars;
    if (text.length > max) {
      throw new DomainError('input_too_long', `The message is longer than ${max} characters`, [{ field, message: `At most ${max} characters` }]);
    }
  }

  /** The user's thread, or 404 whether it does not exist or belongs to someone else. */
  async findOwned(userId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Thread> {
    const thread = await manager.findOneBy(Thread, { id, userId });
    if (!thread) throw notFound('Thread');
    return thread;
  }

  /**
   * The assistant that answers a new conversation: the one asked for, else
   * the user's default; it must be active.
   */
  async assistantForNewThread(user: Pick<User, 'id' | 'defaultAssistantId'>, assistantId?: string): Promise<Assistant> {
    if (assistantId) return this.assistants.findUsable(user.id, assistantId);
    if (!user.defaultAssistantId) throw noAssistant();
    return this.assistants.findUsable(user.id, user.defaultAssistantId);
  }

  async create(userId: string, dto: CreateThreadDto, assistant?: Assistant): Promise<Thread> {
    const chosen = assistant ?? (await this.assistantForNewThread(await this.users.get(userId), dto.assistantId));
    return this.dataSource.manager.save(
      this.dataSource.manager.create(Thread, {
        userId,
        assistantId: chosen.id,
        title: dto.title?.length ? dto.title : null,
        isArchived: false,
      }),
    );
  }

  /** A page of the user's threads, newest activity first, with the total that match. */
  async list(userId: string, query: ListThreadsQuery): Promise<{ threads: ThreadResponse[]; total: number }> {
    const parameters: unknown[] = [userId, query.archived ?? false];
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    const filters: string[] = [];
    if (query.assistantId) filters.push(`assistant_id = ${parameter(query.assistantId)}`);
    if (query.search) {
      filters.push(`title ILIKE ${parameter(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
    }
    const where = ['user_id = $1', 'is_archived = $2', ...filters].join(' AND ');
    // The total comes with the page (one round trip); only a page past the end needs a count of its own.
    const rows = (await this.dataSource.query(
      `SELECT ${THREAD_RESPONSE_COLUMNS}, COUNT(*) OVER () AS total FROM threads WHERE ${where}
       ORDER BY last_activity_at DESC, id DESC LIMIT ${parameter(query.limit ?? 50)} OFFSET ${parameter(query.offset ?? 0)}`,
      parameters,
    )) as Array<Record<string, unknown>>;
    if (rows.length > 0) return { threads: rows.map(threadResponseFromRow), total: Number(rows[0].total) };
    const [{ total }] = (await this.dataSource.query(
      `SELECT COUNT(*)::int AS total FROM threads WHERE ${where}`,
      parameters.slice(0, parameters.length - 2),
    )) as Array<{ total: number }>;
    return { threads: [], total };
  }

  async update(userId: string, id: string, dto: UpdateThreadDto): Promise<Thread> {
    await this.findOwned(userId, id);
    const changes: Partial<Thread> = {};
    if (dto.title !== undefined) changes.title = dto.title?.length ? dto.title : null;
    if (dto.isArchived !== undefined) changes.isArchived = dto.isArchived;
    if (dto.assistantId !== undefined) {
      changes.assistantId = dto.assistantId === null ? null : (await this.assistants.findOwned(userId, dto.assistantId)).id;
    }
    if (Object.keys(changes).length > 0) await this.dataSource.manager.update(Thread, { id, userId }, changes);
    return this.findOwned(userId, id);
  }

  /** Deletes the thread with its messages and runs. */
  async delete(userId: string, id: string): Promise<void> {
    const thread = await this.findOwned(userId, id);
    await this.dataSource.manager.delete(Thread, { id: thread.id, userId });
  }

  /**
   * A page of messages, oldest first: the newest page, or the page before /
   * after a message. One hand-written statement on the hot path, with the
   * ownership in it; only an empty page needs to tell a missing thread or
   * cursor from an empty one.
   */
  async listMessages(userId: string, threadId: string, page: MessagePage): Promise<MessageResponse[]> {
    const cursor = page.after ?? page.before ?? null;
    const direction = page.after ? 'ASC' : 'DESC';
    const rows = (await this.dataSource.query(
      `SELECT ${MESSAGE_RESPONSE_COLUMNS} FROM messages
       WHERE thread_id = $1 AND user_id = $2
         AND ($3::uuid IS NULL OR seq ${page.after ? '>' : '<'} (SELECT anchor.seq FROM messages anchor WHERE anchor.id = $3 AND anchor.thread_id = $1))
       ORDER BY seq ${direction} LIMIT $4`,
      [threadId, userId, cursor, page.limit],
    )) as Array<Record<string, unknown>>;
    const messages = rows.map(messageResponseFromRow);
    if (!page.after) messages.reverse();
    if (messages.length === 0) {
      await this.findOwned(userId, threadId);
      if (cursor && !(await this.dataSource.getRepository(Message).exists({ where: { id: cursor, threadId } }))) {
        throw notFound('Message');
      }
    }
    return messages;
  }

  /** Adds a message without running the assistant. */
  async addMessage(userId: string, threadId: string, dto: AddMessageDto): Promise<Message> {
    this.assertInputLength('content', dto.content);
    const thread = await this.findOwned(userId, threadId);
    await this.checkReferences(userId, thread.id, dto.fileIds ?? [], dto.replyToId);
    return this.dataSource.transaction(async (manager) => {
      // Under the thread's row lock: a turn in progress would be interleaved.
      await manager.query('SELECT id FROM threads WHERE id = $1 FOR UPDATE', [thread.id]);
      const [{ exists }] = (await manager.query(`SELECT ${ACTIVE_RUN} AS exists`, [thread.id])) as Array<{ exists: boolean }>;
      if (exists) throw new DomainError('run_in_progress', 'The assistant is answering in this thread; wait for it or cancel it');
      return this.insertMessage(manager, thread, dto);
    });
  }

  /**
   * Checks that files are the user's and within what a message may carry
   * (see assertMessageAttachments), and that a replied-to message is in the
   * thread (a thread that does not exist yet has none to reply to).
   */
  async checkReferences(userId: string, threadId: string | null, fileIds: string[], replyToId?: string | null): Promise<StoredFile[]> {
    const files = await this.files.findOwnedMany(userId, fileIds);
    assertMessageAttachments(files, fileIds, this.config.chat.attachments);
    if (replyToId) {
      const found =
        threadId !== null && (await this.dataSource.getRepository(Message).exists({ where: { id: replyToId, threadId, userId } }));
      if (!found) {
        throw new DomainError('not_found', 'The message replied to is not in this thread', [
          { field: 'replyToId', message: 'The message replied to is not in this thread' },
        ]);
      }
    }
    return files;
  }

  /** Stores a message and moves the thread's counters and activity time. */
  async insertMessage(manager: EntityManager, thread: Thread, message: NewMessage): Promise<Message> {
    const saved = await manager.save(
      manager.create(Message, {
        ...(message.id ? { id: message.id } : {}),
        threadId: thread.id,
        userId: thread.userId,
        role: message.role,
        content: message.content,
        status: 'completed',
        fileIds: message.fileIds ?? [],
        replyToId: message.replyToId ?? null,
        citations: [],
      }),
    );
    await manager.query(
      `UPDATE threads SET message_count = message_count + 1, last_message_at = now(), last_activity_at = now(), updated_at = now()
       WHERE id = $1`,
      [thread.id],
    );
    return saved;
  }

  /**
   * Messages of the current conversation (without replaced replies), oldest
   * first, a page at a time (for export: a long thread is never read whole).
   */
  async *conversationPages(userId: string, threadId: string, pageSize: number): AsyncGenerator<Message[]> {
    for (let after = -1; ; ) {
      const page = await this.dataSource.getRepository(Message).find({
        where: { threadId, userId, seq: MoreThan(after), status: In(['completed', 'incomplete', 'cancelled', 'streaming']) },
        order: { seq: 'ASC' },
        take: pageSize,
      });
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].seq;
    }
  }

  /** The files attached to the thread's messages, in order of first use. */
  async threadFiles(userId: string, threadId: string): Promise<StoredFile[]> {
    const thread = await this.findOwned(userId, threadId);
    const rows = (await this.dataSource.query(
      `SELECT attached.file_id FROM messages
       CROSS JOIN LATERAL jsonb_array_elements_text(messages.file_ids) WITH ORDINALITY AS attached(file_id, position)
       WHERE messages.thread_id = $1
       ORDER BY messages.seq, attached.position`,
      [thread.id],
    )) as Array<{ file_id: string }>;
    const ordered = [...new Set(rows.map((row) => row.file_id))];
    return this.files.findExisting(userId, ordered);
  }
}
