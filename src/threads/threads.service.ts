import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Assistant } from '../assistants/assistant.entity.js';
import { AssistantsService } from '../assistants/assistants.service.js';
import type { User } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { assertMessageAttachments } from './attachment-limits.js';
import { BranchLimits } from './branch-limits.js';
import { BranchRepository } from './branch.repository.js';
import type { Message } from './message.entity.js';
import { MessagesRepository } from './messages.repository.js';
import type { Thread } from './thread.entity.js';
import { branchMessageResponseFromRow, threadResponseFromRow } from './thread.mapper.js';
import type { AddMessageDto, CreateThreadDto, ListThreadsQuery, MessageResponse, ThreadResponse, UpdateThreadDto } from './threads.dto.js';
import { ThreadsRepository, type ThreadChanges } from './threads.repository.js';

export interface MessagePage {
  limit: number;
  before?: string;
  after?: string;
}

/** Neither an assistant in the request nor a default one to fall back on. */
export function noAssistant(): DomainError {
  return new DomainError('no_assistant', 'No assistant given and no default assistant set; pass assistantId or set a default in settings');
}

@Injectable()
export class ThreadsService {
  constructor(
    private readonly threads: ThreadsRepository,
    private readonly messages: MessagesRepository,
    private readonly branches: BranchRepository,
    private readonly branchLimits: BranchLimits,
    private readonly transactions: Transactions,
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
  async findOwned(userId: string, id: string): Promise<Thread> {
    const thread = await this.threads.findOwned(userId, id);
    if (!thread) throw notFound('Thread');
    return thread;
  }

  /**
   * The assistant that answers a new conversation: the one asked for, else
   * the user's default; it must be active. Null without either: a plain chat
   * (refused with no_assistant when CHAT_WITHOUT_ASSISTANT is off).
   */
  async assistantForNewThread(user: Pick<User, 'id' | 'defaultAssistantId'>, assistantId?: string): Promise<Assistant | null> {
    if (assistantId) return this.assistants.findUsable(user.id, assistantId);
    if (user.defaultAssistantId) return this.assistants.findUsable(user.id, user.defaultAssistantId);
    if (this.config.openai.plainChat.enabled) return null;
    throw noAssistant();
  }

  async create(userId: string, dto: CreateThreadDto): Promise<Thread> {
    const chosen = await this.assistantForNewThread(await this.users.get(userId), dto.assistantId);
    return this.threads.insert(userId, { assistantId: chosen?.id ?? null, title: dto.title?.length ? dto.title : null, metadata: dto.metadata ?? {} });
  }

  /** A thread without an assistant (OpenAI's threads have none until a run names one). */
  createUnassigned(userId: string, metadata: Record<string, string>): Promise<Thread> {
    return this.threads.insert(userId, { assistantId: null, title: null, metadata });
  }

  /** The first messages of the thread's active branch, oldest first. */
  async conversationStart(userId: string, threadId: string, limit: number): Promise<Message[]> {
    const thread = await this.findOwned(userId, threadId);
    return this.branches.conversationAfter(userId, thread.id, -1, limit);
  }

  /** A page of the user's threads, newest activity first, with the total that match. */
  async list(userId: string, query: ListThreadsQuery): Promise<{ threads: ThreadResponse[]; total: number }> {
    const trashed = query.trashed ?? false;
    const { rows, total } = await this.threads.list(userId, {
      trashed,
      archived: query.archived ?? (trashed ? undefined : false),
      assistantId: query.assistantId,
      search: query.search,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
    return { threads: rows.map(threadResponseFromRow), total };
  }

  async update(userId: string, id: string, dto: UpdateThreadDto): Promise<Thread> {
    await this.findOwned(userId, id);
    const changes: ThreadChanges = {};
    if (dto.title !== undefined) changes.title = dto.title?.length ? dto.title : null;
    if (dto.isArchived !== undefined) changes.isArchived = dto.isArchived;
    if (dto.metadata !== undefined) changes.metadata = dto.metadata;
    if (dto.assistantId !== undefined) {
      changes.assistantId = dto.assistantId === null ? null : (await this.assistants.findOwned(userId, dto.assistantId)).id;
    }
    await this.threads.update(userId, id, changes);
    return this.findOwned(userId, id);
  }

  /**
   * Moves the thread to the trash, or deletes it for good when asked to
   * (also from the trash) or when nothing is kept in the trash
   * (TRASH_RETENTION_DAYS=0). Answers what was done.
   */
  async delete(userId: string, id: string, permanent: boolean): Promise<'trashed' | 'deleted'> {
    if (permanent || this.config.trash.retentionDays === 0) {
      await this.deletePermanently(userId, id);
      return 'deleted';
    }
    if (!(await this.threads.trash(userId, id))) throw notFound('Thread');
    return 'trashed';
  }

  /** Deletes the thread with its messages and runs, from the trash or not (a DELETE with permanent=true, and the trash's purge). */
  async deletePermanently(userId: string, id: string): Promise<void> {
    if (!(await this.threads.delete(userId, id))) throw notFound('Thread');
  }

  /** Threads of any user in the trash for `retentionDays` or longer (for the trash's purge). */
  trashedFor(retentionDays: number, limit: number): Promise<Array<{ userId: string; id: string }>> {
    return this.threads.trashedFor(retentionDays, limit);
  }

  /** Takes the thread out of the trash (a thread not in it is answered as it is). */
  async restore(userId: string, id: string): Promise<Thread> {
    const thread = await this.threads.restore(userId, id);
    if (!thread) throw notFound('Thread');
    return thread;
  }

  /**
   * A page of the active branch, oldest first: the newest page, the page
   * before a message (on the path that leads to it), or after it (on the
   * active branch; empty when it is not on it). Each message says how many
   * versions it has and which one it is (1-based). One statement on the hot path, with the ownership in
   * it; only an empty page needs to tell a missing thread or cursor from an
   * empty one.
   */
  async listMessages(userId: string, threadId: string, page: MessagePage): Promise<MessageResponse[]> {
    const anchorId = page.after ?? page.before ?? null;
    const rows = await this.branches.page(userId, threadId, { limit: page.limit, anchorId, direction: page.after ? 'after' : 'before' });
    const messages = rows.map(branchMessageResponseFromRow);
    if (!page.after) messages.reverse();
    if (messages.length === 0) {
      await this.findOwned(userId, threadId);
      if (anchorId && !(await this.messages.exists(userId, threadId, anchorId))) throw notFound('Message');
    }
    return messages;
  }

  /**
   * Adds a message at the end of the active branch without running the
   * assistant; `alongside` writes more of the message in the same transaction.
   */
  async addMessage(
    userId: string,
    threadId: string,
    dto: AddMessageDto,
    alongside?: (message: Message, tx: SqlExecutor) => Promise<unknown>,
  ): Promise<Message> {
    this.assertInputLength('content', dto.content);
    const thread = await this.findOwned(userId, threadId);
    this.branchLimits.assertRoom(thread);
    await this.checkReferences(userId, thread.id, dto.fileIds ?? [], dto.replyToId);
    return this.transactions.run(async (tx) => {
      // Under the thread's row lock: a turn in progress would be interleaved.
      await this.threads.lock(userId, thread.id, tx);
      if (await this.threads.isAnswering(userId, thread.id, tx)) {
        throw new DomainError('run_in_progress', 'The assistant is answering in this thread; wait for it or cancel it');
      }
      const { message } = await this.messages.write(
        {
          id: randomUUID(),
          threadId: thread.id,
          userId,
          role: dto.role,
          content: dto.content,
          status: 'completed',
          parent: 'active-leaf',
          fileIds: dto.fileIds ?? [],
          replyToId: dto.replyToId ?? null,
        },
        tx,
      );
      await this.threads.recordActivity(userId, thread.id, { messages: 1, messageWritten: true, leaf: message }, tx);
      await alongside?.(message, tx);
      return message;
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
      const found = threadId !== null && (await this.messages.exists(userId, threadId, replyToId));
      if (!found) {
        throw new DomainError('not_found', 'The message replied to is not in this thread', [
          { field: 'replyToId', message: 'The message replied to is not in this thread' },
        ]);
      }
    }
    return files;
  }

  /**
   * Messages of the active branch, oldest first, a page at a time (for
   * export: a long thread is never read whole).
   */
  async *conversationPages(userId: string, threadId: string, pageSize: number): AsyncGenerator<Message[]> {
    for (let after = -1; ; ) {
      const page = await this.branches.conversationAfter(userId, threadId, after, pageSize);
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].seq;
    }
  }

  /**
   * The thread as a turn that answers the message at `seq` (on the active
   * branch) should see it: without its summary when the summary covers later
   * messages (a regenerated reply or an edited message leaves them on another
   * branch), which is then dropped.
   */
  async summaryUpTo<T extends Pick<Thread, 'id' | 'userId' | 'summary' | 'summaryThroughSeq'>>(thread: T, seq: number): Promise<T> {
    if (thread.summaryThroughSeq === null || thread.summaryThroughSeq <= seq) return thread;
    await this.threads.dropSummary(thread.userId, thread.id);
    return { ...thread, summary: null, summaryThroughSeq: null };
  }

  /** The files attached to the thread's messages, in order of first use. */
  async threadFiles(userId: string, threadId: string): Promise<StoredFile[]> {
    const thread = await this.findOwned(userId, threadId);
    const ordered = [...new Set(await this.messages.attachedFileIds(userId, thread.id))];
    return this.files.findExisting(userId, ordered);
  }

  /** The thread's files for its zip: a thread without files has nothing to download (404, never an empty zip). */
  async filesToArchive(userId: string, threadId: string): Promise<StoredFile[]> {
    const files = await this.threadFiles(userId, threadId);
    if (files.length === 0) throw new DomainError('not_found', 'This conversation has no files to download');
    return files;
  }
}
