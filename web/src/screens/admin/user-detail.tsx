import { useState } from 'preact/hooks';
import { adminUsers, type AdminUser, type Role } from '../../api/admin';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { SelectField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { formatCost, formatDateTime, formatNumber } from '../../lib/format';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { accountState, ROLE_LABELS } from './admin-labels';
import { UserBudget } from './user-budget';

type Pending = 'role' | 'disable' | 'enable' | 'password' | 'delete' | null;

const ROLE_OPTIONS = (['user', 'admin'] as const).map((role) => ({ value: role, label: ROLE_LABELS[role] }));

export function UserDetail({ userId }: { userId: string }) {
  const session = useSession();
  const user = useLoader(() => adminUsers.get(userId), [userId]);
  const [role, setRole] = useState<Role | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const action = useAction();
  const data = user.data;
  const self = data?.id === session.user.id;

  const apply = async (change: () => Promise<AdminUser>, done: string) => {
    setPending(null);
    return action.run(async () => {
      user.setData(await change());
      return done;
    });
  };
  const confirm = async () => {
    if (!data) return;
    if (pending === 'role' && role) {
      const chosen = role;
      const changed = await apply(() => adminUsers.setRole(data.id, chosen), `${data.email} is now ${chosen === 'admin' ? 'an administrator' : 'a user'}.`);
      setRole(null);
      // Demoted oneself: the Admin screen is no longer one's own.
      if (changed && self && chosen !== 'admin') {
        await session.refresh();
        navigate('/', { replace: true });
      }
    } else if (pending === 'disable') {
      await apply(() => adminUsers.disable(data.id), `${data.email} is disabled and signed out everywhere.`);
    } else if (pending === 'enable') {
      await apply(() => adminUsers.enable(data.id), `${data.email} can sign in again.`);
    } else if (pending === 'password') {
      await apply(() => adminUsers.requirePasswordChange(data.id), `${data.email} must choose a new password at the next sign-in.`);
    } else if (pending === 'delete') {
      setPending(null);
      const deleted = await action.run(async () => (await adminUsers.remove(data.id)).message);
      if (deleted) navigate('/admin', { replace: true });
    }
  };

  const chosenRole = role ?? data?.role ?? 'user';
  return (
    <section aria-labelledby="user-heading">
      <p class="breadcrumb">
        <Link href="/admin">← All users</Link>
      </p>
      <ErrorNotice error={user.error} context="Could not load the user." />
      {!data ? (
        !user.error && <p aria-live="polite">Loading the user…</p>
      ) : (
        <>
          <div class="card">
            <h2 id="user-heading" class="break-anywhere">
              {data.email}
              {self && <span class="badge badge-muted">You</span>}
            </h2>
            <dl class="details">
              <div>
                <dt>Name</dt>
                <dd>{data.name ?? '—'}</dd>
              </div>
              <div>
                <dt>Role</dt>
                <dd>{ROLE_LABELS[data.role]}</dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd data-testid="user-status">{accountState(data).label}</dd>
              </div>
              <div>
                <dt>OpenAI key</dt>
                <dd>{data.hasApiKey ? 'Saved' : 'None'}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{formatDateTime(data.createdAt)}</dd>
              </div>
              <div>
                <dt>This month (since {formatDateTime(data.periodStart)})</dt>
                <dd>
                  {formatNumber(data.usage.turns)} {data.usage.turns === 1 ? 'turn' : 'turns'}, {formatNumber(data.usage.totalTokens)} tokens,{' '}
                  {formatCost(data.usage.cost)}
                </dd>
              </div>
            </dl>
            <p>
              <Link href={`/admin/audit?actor=${encodeURIComponent(data.id)}`}>What this account did (audit log)</Link>
            </p>
          </div>
          <section class="card" aria-labelledby="user-actions-heading">
            <h2 id="user-actions-heading">Manage the account</h2>
            <ErrorNotice error={action.error} context="Could not change the account." />
            <StatusNotice message={action.done} />
            <form
              class="inline-form"
              onSubmit={(event) => {
                event.preventDefault();
                if (chosenRole !== data.role) setPending('role');
              }}
            >
              <SelectField label="Role" value={chosenRole} options={ROLE_OPTIONS} onValue={(value) => setRole(value as Role)} />
              <button type="submit" disabled={action.busy || chosenRole === data.role}>
                Change role
              </button>
            </form>
            <div class="actions account-actions">
              {data.disabledAt ? (
                <button type="button" disabled={action.busy} onClick={() => setPending('enable')}>
                  Enable account
                </button>
              ) : (
                <button type="button" class="danger" disabled={action.busy || self} onClick={() => setPending('disable')}>
                  Disable account
                </button>
              )}
              <button type="button" disabled={action.busy || data.mustChangePassword} onClick={() => setPending('password')}>
                Require password change
              </button>
              <button type="button" class="danger" disabled={action.busy || self} onClick={() => setPending('delete')}>
                Delete account…
              </button>
            </div>
            {self && <p class="field-hint">You cannot disable or delete your own account here.</p>}
          </section>
          <UserBudget userId={data.id} />
          <ConfirmDialog
            open={pending !== null}
            title={confirmTitle(pending, data, chosenRole)}
            confirmLabel={confirmLabel(pending)}
            danger={pending === 'disable' || pending === 'delete' || (pending === 'role' && self)}
            busy={action.busy}
            onConfirm={() => void confirm()}
            onCancel={() => setPending(null)}
          >
            <p>{confirmText(pending, self)}</p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}

function confirmTitle(pending: Pending, user: AdminUser, role: Role): string {
  switch (pending) {
    case 'role':
      return `Make ${user.email} ${role === 'admin' ? 'an administrator' : 'a user'}?`;
    case 'disable':
      return `Disable ${user.email}?`;
    case 'enable':
      return `Enable ${user.email}?`;
    case 'password':
      return `Require a new password from ${user.email}?`;
    case 'delete':
      return `Delete ${user.email}?`;
    default:
      return '';
  }
}

function confirmLabel(pending: Pending): string {
  const labels: Record<Exclude<Pending, null>, string> = {
    role: 'Change role',
    disable: 'Disable',
    enable: 'Enable',
    password: 'Require change',
    delete: 'Delete account',
  };
  return pending ? labels[pending] : '';
}

function confirmText(pending: Pending, self: boolean): string {
  switch (pending) {
    case 'role':
      return self
        ? 'You will lose access to Admin at once.'
        : 'Administrators manage every account, the sign-up policy and the audit log.';
    case 'disable':
      return 'Every session of the account ends at once and sign-in is refused until the account is enabled again.';
    case 'enable':
      return 'The account can sign in again.';
    case 'password':
      return 'At the next sign-in, the account can do nothing but choose a new password.';
    case 'delete':
      return 'The account and its assistants, conversations and files are deleted for good. This cannot be undone.';
    default:
      return '';
  }
}
