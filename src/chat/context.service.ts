import { Injectable } from '@nestjs/common';
import type { Assistant } from '../assistants/assistant.entity.js';
import { AdmissionRefused, ConcurrencyLimit } from '../common/concurrency-limit.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { CONTEXT_READ_LIMIT } from '../config/chat.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { LlmRequest } from '../llm/llm-types.js';
import { LlmCallAborted } from '../llm/responses-stream.js';
import { UpstreamFileMissing } from '../llm/upstream-errors.js';
import type { UserLlm } from '../llm/user-llm.js';
import { attachmentKind, textReadBytes } from '../threads/attachment-limits.js';
import { BranchRepository } from '../threads/branch.repository.js';
import { MessagesRepository } from '../threads/messages.repository.js';
import type { Thread } from '../threads/thread.entity.js';
import { buildRequest, planContext, REPLY_EXCERPT_CHARS, type Attachment, type ContextPlan, type Quote, type AttachmentInfo, type HistoryMessage, type TurnOverrides } from './context-builder.js';
import { documentText } from './document-text.js';
import { ImageCopies } from './image-copies.js';
import { SummariesService } from './summaries.service.js';

/** Room kept for a summary written before a turn (it is asked for in at most 600 tokens). */
const SUMMARY_RESERVE_TOKENS = 1_000;

type ContextThread = Pick<Thread, 'id' | 'userId' | 'summary' | 'summaryThroughSeq'>;

export interface ContextTurn {
  thread: ContextThread;
  assistant: Pick<Assistant, 'model' | 'instructions' | 'temperature' | 'tools' | 'vectorStoreId'>;
  overrides: TurnOverrides;
  history: HistoryMessage[];
}

interface Conversation {
  summary: string | null;
  /** Oldest first. */
  history: HistoryMessage[];
  /** The starts of the messages its user messages reply to. */
  quotes?: Map<string, Quote>;
}

interface BuiltRequest {
  request: LlmRequest;
  /** The ids of the image copies at OpenAI the request refers to. */
  copies: string[];
  /** The ids of the copies made for this turn alone (PDFs), deleted after it. */
  turnCopies: string[];
}

/**
 * Reads what a turn needs and builds its request. What the turn sends is
 * decided from the files' rows first (ContextPlan); only then are files
 * loaded: text up to its cap, images copied to OpenAI (or their copies
 * reused), a few at a time.
 */
@Injectable()
export class ContextService {
  /** Word documents being read, all turns together (each in a worker thread of bounded heap). */
  private readonly documentReads: ConcurrencyLimit;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly branches: BranchRepository,
    private readonly files: FilesService,
    private readonly images: ImageCopies,
    private readonly summaries: SummariesService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {
    const { documentConcurrency, documentTimeoutMs } = config.chat.attachments;
    this.documentReads = new ConcurrencyLimit(documentConcurrency, { maxWaitMs: documentTimeoutMs });
  }

  /** How many messages a turn reads at most (the token budget trims further). */
  get historyLimit(): number {
    return CONTEXT_READ_LIMIT;
  }

  /** summary_window mode: a turn sends the thread's summary and only the messages it does not cover. */
  get sendsSummary(): boolean {
    return this.config.chat.contextMode === 'summary_window';
  }

  /**
   * The newest messages of the path that ends at `fromId` (the message the
   * reply follows) that go into a turn's input, oldest first: in
   * summary_window mode all those its summary does not cover.
   */
  async history(thread: Pick<ContextThread, 'id' | 'userId' | 'summaryThroughSeq'>, fromId: string): Promise<HistoryMessage[]> {
    const afterSeq = this.sendsSummary ? (thread.summaryThroughSeq ?? 0) : null;
    const rows = await this.branches.history(thread.userId, thread.id, fromId, this.historyLimit, afterSeq);
    return rows
      .reverse()
      .map((row) => ({ id: row.id, seq: Number(row.seq), role: row.role, content: row.content, fileIds: row.file_ids, replyToId: row.reply_to_id }));
  }

