import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql.js';
import { isoTimestamp } from '../threads/thread.mapper.js';

/** Marks ts_headline puts around a matched word: private-use characters, taken out of the text first, never sent. */
export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_STOP = '\uE001';
/** Characters of a message the snippet is taken from (ts_headline reads the whole text it is given). */
const SNIPPET_SOURCE_CHARS = 20_000;
const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;

export interface SearchFilter {
  userId: string;
  language: string;
  query: string;
  includeArchived: boolean;
  limit: number;
  offset: number;
  /** Matches ranked at most, of messages and of titles each: the newest. */
  maxCandidates: number;
}

/** A row of a search: a message or a title that matched, with its headline (marks included). */
export interface SearchHitRow {
  kind: 'message' | 'title';
  thread_id: string;
  message_id: string | null;
  rank: number;
  created_at: string;
  title: string | null;
  is_archived: boolean;
  role: 'user' | 'assistant' | null;
  headline: string;
  /** More matches than were ranked: the rest are older. */
  capped: boolean;
}

@Injectable()
export class SearchRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * The user's messages and thread titles that match, best first. Only the
   * newest `maxCandidates` matches of each kind are ranked: PostgreSQL finds
   * them through the GIN index on (user_id, words) when they are few, or by
   * walking the user's messages newest first when they are many, so one
   * search costs the same for a rare word and for a word in every message.
   * Trashed threads never match; archived ones on request. Headlines are
   * made for the page only.
   */
  async search(filter: SearchFilter): Promise<SearchHitRow[]> {
    const visible = `t.user_id = $1 AND t.deleted_at IS NULL AND ($4::boolean OR NOT t.is_archived)`;
    const query = `websearch_to_tsquery($2::regconfig, $3)`;
    return this.sql.rows<SearchHitRow>(
      `WITH q AS (SELECT ${query} AS query),
       message_matches AS (
         SELECT m.thread_id, m.id AS message_id, m.created_at, m.search_vector
           FROM messages m
          WHERE numnode(${query}) > 0 AND m.user_id = $1 AND m.search_vector @@ ${query}
            AND m.thread_id NOT IN (SELECT t.id FROM threads t WHERE t.user_id = $1 AND NOT (${visible}))
          ORDER BY m.created_at DESC LIMIT $7
       ),
       title_matches AS (
         SELECT t.id AS thread_id, t.last_activity_at AS created_at, t.title_search_vector
           FROM threads t
          WHERE numnode(${query}) > 0 AND t.title_search_vector @@ ${query} AND ${visible}
          ORDER BY t.last_activity_at DESC LIMIT $7
       ),
       matches AS (
         SELECT 'message'::text AS kind, c.thread_id, c.message_id, ts_rank(c.search_vector, q.query, 1) AS rank, c.created_at
           FROM message_matches c CROSS JOIN q
         UNION ALL
         SELECT 'title'::text, c.thread_id, NULL::uuid, ts_rank(c.title_search_vector, q.query, 1), c.created_at
           FROM title_matches c CROSS JOIN q
       ),
       page AS (
         SELECT * FROM matches ORDER BY rank DESC, created_at DESC, coalesce(message_id, thread_id) DESC LIMIT $5 OFFSET $6
       )
       SELECT page.kind, page.thread_id, page.message_id, page.rank::float8 AS rank, ${isoTimestamp('page.created_at', 'created_at')},
              t.title, t.is_archived, m.role,
              ts_headline($2::regconfig,
                          translate(CASE WHEN page.kind = 'message' THEN left(m.content, ${SNIPPET_SOURCE_CHARS}) ELSE coalesce(t.title, '') END,
                                    '${HIGHLIGHT_START}${HIGHLIGHT_STOP}', ''),
                          q.query, '${HEADLINE_OPTIONS}') AS headline,
              ((SELECT count(*) FROM message_matches) >= $7 OR (SELECT count(*) FROM title_matches) >= $7) AS capped
         FROM page CROSS JOIN q
         JOIN threads t ON t.id = page.thread_id AND t.user_id = $1
         LEFT JOIN messages m ON m.id = page.message_id AND m.user_id = $1
        ORDER BY page.rank DESC, page.created_at DESC, coalesce(page.message_id, page.thread_id) DESC`,
      [filter.userId, filter.language, filter.query, filter.includeArchived, filter.limit, filter.offset, filter.maxCandidates],
    );
  }
}
