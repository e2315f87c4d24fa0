import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql.js';
import { isoTimestamp } from '../threads/thread.mapper.js';
import type { FeedbackRating } from './message-feedback.entity.js';

/** Characters of the rated reply that go with an exported rating. */
export const EXPORT_REPLY_CHARS = 1_000;

export interface FeedbackRow {
  message_id: string;
  thread_id: string;
  rating: FeedbackRating;
  comment: string | null;
  created_at: string;
  updated_at: string;
}

export interface FeedbackExportRow extends FeedbackRow {
  thread_title: string | null;
  reply: string;
  model: string | null;
  assistant_id: string | null;
  reply_created_at: string;
}

export interface FeedbackFilter {
  rating?: FeedbackRating;
  limit: number;
  offset: number;
}

const FEEDBACK_COLUMNS = `f.message_id, f.thread_id, f.rating, f.comment, ${isoTimestamp('f.created_at', 'created_at')}, ${isoTimestamp('f.updated_at', 'updated_at')}`;

/** The user's ratings ($1) outside the trash, of one rating ($2) or all. */
const RATED = 'message_feedback f JOIN threads t ON t.id = f.thread_id AND t.user_id = $1 AND t.deleted_at IS NULL';
const RATED_WHERE = 'f.user_id = $1 AND ($2::text IS NULL OR f.rating = $2)';

/** The user's messages that can be rated or read: in a thread of theirs that is not in the trash. */
const VISIBLE_MESSAGE = `m.id = $1 AND m.user_id = $2
  AND EXISTS (SELECT 1 FROM threads t WHERE t.id = m.thread_id AND t.user_id = $2 AND t.deleted_at IS NULL)`;

@Injectable()
export class FeedbackRepository {
  constructor(private readonly sql: Sql) {}

  /** Sets (or changes) the rating of one of the user's replies; undefined when the message is not a reply of theirs. */
  async upsert(userId: string, messageId: string, rating: FeedbackRating, comment: string | null): Promise<FeedbackRow | undefined> {
    return this.sql.row<FeedbackRow>(
      `WITH written AS (
         INSERT INTO message_feedback AS f (message_id, user_id, thread_id, rating, comment)
         SELECT m.id, m.user_id, m.thread_id, $3, $4 FROM messages m WHERE ${VISIBLE_MESSAGE} AND m.role = 'assistant'
         ON CONFLICT (message_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, updated_at = now()
         WHERE f.user_id = EXCLUDED.user_id
         RETURNING *
       )
       SELECT ${FEEDBACK_COLUMNS} FROM written f`,
      [messageId, userId, rating, comment],
    );
  }

  /** The role of one of the user's messages that can be read; undefined when there is none. */
  async messageRole(userId: string, messageId: string): Promise<'user' | 'assistant' | undefined> {
    const row = await this.sql.row<{ role: 'user' | 'assistant' }>(`SELECT m.role FROM messages m WHERE ${VISIBLE_MESSAGE}`, [messageId, userId]);
    return row?.role;
  }

  /** Clears the rating of one of the user's messages (in a thread not in the trash); false when it had none. */
  async delete(userId: string, messageId: string): Promise<boolean> {
    const removed = await this.sql.execute(
      `DELETE FROM message_feedback f USING messages m
        WHERE f.message_id = $1 AND f.user_id = $2 AND m.id = f.message_id AND ${VISIBLE_MESSAGE}`,
      [messageId, userId],
    );
    return removed > 0;
  }

  /** The ratings of these messages of the user's. */
  async forMessages(userId: string, messageIds: string[]): Promise<FeedbackRow[]> {
    if (messageIds.length === 0) return [];
    return this.sql.rows<FeedbackRow>(`SELECT ${FEEDBACK_COLUMNS} FROM message_feedback f WHERE f.user_id = $1 AND f.message_id = ANY($2::uuid[])`, [
      userId,
      messageIds,
    ]);
  }

  /** A page of the user's ratings with what they rated, newest rating first, with the total that match; threads in the trash left out. */
  async list(userId: string, filter: FeedbackFilter): Promise<{ rows: FeedbackExportRow[]; total: number }> {
    // The page is chosen first; only its rows are joined to their replies and formatted.
    const rows = await this.sql.rows<FeedbackExportRow & { total: string }>(
      `SELECT ${FEEDBACK_COLUMNS}, t.title AS thread_title, left(m.content, ${EXPORT_REPLY_CHARS}) AS reply, m.model, m.assistant_id,
              ${isoTimestamp('m.created_at', 'reply_created_at')}, (SELECT COUNT(*) FROM ${RATED} WHERE ${RATED_WHERE}) AS total
         FROM (SELECT f.* FROM ${RATED} WHERE ${RATED_WHERE} ORDER BY f.updated_at DESC, f.message_id DESC LIMIT $3 OFFSET $4) AS f
         JOIN messages m ON m.id = f.message_id AND m.user_id = $1
         JOIN threads t ON t.id = f.thread_id AND t.user_id = $1
        ORDER BY f.updated_at DESC, f.message_id DESC`,
      [userId, filter.rating ?? null, filter.limit, filter.offset],
    );
    if (rows.length > 0 || filter.offset === 0) return { rows, total: rows.length > 0 ? Number(rows[0].total) : 0 };
    const count = await this.sql.row<{ total: number }>(`SELECT COUNT(*)::int AS total FROM ${RATED} WHERE ${RATED_WHERE}`, [userId, filter.rating ?? null]);
    return { rows, total: count?.total ?? 0 };
  }
}
