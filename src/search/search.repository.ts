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
}

@Injectable()
export class SearchRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * The user's messages and thread titles that match, best first: both
   * through their GIN indexes (the tsvector columns), trashed threads never,
   * archived ones on request. Headlines are made for the page only.
   */
  async search(filter: SearchFilter): Promise<SearchHitRow[]> {
    const visible = `t.user_id = $1 AND t.deleted_at IS NULL AND ($4::boolean OR NOT t.is_archived)`;
    return this.sql.rows<SearchHitRow>(
      `WITH q AS (SELECT websearch_to_tsquery($2::regconfig, $3) AS query),
       matches AS (
         SELECT 'message'::text AS kind, m.thread_id, m.id AS message_id, ts_rank(m.search_vector, q.query, 1) AS rank, m.created_at
           FROM q JOIN messages m ON m.search_vector @@ websearch_to_tsquery($2::regconfig, $3)
           JOIN threads t ON t.id = m.thread_id
          WHERE numnode(q.query) > 0 AND m.user_id = $1 AND ${visible}
         UNION ALL
         SELECT 'title'::text, t.id, NULL::uuid, ts_rank(t.title_search_vector, q.query, 1), t.last_activity_at
           FROM q JOIN threads t ON t.title_search_vector @@ websearch_to_tsquery($2::regconfig, $3)
          WHERE numnode(q.query) > 0 AND ${visible}
       ),
       page AS (
         SELECT * FROM matches ORDER BY rank DESC, created_at DESC, coalesce(message_id, thread_id) DESC LIMIT $5 OFFSET $6
       )
       SELECT page.kind, page.thread_id, page.message_id, page.rank::float8 AS rank, ${isoTimestamp('page.created_at', 'created_at')},
              t.title, t.is_archived, m.role,
              ts_headline($2::regconfig,
                          translate(CASE WHEN page.kind = 'message' THEN left(m.content, ${SNIPPET_SOURCE_CHARS}) ELSE coalesce(t.title, '') END,
                                    '${HIGHLIGHT_START}${HIGHLIGHT_STOP}', ''),
                          q.query, '${HEADLINE_OPTIONS}') AS headline
         FROM page CROSS JOIN q
         JOIN threads t ON t.id = page.thread_id AND t.user_id = $1
         LEFT JOIN messages m ON m.id = page.message_id AND m.user_id = $1
        ORDER BY page.rank DESC, page.created_at DESC, coalesce(page.message_id, page.thread_id) DESC`,
      [filter.userId, filter.language, filter.query, filter.includeArchived, filter.limit, filter.offset],
    );
  }
}
