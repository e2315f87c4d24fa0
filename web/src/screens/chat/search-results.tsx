// Full-text search over the user's messages and titles (GET /api/search):
// asked a moment after typing stops, results with the matched words marked.
// Snippets arrive as plain-text parts and are rendered as text, never as HTML.
// The results are one tab stop (roving tabindex): the arrow keys, Home and End
// move between them, and Up from the first goes back to the search field.
import { useEffect, useRef, useState } from 'preact/hooks';
import { search } from '../../api/endpoints';
import type { SearchHit, SearchResult } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../router';
import { format, strings } from '../../strings';

const text = strings.threads;
/** Typing waits this long before asking the server. */
const DEBOUNCE_MS = 300;
const PAGE_SIZE = 20;
/** The most results the server gives at once. */
const MAX_RESULTS = 50;

interface SearchState {
  result: SearchResult | null;
  error: unknown;
  searching: boolean;
}

/** The results for `query` (trimmed; empty: none), newest query wins. */
export function useSearch(query: string, includeArchived: boolean, limit: number): SearchState {
  const [state, setState] = useState<SearchState>({ result: null, error: null, searching: false });
  useEffect(() => {
    if (!query) {
      setState({ result: null, error: null, searching: false });
      return;
    }
    const controller = new AbortController();
    setState((current) => ({ ...current, searching: true }));
    const timer = setTimeout(() => {
      search
        .find({ q: query, includeArchived, limit }, controller.signal)
        .then((result) => setState({ result, error: null, searching: false }))
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setState({ result: null, error, searching: false });
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, includeArchived, limit]);
  return state;
}

function Snippet({ hit }: { hit: SearchHit }) {
  return (
    <span class="search-snippet">
      {hit.snippet.map((part, index) => (part.highlight ? <mark key={index}>{part.text}</mark> : part.text))}
    </span>
  );
}

/** From the search field: focus goes to the result that holds the tab stop; false when there is none. */
export function focusSearchResult(): boolean {
  const result = document.querySelector<HTMLElement>('.search-results .thread-list a[tabindex="0"]');
  result?.focus();
  return result !== null;
}

/** Where an arrow key, Home or End moves from result `at` of `count`; 'back' is the search field. */
function nextResult(key: string, at: number, count: number): number | 'back' | null {
  if (key === 'ArrowDown') return Math.min(at + 1, count - 1);
  if (key === 'ArrowUp') return at === 0 ? 'back' : at - 1;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

interface Props {
  query: string;
  /** The search field, where Up from the first result goes back to. */
  searchInputId: string;
  includeArchived: boolean;
  activeId: string | undefined;
  /** A result was chosen: its thread opens, scrolled to the message (null for a title). */
  onPick(threadId: string, messageId: string | null): void;
}

export function SearchResults({ query, searchInputId, includeArchived, activeId, onPick }: Props) {
  const [limit, setLimit] = useState(PAGE_SIZE);
  useEffect(() => setLimit(PAGE_SIZE), [query, includeArchived]);
  const { result, error, searching } = useSearch(query, includeArchived, limit);
  const hits = result?.results ?? [];
  const [current, setCurrent] = useState(0);
  useEffect(() => setCurrent(0), [result]);
  const list = useRef<HTMLUListElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const links = Array.from(list.current?.querySelectorAll<HTMLElement>(':scope > li > a') ?? []);
    const at = links.indexOf(event.target as HTMLElement);
    const next = at < 0 ? null : nextResult(event.key, at, links.length);
    if (next === null) return;
    event.preventDefault();
    if (next === 'back') {
      document.getElementById(searchInputId)?.focus();
      return;
    }
    setCurrent(next);
    links[next].focus();
  };
  const count = hits.length === 1 ? text.resultCountOne : format(text.resultCount, { count: hits.length });
  return (
    <nav aria-label={text.searchResults} class="search-results" aria-busy={searching || undefined}>
      <p class="meta" role="status">
        {searching ? text.searching : result ? (hits.length === 0 ? format(text.noMatches, { query }) : count) : ''}
      </p>
      <ErrorNotice error={error} context={text.searchError} />
      <ul class="thread-list" ref={list} onKeyDown={onKeyDown}>
        {hits.map((hit, index) => (
          <li key={`${hit.threadId}:${hit.messageId ?? 'title'}`}>
            <Link
              href={`/threads/${hit.threadId}`}
              tabIndex={index === Math.min(current, hits.length - 1) ? 0 : -1}
              onFocus={() => setCurrent(index)}
              aria-current={hit.threadId === activeId && hit.kind === 'title' ? 'page' : undefined}
              onClick={(event) => {
                if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey) onPick(hit.threadId, hit.messageId);
              }}
            >
              <span class="thread-title">
                {hit.threadTitle?.trim() || text.untitled}
                {hit.threadIsArchived && <span class="badge badge-muted">{text.archivedBadge}</span>}
              </span>
              <span class="search-meta">
                {hit.kind === 'title' ? text.titleMatch : hit.role === 'user' ? text.fromYou : text.fromAssistant} ·{' '}
                <time dateTime={hit.createdAt}>{formatDateTime(hit.createdAt)}</time>
              </span>
              <Snippet hit={hit} />
            </Link>
          </li>
        ))}
      </ul>
      {result?.capped && <p class="meta">{text.capped}</p>}
      {result?.hasMore && limit < MAX_RESULTS && (
        <button type="button" class="link-button" onClick={() => setLimit((current) => Math.min(current + PAGE_SIZE, MAX_RESULTS))}>
          {text.moreResults}
        </button>
      )}
    </nav>
  );
}
