import { useEffect, useState } from 'preact/hooks';
import { adminUsers } from '../../api/admin';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { formatCost, formatDateTime, formatNumber } from '../../lib/format';
import { Link } from '../../router';
import { useSession } from '../../session';
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
        <h2 id="users-heading">Users</h2>
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
            Search users
          </label>
          <input id="user-search" type="search" placeholder="Search by email or name" value={typed} onInput={(event) => setTyped(event.currentTarget.value)} />
        </form>
      </div>
      <ErrorNotice error={list.error} context="Could not load the users." />
      <p class="meta" role="status" aria-live="polite" data-testid="users-count">
        {list.loading && !list.data
          ? 'Loading users…'
          : total === 0
            ? search
              ? `No user matches “${search}”.`
              : 'No users.'
            : `${formatNumber(first + 1)}–${formatNumber(first + users.length)} of ${formatNumber(total)} ${total === 1 ? 'user' : 'users'}`}
      </p>
      {users.length > 0 && (
        <table class="table responsive-table" aria-busy={list.loading} aria-labelledby="users-heading">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Tokens this month</th>
              <th scope="col">Cost this month</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const state = accountState(user);
              return (
                <tr key={user.id} data-testid="user-row">
                  <th scope="row" data-label="User">
                    <Link href={`/admin/users/${user.id}`}>{user.email}</Link>
                    {user.id === session.user.id && <span class="badge badge-muted">You</span>}
                    {user.name && <span class="row-sub">{user.name}</span>}
                  </th>
                  <td data-label="Role">{ROLE_LABELS[user.role]}</td>
                  <td data-label="Status">
                    <span class={`badge tone-${state.tone}`}>{state.label}</span>
                  </td>
                  <td data-label="Tokens this month">{formatNumber(user.usage.totalTokens)}</td>
                  <td data-label="Cost this month">{formatCost(user.usage.cost)}</td>
                  <td data-label="Created">{formatDateTime(user.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {total > PAGE_SIZE && (
        <div class="actions pager">
          <button type="button" disabled={page === 0 || list.loading} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <button type="button" disabled={first + PAGE_SIZE >= total || list.loading} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </div>
      )}
    </section>
  );
}
