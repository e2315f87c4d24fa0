// Conversations, newest first: title search, a filter by assistant, and the archive.
import { useEffect, useState } from 'preact/hooks';
import { threads } from '../../api/endpoints';
import type { Assistant, Thread } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../router';

const PAGE_SIZE = 50;

export function activityOf(thread: Thread): string {
  return thread.lastMessageAt ?? thread.updatedAt ?? thread.createdAt;
}

export function threadTitle(thread: Pick<Thread, 'title'>): string {
  return thread.title?.trim() || 'New conversation';
}

interface Props {
  activeId: string | undefined;
  assistants: Assistant[];
  /** Changes whenever the list may have changed (a turn ended, a rename…). */
  version: number;
}

export function ThreadSidebar({ activeId, assistants, version }: Props) {
  const [search, setSearch] = useState('');
  // The server searches all titles; typing waits a moment before asking it.
  const [serverSearch, setServerSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setServerSearch(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const [assistantId, setAssistantId] = useState('');
  const [archived, setArchived] = useState(false);
  const [pages, setPages] = useState(1);
  const list = useLoader(async () => {
    const filter = { assistantId: assistantId || undefined, archived, search: serverSearch || undefined, limit: PAGE_SIZE };
    const loaded = await Promise.all(Array.from({ length: pages }, (_, page) => threads.list({ ...filter, offset: page * PAGE_SIZE })));
    return { items: loaded.flatMap((page) => page.items), total: loaded[loaded.length - 1].total };
  }, [assistantId, archived, serverSearch, pages, version]);

  const needle = search.trim().toLowerCase();
  const shown = (list.data?.items ?? [])
    .filter((thread) => !needle || threadTitle(thread).toLowerCase().includes(needle))
    .sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
  const more = (list.data?.total ?? 0) > (list.data?.items.length ?? 0);

  return (
    <aside class="sidebar" aria-label="Conversations">
      <Link href="/" class="button primary new-chat">
        New conversation
      </Link>
      <div class="sidebar-filters">
        <label class="visually-hidden" for="thread-search">
          Search conversation titles
        </label>
        <input
          id="thread-search"
          type="search"
          placeholder="Search titles"
          value={search}
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
        <label class="visually-hidden" for="thread-assistant-filter">
          Show conversations with
        </label>
        <select id="thread-assistant-filter" value={assistantId} onChange={(event) => setAssistantId(event.currentTarget.value)}>
          <option value="">All assistants</option>
          {assistants.map((assistant) => (
            <option key={assistant.id} value={assistant.id}>
              {assistant.name}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={archived} onChange={(event) => setArchived(event.currentTarget.checked)} />
          <span>Archived</span>
        </label>
      </div>
      <ErrorNotice error={list.error} context="Could not load conversations." />
      <nav aria-label={archived ? 'Archived conversations' : 'Conversations'}>
        {shown.length === 0 && !list.loading && (
          <p class="empty">{needle ? 'No title matches.' : archived ? 'Nothing archived.' : 'No conversations yet.'}</p>
        )}
        <ul class="thread-list">
          {shown.map((thread) => (
            <li key={thread.id}>
              <Link href={`/threads/${thread.id}`} aria-current={thread.id === activeId ? 'page' : undefined}>
                <span class="thread-title">{threadTitle(thread)}</span>
                <time dateTime={activityOf(thread)}>{formatDateTime(activityOf(thread))}</time>
              </Link>
            </li>
          ))}
        </ul>
        {more && (
          <button type="button" class="link-button" onClick={() => setPages((count) => count + 1)}>
            Show more
          </button>
        )}
      </nav>
    </aside>
  );
}
