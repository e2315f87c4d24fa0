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

/**
 * How far back the next window of days reaches: as far as the matches found
 * so far say is needed for the rest (with a quarter more), at most
 * GROWTH_CAP times the days read so far (that far when nothing has matched
 * yet), and at least half of them, so that the days read grow geometrically
 * and one search reads at most a few dozen windows over 65,536 days.
 */
const GROWTH_CAP = 8;
const DAYS_READ = `(p.newest - p.lo + 1)`;
const NEXT_WINDOW_DAYS = `least(greatest(ceil(${DAYS_READ} * ($7 - p.found) * 1.25 / greatest(p.found, 1))::int, ceil(${DAYS_READ} / 2.0)::int), ${DAYS_READ} * ${GROWTH_CAP})`;

/**
 * The newest matches in the days lo to hi of the owner's messages ($1), at
 * most $7, ranked (only those). The index is probed with search_probe (the
 * query's words tagged with the owner, phrases relaxed) and the window's
 * keys; a query with a phrase is then matched against each row found
 * (without one the index answers exactly: q.exact). The probe stands alone
 * (OFFSET 0): its keys already name the owner, and combining it with the
 * owner's other indexes would read all of their messages.
 */
function windowMatches(lo: string, hi: string): string {
  return `SELECT count(*)::int AS found, array_agg(c.id) AS ids, array_agg(c.thread_id) AS threads, array_agg(c.created_at) AS times, array_agg(ts_rank(c.search_vector, q.query, 1)) AS ranks
            FROM (SELECT m.id, m.thread_id, m.created_at, m.search_vector
                    FROM (SELECT * FROM messages m
                           WHERE search_document(m.search_vector, m.user_id, m.created_at) @@ (q.probe && search_window($1, ${lo}, ${hi}))
                          OFFSET 0) m
                   WHERE m.user_id = $1 AND (q.exact OR m.search_vector @@ q.query) AND m.thread_id NOT IN (SELECT id FROM hidden)
                   ORDER BY m.created_at DESC LIMIT $7) c`;
}

/**
 * The search, one statement (prepared once per connection: its plan does not
 * depend on the words). Only the newest `maxCandidates` matches of each kind
 * are ranked. Messages are read through windows of days, newest first (the
 * user's newest day, then as far back as the matches so far say is needed),
 * until enough have matched or the user's first message is reached (see the
 * SearchTimeWindows migration): a word in every message costs its newest few
 * hundred rows, a rare word a few index probes. Each row of `windows` is one
 * window: its first day `lo`, the user's `newest` day, the matches counted so
 * far and the window's own. Trashed threads never match; archived ones on
 * request. Headlines are made for the page only.
 */
const SEARCH_STATEMENT = `WITH RECURSIVE q AS (
    SELECT query, search_probe(query, $1) AS probe, strpos(query::text, '<') = 0 AS exact
      FROM (SELECT websearch_to_tsquery($2::regconfig, $3) AS query) parsed WHERE numnode(query) > 0
  ),
  hidden AS (SELECT t.id FROM threads t WHERE t.user_id = $1 AND (t.deleted_at IS NOT NULL OR t.is_archived) AND (t.deleted_at IS NOT NULL OR NOT $4::boolean)),
  span AS (SELECT search_day(min(created_at)) AS first, search_day(max(created_at)) AS last FROM messages WHERE user_id = $1),
  windows AS (
    SELECT span.last AS newest, span.last AS lo, w.found, w.ids, w.threads, w.times, w.ranks
      FROM span CROSS JOIN q CROSS JOIN LATERAL (${windowMatches('span.last', 'span.last')}) w
     WHERE span.last IS NOT NULL
    UNION ALL
    SELECT p.newest, n.lo, p.found + w.found, w.ids, w.threads, w.times, w.ranks
      FROM windows p CROSS JOIN span CROSS JOIN q
     CROSS JOIN LATERAL (SELECT greatest(span.first, p.lo - ${NEXT_WINDOW_DAYS}) AS lo) n
     CROSS JOIN LATERAL (${windowMatches('n.lo', 'p.lo - 1')}) w
     WHERE p.found < $7 AND p.lo > span.first
  ),
  message_matches AS (
    SELECT c.thread_id, c.message_id, c.created_at, c.rank
      FROM windows w CROSS JOIN LATERAL unnest(w.ids, w.threads, w.times, w.ranks) AS c(message_id, thread_id, created_at, rank)
     ORDER BY c.created_at DESC LIMIT $7
  ),
  title_matches AS (
    SELECT t.id AS thread_id, t.last_activity_at AS created_at, ts_rank(t.title_search_vector, q.query, 1) AS rank
      FROM threads t CROSS JOIN q
     WHERE t.user_id = $1 AND t.title_search_vector @@ q.query AND t.deleted_at IS NULL AND ($4::boolean OR NOT t.is_archived)
     ORDER BY t.last_activity_at DESC LIMIT $7
  ),
  matches AS (
    SELECT 'message'::text AS kind, c.thread_id, c.message_id, c.rank, c.created_at FROM message_matches c
    UNION ALL
    SELECT 'title'::text, c.thread_id, NULL::uuid, c.rank, c.created_at FROM title_matches c
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
   ORDER BY page.rank DESC, page.created_at DESC, coalesce(page.message_id, page.thread_id) DESC`;

@Injectable()
export class SearchRepository {
  constructor(private readonly sql: Sql) {}

  /** The user's messages and thread titles that match, best first (see SEARCH_STATEMENT). */
  async search(filter: SearchFilter): Promise<SearchHitRow[]> {
    return this.sql.prepared<SearchHitRow>(SEARCH_STATEMENT, [
      filter.userId,
      filter.language,
      filter.query,
      filter.includeArchived,
      filter.limit,
      filter.offset,
      filter.maxCandidates,
    ]);
  }
}
