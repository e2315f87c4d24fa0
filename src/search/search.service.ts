import { Injectable } from '@nestjs/common';
import { validationFailed } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { SearchHitResponse, SearchQuery, SearchResponse, SnippetPart } from './search.dto.js';
import { HIGHLIGHT_START, HIGHLIGHT_STOP, SearchRepository, type SearchHitRow } from './search.repository.js';

/** Characters of a snippet sent at most (ts_headline bounds it by words; a word can be long). */
export const SNIPPET_MAX_CHARS = 600;

/** The headline's text as parts, highlighted or not, the marks taken out and the text bounded. */
export function snippetParts(headline: string, maxChars = SNIPPET_MAX_CHARS): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let left = maxChars;
  for (const [index, piece] of headline.split(HIGHLIGHT_START).entries()) {
    const [first, rest] = index === 0 ? [undefined, piece] : splitOnce(piece, HIGHLIGHT_STOP);
    for (const [text, highlight] of [
      [first, true],
      [rest, false],
    ] as Array<[string | undefined, boolean]>) {
      if (!text || left <= 0) continue;
      const kept = text.replaceAll(HIGHLIGHT_STOP, '').slice(0, left);
      left -= kept.length;
      const previous = parts[parts.length - 1];
      if (previous && previous.highlight === highlight) previous.text += kept;
      else parts.push({ text: kept, highlight });
    }
  }
  return parts;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

function toHit(row: SearchHitRow): SearchHitResponse {
  return {
    kind: row.kind,
    threadId: row.thread_id,
    threadTitle: row.title,
    threadIsArchived: row.is_archived,
    messageId: row.message_id,
    role: row.role,
    snippet: snippetParts(row.headline),
    rank: row.rank,
    createdAt: row.created_at,
  };
}

@Injectable()
export class SearchService {
  constructor(
    private readonly searches: SearchRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** A page of the user's messages and thread titles that match the query, best first. */
  async search(userId: string, query: SearchQuery): Promise<SearchResponse> {
    if (query.q === undefined) throw validationFailed('q', 'q is required: the words to find');
    const max = this.config.search.maxQueryChars;
    if (query.q.length > max) throw validationFailed('q', `q must be at most ${max} characters`);
    const limit = query.limit ?? 20;
    const rows = await this.searches.search({
      userId,
      language: this.config.search.language,
      query: query.q,
      includeArchived: query.includeArchived ?? false,
      limit: limit + 1,
      offset: query.offset ?? 0,
      maxCandidates: this.config.search.maxCandidates,
    });
    return { results: rows.slice(0, limit).map(toHit), hasMore: rows.length > limit, capped: rows[0]?.capped ?? false };
  }
}