  /**
   * Builds the turn's request and hands it to `send`. When OpenAI answers that
   * a file the request referred to is gone (an image's copy expired or was
   * deleted there), the turn's copies are forgotten, made again, and the
   * request sent once more: a vanished copy costs one upload, not the thread.
   * The turn's own copies (PDFs) are deleted at OpenAI once it is over.
   */
  async send<T>(turn: ContextTurn, llm: UserLlm, signal: AbortSignal, send: (request: LlmRequest) => Promise<T>): Promise<T> {
    const stored = await this.attachedFiles(turn.thread.userId, turn.history);
    const sent = await this.conversation(turn, llm, stored);
    const conversation = { ...sent, quotes: await this.quotes(turn.thread, sent.history) };
    const turnCopies: string[] = [];
    try {
      const first = await this.build(turn, conversation, stored, llm, signal);
      turnCopies.push(...first.turnCopies);
      try {
        return await send(first.request);
      } catch (error) {
        if (!(error instanceof UpstreamFileMissing) || first.copies.length + first.turnCopies.length === 0) throw error;
        this.logger.info({ threadId: turn.thread.id, copies: first.copies.length }, 'OpenAI no longer has a file copy; copying again');
        await this.images.forget(turn.thread.userId, first.copies);
        const again = await this.build(turn, conversation, await this.attachedFiles(turn.thread.userId, conversation.history), llm, signal);
        turnCopies.push(...again.turnCopies);
        return await send(again.request);
      }
    } finally {
      if (turnCopies.length > 0) {
        await this.images
          .discard(turn.thread.userId, turnCopies)
          .catch((error: unknown) => this.logger.warn({ threadId: turn.thread.id, err: error }, "could not queue the deletion of a turn's file copies"));
      }
    }
  }

  /**
   * The summary and the messages a turn sends. In summary_window mode nothing
   * is dropped that the summary does not cover: when the turn's token budget
   * (or the read limit) cannot hold every uncovered message, the summary is
   * brought up to the oldest message that fits, before the turn.
   */
  private async conversation(turn: ContextTurn, llm: UserLlm, stored: Map<string, StoredFile>): Promise<Conversation> {
    const conversation = { summary: this.sendsSummary ? turn.thread.summary : null, history: turn.history };
    if (!this.sendsSummary || turn.history.length === 0) return conversation;
    const fits = this.plan(turn, conversation, stored).messages.length;
    if (fits === turn.history.length && turn.history.length < CONTEXT_READ_LIMIT) return conversation;
    const kept = this.plan(turn, conversation, stored, SUMMARY_RESERVE_TOKENS).messages;
    const covered = await this.summaries.coverBefore(turn.thread, llm, kept[0].seq);
    return covered ? { summary: covered.summary, history: kept } : conversation;
  }

  private plan(turn: ContextTurn, conversation: Conversation, stored: Map<string, StoredFile>, reserveTokens = 0): ContextPlan {
    const { contextMode, contextTokenBudget, attachments: limits } = this.config.chat;
    return planContext({
      instructions: turn.assistant.instructions,
      summary: conversation.summary,
      reserveTokens,
      history: conversation.history,
      files: new Map([...stored.values()].map((file) => [file.id, infoOf(file)])),
      settings: { mode: contextMode, tokenBudget: contextTokenBudget },
      budget: limits,
    });
  }

  /** @param stored the rows of the files the conversation's messages carry */
  private async build(turn: ContextTurn, conversation: Conversation, stored: Map<string, StoredFile>, llm: UserLlm, signal: AbortSignal): Promise<BuiltRequest> {
    const { summary } = conversation;
    const plan = this.plan(turn, conversation, stored);
    const attachments = await this.load(plan.load.map((info) => stored.get(info.id)!), llm, signal);
    const request = buildRequest({ assistant: turn.assistant, summary, plan, attachments, quotes: conversation.quotes, overrides: turn.overrides });
    const copies = [...attachments.values()].flatMap((attachment) => (attachment.kind === 'image' ? [attachment.upstreamFileId] : []));
    const turnCopies = [...attachments.values()].flatMap((attachment) => (attachment.kind === 'pdf' ? [attachment.upstreamFileId] : []));
    return { request, copies, turnCopies };
  }

  /** The starts of the messages the user messages reply to (read past the excerpt's length only to tell it was cut). */
  private async quotes(thread: Pick<ContextThread, 'id' | 'userId'>, history: HistoryMessage[]): Promise<Map<string, Quote>> {
    const ids = [...new Set(history.flatMap((message) => (message.role === 'user' && message.replyToId ? [message.replyToId] : [])))];
    if (ids.length === 0) return new Map();
    const rows = await this.messages.excerpts(thread.userId, thread.id, ids, REPLY_EXCERPT_CHARS * 2);
    return new Map(rows.map((row) => [row.id, { role: row.role, excerpt: row.excerpt }]));
  }

