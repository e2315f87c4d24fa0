// The conversation list beside the chat (a drawer on a phone): New
// conversation, full-text search, a filter by assistant, and the archive.
import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { threads } from '../../api/endpoints';
import type { Assistant } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { Link } from '../../router';
import { strings } from '../../strings';
import { focusSearchResult, SearchResults } from './search-results';
import { ThreadList, ThreadListSkeleton } from './thread-list';

const PAGE_SIZE = 50;
const text = strings.threads;
export const SIDEBAR_ID = 'thread-sidebar';
const SEARCH_INPUT_ID = 'thread-search';

interface Props {
  activeId: string | undefined;
  assistants: Assistant[];
  /** Changes whenever the list may have changed (a turn ended, a rename…). */
  version: number;
  open: boolean;
  /** Shown as a drawer over the chat (a narrow screen). */
  drawer: boolean;
  sidebarRef: Ref<HTMLElement>;
  onClose(): void;
  /** A search result was chosen (its message, or null for a title match). */
  onPick(threadId: string, messageId: string | null): void;
}

/** Tab and Shift+Tab go round the drawer's controls while it lies over the chat. */
function keepFocusWithin(event: KeyboardEvent): void {
  const drawer = event.currentTarget as HTMLElement;
  const controls = Array.from(drawer.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input, select')).filter(
    (control) => control.offsetParent !== null,
  );
  const edge = event.shiftKey ? controls[0] : controls.at(-1);
  if (document.activeElement !== edge && drawer !== document.activeElement) return;
  event.preventDefault();
  (event.shiftKey ? controls.at(-1) : controls[0])?.focus();
}

export function ThreadSidebar({ activeId, assistants, version, open, drawer, sidebarRef, onClose, onPick }: Props) {
  const [search, setSearch] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);
  const [assistantId, setAssistantId] = useState('');
  const [archived, setArchived] = useState(false);
  const [pages, setPages] = useState(1);
  const list = useLoader(async () => {
    const filter = { assistantId: assistantId || undefined, archived, limit: PAGE_SIZE };
    const loaded = await Promise.all(Array.from({ length: pages }, (_, page) => threads.list({ ...filter, offset: page * PAGE_SIZE })));
    return { items: loaded.flatMap((page) => page.items), total: loaded[loaded.length - 1].total };
  }, [assistantId, archived, pages, version]);

  const query = search.trim();
  const items = list.data?.items ?? [];
  const more = (list.data?.total ?? 0) > items.length;

  return (
    <>
      {drawer && open && <div class="drawer-overlay" aria-hidden="true" data-testid="drawer-overlay" onClick={onClose} />}
      <aside
        id={SIDEBAR_ID}
        ref={sidebarRef}
        class={drawer ? 'sidebar sidebar-drawer' : 'sidebar'}
        aria-label={text.sidebarLabel}
        hidden={!open}
        tabIndex={-1}
        onKeyDown={(event) => {
          if (!drawer || event.defaultPrevented) return;
          if (event.key === 'Escape') {
            event.preventDefault();
            onClose();
          } else if (event.key === 'Tab') {
            keepFocusWithin(event);
          }
        }}
      >
        <Link href="/" class="button primary new-chat">
          {text.newConversation}
        </Link>
        <div class="sidebar-filters">
          <label class="visually-hidden" for={SEARCH_INPUT_ID}>
            {text.searchLabel}
          </label>
          <input
            id={SEARCH_INPUT_ID}
            type="search"
            placeholder={text.searchPlaceholder}
            value={search}
            onInput={(event) => setSearch(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown' && query && focusSearchResult()) event.preventDefault();
            }}
          />
          {query ? (
            <label class="check">
              <input type="checkbox" checked={includeArchived} onChange={(event) => setIncludeArchived(event.currentTarget.checked)} />
              <span>{text.includeArchived}</span>
            </label>
          ) : (
            <div class="filter-row">
              <label class="visually-hidden" for="thread-assistant-filter">
                {text.assistantFilterLabel}
              </label>
              <select id="thread-assistant-filter" value={assistantId} onChange={(event) => setAssistantId(event.currentTarget.value)}>
                <option value="">{text.allAssistants}</option>
                {assistants.map((assistant) => (
                  <option key={assistant.id} value={assistant.id}>
                    {assistant.name}
                  </option>
                ))}
              </select>
              <label class="check">
                <input type="checkbox" checked={archived} onChange={(event) => setArchived(event.currentTarget.checked)} />
                <span>{text.showArchived}</span>
              </label>
            </div>
          )}
        </div>
        {query ? (
          <SearchResults query={query} searchInputId={SEARCH_INPUT_ID} includeArchived={includeArchived} activeId={activeId} onPick={onPick} />
        ) : (
          <nav aria-label={archived ? text.archivedNav : text.sidebarLabel}>
            <ErrorNotice error={list.error} context={text.loadError} />
            {list.loading && !list.data ? <ThreadListSkeleton /> : <ThreadList items={items} activeId={activeId} />}
            {list.data && items.length === 0 && <p class="empty">{archived ? text.nothingArchived : text.noConversations}</p>}
            {more && (
              <button type="button" class="link-button" onClick={() => setPages((count) => count + 1)}>
                {text.showMore}
              </button>
            )}
          </nav>
        )}
      </aside>
    </>
  );
}
