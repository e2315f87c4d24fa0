import { Injectable } from '@nestjs/common';
import { Sql, type SqlExecutor } from '../database/sql.js';
import type { Message } from './message.entity.js';
import { messageFromRow, type MessageRow } from './messages.repository.js';

/** A message with the metadata the /v1 routes show. */
export type MessageWithMetadata = Message & { metadata: Record<string, string> };

/** Message metadata (OpenAI's), and single messages with it, for the /v1 message routes. */
@Injectable()
export class MessageMetadataRepository {
  constructor(private readonly sql: Sql) {}

  /** One message of the user's thread (on any branch), with its metadata. */
  async findInThread(userId: string, threadId: string, id: string): Promise<MessageWithMetadata | undefined> {
    const row = await this.sql.row<MessageRow & { metadata: Record<string, string> }>(
      'SELECT * FROM messages WHERE id = $1 AND thread_id = $2 AND user_id = $3',
      [id, threadId, userId],
    );
    return row && { ...messageFromRow(row), metadata: row.metadata };
  }

  /** The metadata of the user's messages among `ids`, by id. */
  async metadataOf(userId: string, ids: string[]): Promise<Map<string, Record<string, string>>> {
    if (ids.length === 0) return new Map();
    const rows = await this.sql.rows<{ id: string; metadata: Record<string, string> }>(
      'SELECT id, metadata FROM messages WHERE id = ANY($1::uuid[]) AND user_id = $2',
      [ids, userId],
    );
    return new Map(rows.map((row) => [row.id, row.metadata]));
  }

  /** Replaces a message's metadata; false when the message is not in the user's thread. */
  async setMetadata(userId: string, threadId: string, id: string, metadata: Record<string, string>, db: SqlExecutor = this.sql): Promise<boolean> {
    const changed = await db.execute('UPDATE messages SET metadata = $4::jsonb WHERE id = $1 AND thread_id = $2 AND user_id = $3', [
      id,
      threadId,
      userId,
      JSON.stringify(metadata),
    ]);
    return changed > 0;
  }
}
