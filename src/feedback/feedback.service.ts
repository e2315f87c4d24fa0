import { Injectable } from '@nestjs/common';
import { DomainError, notFound, validationFailed } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { FeedbackExportItem, FeedbackListQuery, FeedbackResponse, MessageFeedbackResponse, SetFeedbackDto } from './feedback.dto.js';
import { FeedbackRepository, type FeedbackExportRow, type FeedbackRow } from './feedback.repository.js';

/** Ratings read at a time for a CSV download. */
const CSV_PAGE_SIZE = 500;
/** The columns of the CSV download: a header and how each row's value is read. */
const CSV_COLUMNS: Array<[string, (item: FeedbackExportItem) => string | null]> = [
  ['ratedAt', (item) => item.updatedAt],
  ['rating', (item) => item.rating],
  ['comment', (item) => item.comment],
  ['threadTitle', (item) => item.threadTitle],
  ['reply', (item) => item.reply],
  ['model', (item) => item.model],
  ['assistantId', (item) => item.assistantId],
  ['threadId', (item) => item.threadId],
  ['messageId', (item) => item.messageId],
  ['replyCreatedAt', (item) => item.replyCreatedAt],
];

export function toFeedbackResponse(row: FeedbackRow): FeedbackResponse {
  return {
    messageId: row.message_id,
    threadId: row.thread_id,
    rating: row.rating,
    comment: row.comment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Feedback as it shows on its message. */
export function toMessageFeedback(row: Pick<FeedbackRow, 'rating' | 'comment' | 'updated_at'>): MessageFeedbackResponse {
  return { rating: row.rating, comment: row.comment, updatedAt: row.updated_at };
}

function toExportItem(row: FeedbackExportRow): FeedbackExportItem {
  return {
    ...toFeedbackResponse(row),
    threadTitle: row.thread_title,
    reply: row.reply,
    model: row.model,
    assistantId: row.assistant_id,
    replyCreatedAt: row.reply_created_at,
  };
}

/**
 * One CSV field (RFC 4180 quoting). A text that a spreadsheet would read as a
 * formula (=, +, -, @, tab, carriage return first) is prefixed with an apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

@Injectable()
export class FeedbackService {
  constructor(
    private readonly feedback: FeedbackRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Rates one of the user's replies (again: the rating and comment are replaced). */
  async set(userId: string, messageId: string, dto: SetFeedbackDto): Promise<FeedbackResponse> {
    const comment = dto.comment?.length ? dto.comment : null;
    const max = this.config.feedback.maxCommentChars;
    if (comment !== null && comment.length > max) throw validationFailed('comment', `comment must be at most ${max} characters`);
    const row = await this.feedback.upsert(userId, messageId, dto.rating, comment);
    if (row) return toFeedbackResponse(row);
    if ((await this.feedback.messageRole(userId, messageId)) === 'user') {
      throw new DomainError('not_a_reply', 'Only replies take feedback; this is a message of yours');
    }
    throw notFound('Message');
  }

  /** Clears the rating of one of the user's messages (nothing to clear is fine). */
  async clear(userId: string, messageId: string): Promise<void> {
    if (await this.feedback.delete(userId, messageId)) return;
    if (!(await this.feedback.messageRole(userId, messageId))) throw notFound('Message');
  }

  async list(userId: string, query: FeedbackListQuery): Promise<{ items: FeedbackExportItem[]; total: number }> {
    const { rows, total } = await this.feedback.list(userId, { rating: query.rating, limit: query.limit ?? 50, offset: query.offset ?? 0 });
    return { items: rows.map(toExportItem), total };
  }

  /** Every rating of the user's (of a rating, when given) as CSV, newest first, a page at a time. */
  async *csv(userId: string, query: FeedbackListQuery): AsyncGenerator<string> {
    yield `${CSV_COLUMNS.map(([header]) => header).join(',')}\r\n`;
    for (let offset = 0; ; offset += CSV_PAGE_SIZE) {
      const { rows } = await this.feedback.list(userId, { rating: query.rating, limit: CSV_PAGE_SIZE, offset });
      if (rows.length > 0) {
        yield rows
          .map(toExportItem)
          .map((item) => `${CSV_COLUMNS.map(([, read]) => csvField(read(item))).join(',')}\r\n`)
          .join('');
      }
      if (rows.length < CSV_PAGE_SIZE) return;
    }
  }
}