  /** The rows (never the bytes) of the files the user messages carry, by id. */
  private async attachedFiles(userId: string, history: HistoryMessage[]): Promise<Map<string, StoredFile>> {
    const ids = [...new Set(history.filter((message) => message.role === 'user').flatMap((message) => message.fileIds))];
    return new Map((await this.files.findExisting(userId, ids)).map((file) => [file.id, file]));
  }

  /**
   * Loads the planned files, at most uploadConcurrency at a time. On the first
   * failure the rest are called off, and all are waited for, so that no
   * upload outlives the turn.
   */
  private async load(files: StoredFile[], llm: UserLlm, turnSignal: AbortSignal): Promise<Map<string, Attachment>> {
    const limit = new ConcurrencyLimit(this.config.chat.attachments.uploadConcurrency);
    const failed = new AbortController();
    const signal = AbortSignal.any([turnSignal, failed.signal]);
    const settled = await Promise.allSettled(
      files.map((file) =>
        limit.run(async () => {
          signal.throwIfAborted();
          try {
            return [file.id, await this.loadOne(file, llm, signal)] as const;
          } catch (error) {
            failed.abort(error);
            throw error;
          }
        }),
      ),
    );
    if (turnSignal.aborted) throw new LlmCallAborted();
    // The first failure is the cause; those after it are the calling off.
    if (failed.signal.aborted) throw failed.signal.reason;
    const loaded = new Map<string, Attachment>();
    for (const result of settled) {
      if (result.status === 'fulfilled' && result.value[1]) loaded.set(result.value[0], result.value[1]);
    }
    return loaded;
  }

  private async loadOne(file: StoredFile, llm: UserLlm, signal: AbortSignal): Promise<Attachment | null> {
    switch (attachmentKind(file)) {
      case 'image': {
        const upstreamFileId = await this.images.ensure(file, llm, signal);
        return upstreamFileId ? { kind: 'image', upstreamFileId } : null;
      }
      case 'pdf':
        return { kind: 'pdf', filename: file.filename, upstreamFileId: await this.images.turnCopy(file, llm, signal) };
      case 'text':
        return { kind: 'text', filename: file.filename, text: await this.readText(file) };
      case 'document': {
        const text = await this.readDocument(file);
        return text === null ? { kind: 'other', filename: file.filename, unreadable: true } : { kind: 'document', filename: file.filename, text };
      }
      case 'other':
        return { kind: 'other', filename: file.filename };
    }
  }

  /** A Word document's text, or null when it cannot be read in its worker's heap and time (or waited too long for one). */
  private async readDocument(file: StoredFile): Promise<string | null> {
    const { maxTextChars, documentHeapMb, documentTimeoutMs } = this.config.chat.attachments;
    const limits = { heapMb: documentHeapMb, timeoutMs: documentTimeoutMs };
    try {
      return await this.documentReads.run(() => documentText(this.files.content(file), file.sizeBytes, maxTextChars, limits), file.userId);
    } catch (error) {
      if (!(error instanceof AdmissionRefused)) throw error;
      this.logger.warn({ fileId: file.id }, 'a Word document waited too long to be read; its content is left out');
      return null;
    }
  }

  /** The start of a text file, up to the character cap: its first chunks are read, never the whole file. */
  private async readText(file: StoredFile): Promise<string> {
    const { maxTextChars } = this.config.chat.attachments;
    const maxBytes = textReadBytes(maxTextChars);
    const decoder = new TextDecoder('utf-8');
    let text = '';
    let read = 0;
    for await (const chunk of this.files.content(file)) {
      const taken = chunk.subarray(0, maxBytes - read);
      read += taken.length;
      text += decoder.decode(taken, { stream: true });
      // Leaving the loop ends the storage's stream: no further chunk is fetched.
      if (text.length >= maxTextChars || read >= maxBytes) break;
    }
    return text.slice(0, maxTextChars);
  }
}

function infoOf(file: StoredFile): AttachmentInfo {
  return { id: file.id, kind: attachmentKind(file), filename: file.filename, sizeBytes: file.sizeBytes };
}
