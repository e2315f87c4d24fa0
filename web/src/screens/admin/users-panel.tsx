import { useEffect, useState } from 'preact/hooks';
import { adminUsers } from '../../api/admin';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { formatCost, formatDateTime, formatNumber } from '../../lib/format';
import { Link } from '../../router';
import { Skeleton } from '../../components/skeleton';
import { useSession } from '../../session';
import { admin as text } from '../../strings/admin';
import { format } from '../../strings/index';
import { accountState, ROLE_LABELS } from './admin-labels';

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 300;

export function UsersPanel() {
  const session = useSession();
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  // The list follows what is typed, once typing pauses.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setSearch(typed.trim());
      setPage(0);
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [typed]);
  const list = useLoader(() => adminUsers.list({ search, limit: PAGE_SIZE, offset: page * PAGE_SIZE }), [search, page]);
  const total = list.data?.total ?? 0;
  const first = page * PAGE_SIZE;
  const users = list.data?.items ?? [];

  return (
    <section aria-labelledby="users-heading">
      <div class="section-head">
        <h2 id="users-heading">{text.users}</h2>
        <form
          role="search"
          class="search-form"
          onSubmit={(event) => {
            event.preventDefault();
            setSearch(typed.trim());
            setPage(0);
          }}
        >
          <label for="user-search" class="visually-hidden">
            {text.searchUsers}
          </label>
          <input id="user-search" type="search" placeholder={text.searchPlaceholder} value={typed} onInput={(event) => setTyped(event.currentTarget.value)} />
        </form>
      </div>
      <ErrorNotice error={list.error} context={text.couldNotLoadUsers} />
      <p class="meta" role="status" aria-live="polite" data-testid="users-count">
        {list.loading && !list.data
          ? text.loadingUsers
          : total === 0
            ? search
              ? format(text.noUserMatches, { search })
              : text.noUsers
            : format(total === 1 ? text.usersRangeOne : text.usersRangeMany, {
                first: formatNumber(first + 1),
                last: formatNumber(first + users.length),
                total: formatNumber(total),
              })}
      </p>
      {list.loading && !list.data && <Skeleton lines={8} label={text.users} />}
      {users.length > 0 && (
        <table class="table responsive-table" aria-busy={list.loading} aria-labelledby="users-heading">
          <thead>
            <tr>
              <th scope="col">{text.user}</th>
              <th scope="col">{text.role}</th>
              <th scope="col">{text.status}</th>
              <th scope="col">{text.tokensThisMonth}</th>
              <th scope="col">{text.costThisMonth}</th>
              <th scope="col">{text.created}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const state = accountState(user);
              return (
                <tr key={user.id} data-testid="user-row">
                  <th scope="row" data-label={text.user}>
                    <Link href={`/admin/users/${user.id}`}>{user.email}</Link>
                    {user.id === session.user.id && <span class="badge badge-muted">{text.you}</span>}
                    {user.name && <span class="row-sub">{user.name}</span>}
                  </th>
                  <td data-label={text.role}>{ROLE_LABELS[user.role]}</td>
                  <td data-label={text.status}>
                    <span class={`badge tone-${state.tone}`}>{state.label}</span>
                  </td>
                  <td data-label={text.tokensThisMonth}>{formatNumber(user.usage.totalTokens)}</td>
                  <td data-label={text.costThisMonth}>{formatCost(user.usage.cost)}</td>
                  <td data-label={text.created}>{formatDateTime(user.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {total > PAGE_SIZE && (
        <div class="actions pager">
          <button type="button" disabled={page === 0 || list.loading} onClick={() => setPage(page - 1)}>
            {text.previous}
          </button>
          <button type="button" disabled={first + PAGE_SIZE >= total || list.loading} onClick={() => setPage(page + 1)}>
            {text.next}
          </button>
        </div>
      )}
    </section>
  );
}
