// The conversation list, newest first, under Today / Yesterday / Previous 7
// days / Previous 30 days / Older headings; placeholder rows while it loads.
import type { Thread } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../router';
import { strings } from '../../strings';
import { groupByDate } from './date-groups';

const SKELETON_ROWS = 6;

export function activityOf(thread: Thread): string {
  return thread.lastMessageAt ?? thread.updatedAt ?? thread.createdAt;
}

export function threadTitle(thread: Pick<Thread, 'title'>): string {
  return thread.title?.trim() || strings.threads.untitled;
}

export function ThreadListSkeleton() {
  return (
    <div class="thread-skeleton" data-testid="thread-skeleton">
      <p class="visually-hidden" role="status">
        {strings.threads.loading}
      </p>
      <ul class="thread-list" aria-hidden="true">
        {Array.from({ length: SKELETON_ROWS }, (_, index) => (
          <li key={index} class="skeleton-row">
            <span class="skeleton-line" />
            <span class="skeleton-line short" />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ThreadList({ items, activeId }: { items: Thread[]; activeId: string | undefined }) {
  const sorted = [...items].sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
  return (
    <>
      {groupByDate(sorted, activityOf).map(({ group, items: grouped }) => (
        <section key={group} class="thread-group" aria-labelledby={`thread-group-${group}`}>
          <h2 id={`thread-group-${group}`} class="thread-group-heading">
            {strings.threads.groups[group]}
          </h2>
          <ul class="thread-list">
            {grouped.map((thread) => (
              <li key={thread.id}>
                <Link href={`/threads/${thread.id}`} aria-current={thread.id === activeId ? 'page' : undefined}>
                  <span class="thread-title">{threadTitle(thread)}</span>
                  <time dateTime={activityOf(thread)}>{formatDateTime(activityOf(thread))}</time>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
