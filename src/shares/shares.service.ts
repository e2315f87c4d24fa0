import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { RateLimiterService, type RateLimitRule } from '../common/rate-limit/rate-limiter.service.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { Transactions } from '../database/sql.js';
import { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { Message } from '../threads/message.entity.js';
import { ThreadsService } from '../threads/threads.service.js';
import type { CreatedShareResponse, CreateShareDto, SharedMessageResponse, SharedThreadResponse, ShareResponse } from './shares.dto.js';
import { SharesRepository, type SharedSnapshotRow, type ShareRow } from './shares.repository.js';
import type { SharedMessage } from './thread-share.entity.js';

/** 32 random bytes: 256 bits, far past guessing; base64url spells them in 43 characters. */
const TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const SNAPSHOT_PAGE_SIZE = 200;

export function newShareToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** What is stored of a token: its SHA-256 (the token is random enough that no salt or slow hash is needed). */
export function shareTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function toShare(row: ShareRow): ShareResponse {
  return {
    id: row.id,
    threadId: row.thread_id,
    title: row.title,
    messageCount: row.message_count,
    includeFiles: row.include_files,
    createdAt: row.created_at,
  };
}

/**
 * The stored messages as the public read shows them: only these fields,
 * whatever the stored objects hold; a file is named by its position among
 * the snapshot's files (`path`), never by its id.
 */
function toSharedMessages(messages: SharedMessage[], token: string): SharedMessageResponse[] {
  let position = 0;
  return messages.map((message) => {
    const shown: SharedMessageResponse = { role: message.role, content: message.content, createdAt: message.createdAt };
    if (message.files) {
      shown.files = message.files.map((file) => ({
        filename: file.filename,
        contentType: file.contentType,
        size: file.size,
        path: `/api/shared/${token}/files/${position++}`,
      }));
    }
    if (message.sources) shown.sources = [...message.sources];
    return shown;
  });
}

function snapshotOf(message: Message, files: Map<string, StoredFile> | undefined): SharedMessage {
  const shared: SharedMessage = { role: message.role, content: message.content, createdAt: message.createdAt.toISOString() };
  if (!files) return shared;
  shared.files = message.fileIds
    .map((id) => files.get(id))
    .filter((file): file is StoredFile => file !== undefined)
    .map((file) => ({ fileId: file.id, filename: file.filename, contentType: file.mimeType, size: file.sizeBytes }));
  shared.sources = [...new Set(message.citations.map((citation) => citation.filename))];
  return shared;
}

@Injectable()
export class SharesService {
  private readonly readRule: RateLimitRule;

  constructor(
    private readonly shares: SharesRepository,
    private readonly threads: ThreadsService,
    private readonly files: FilesService,
    private readonly transactions: Transactions,
    private readonly limiter: RateLimiterService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.readRule = { scope: 'share-reads', limit: config.shares.readsPerMinute, windowSeconds: 60 };
  }

  /**
   * Freezes the thread's conversation as it is now (the messages it shows,
   * replaced replies and replies still being written left out) behind a new
   * token. The token is answered this once.
   */
  async create(userId: string, threadId: string, dto: CreateShareDto): Promise<CreatedShareResponse> {
    const thread = await this.threads.findOwned(userId, threadId);
    const includeFiles = dto.includeFiles ?? false;
    const messages = await this.snapshot(userId, thread.id, includeFiles);
    const token = newShareToken();
    const max = this.config.shares.maxPerUser;
    const row = await this.transactions.run(async (tx) => {
      await this.shares.lockUser(userId, tx);
      return this.shares.insert({ userId, threadId: thread.id, tokenHash: shareTokenHash(token), title: thread.title, messages, includeFiles }, max, tx);
    });
    if (!row) throw new DomainError('share_limit_reached', `You have ${max} share links already; revoke one to make another`);
    return { ...toShare(row), token, path: `/api/shared/${token}` };
  }

  async list(userId: string): Promise<ShareResponse[]> {
    return (await this.shares.list(userId, this.config.shares.maxPerUser)).map(toShare);
  }

  async revoke(userId: string, id: string): Promise<void> {
    if (!(await this.shares.delete(userId, id))) throw notFound('Share');
  }

  /**
   * The snapshot behind a token, for anyone who has it: counted per address
   * first (guesses included), then a 404 alike for a malformed, unknown or
   * revoked token and for a thread in the trash.
   */
  async read(token: string, address: string): Promise<SharedThreadResponse> {
    const row = await this.snapshotFor(token, address);
    return { title: row.title, sharedAt: row.created_at, messages: toSharedMessages(row.messages, token) };
  }

  /** A file of a snapshot that includes files, by its position among them; 404 as read() does, and when the owner has deleted it. */
  async readFile(token: string, position: string, address: string): Promise<{ file: StoredFile; body: AsyncIterable<Buffer> }> {
    const row = await this.snapshotFor(token, address);
    const fileId = /^\d{1,6}$/.test(position) && row.include_files ? row.messages.flatMap((message) => message.files ?? [])[Number(position)]?.fileId : undefined;
    if (!fileId) throw notFound('Shared file');
    const [file] = await this.files.findExisting(row.user_id, [fileId]);
    if (!file) throw notFound('Shared file');
    return { file, body: this.files.content(file) };
  }

  private async snapshotFor(token: string, address: string): Promise<SharedSnapshotRow> {
    await this.limiter.consume(this.readRule, address, 'Too many reads of shared conversations; try again shortly');
    const row = TOKEN_FORMAT.test(token) ? await this.shares.findByTokenHash(shareTokenHash(token)) : undefined;
    if (!row) throw notFound('Shared conversation');
    return row;
  }

  private async snapshot(userId: string, threadId: string, includeFiles: boolean): Promise<SharedMessage[]> {
    const { maxMessages, maxChars } = this.config.shares;
    const kept: Message[] = [];
    let chars = 0;
    for await (const page of this.threads.conversationPages(userId, threadId, SNAPSHOT_PAGE_SIZE)) {
      for (const message of page) {
        if (message.status === 'streaming' || message.content.length === 0) continue;
        chars += message.content.length;
        if (kept.length >= maxMessages || chars > maxChars) {
          throw new DomainError('share_too_large', `A shared conversation holds at most ${maxMessages} messages and ${maxChars} characters`);
        }
        kept.push(message);
      }
    }
    const files = includeFiles
      ? new Map((await this.files.findExisting(userId, [...new Set(kept.flatMap((message) => message.fileIds))])).map((file) => [file.id, file]))
      : undefined;
    return kept.map((message) => snapshotOf(message, files));
  }
}
