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
import { Skeleton } from '../../components/skeleton';
import { admin as text } from '../../strings/admin';
import { format } from '../../strings/index';
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
      const changed = await apply(() => adminUsers.setRole(data.id, chosen), format(chosen === 'admin' ? text.nowAdmin : text.nowUser, { email: data.email }));
      setRole(null);
      // Demoted oneself: the Admin screen is no longer one's own.
      if (changed && self && chosen !== 'admin') {
        await session.refresh();
        navigate('/', { replace: true });
      }
    } else if (pending === 'disable') {
      await apply(() => adminUsers.disable(data.id), format(text.disabledDone, { email: data.email }));
    } else if (pending === 'enable') {
      await apply(() => adminUsers.enable(data.id), format(text.enabledDone, { email: data.email }));
    } else if (pending === 'password') {
      await apply(() => adminUsers.requirePasswordChange(data.id), format(text.passwordDone, { email: data.email }));
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
        <Link href="/admin">{text.allUsers}</Link>
      </p>
      <ErrorNotice error={user.error} context={text.couldNotLoadUser} />
      {!data ? (
        !user.error && <Skeleton lines={6} label={text.user} />
      ) : (
        <>
          <div class="card">
            <h2 id="user-heading" class="break-anywhere">
              {data.email}
              {self && <span class="badge badge-muted">{text.you}</span>}
            </h2>
            <dl class="details">
              <div>
                <dt>{text.name}</dt>
                <dd>{data.name ?? '—'}</dd>
              </div>
              <div>
                <dt>{text.role}</dt>
                <dd>{ROLE_LABELS[data.role]}</dd>
              </div>
              <div>
                <dt>{text.status}</dt>
                <dd data-testid="user-status">{accountState(data).label}</dd>
              </div>
              <div>
                <dt>{text.openAiKey}</dt>
                <dd>{data.hasApiKey ? text.keySaved : text.keyNone}</dd>
              </div>
              <div>
                <dt>{text.created}</dt>
                <dd>{formatDateTime(data.createdAt)}</dd>
              </div>
              <div>
                <dt>{format(text.thisMonthSince, { since: formatDateTime(data.periodStart) })}</dt>
                <dd>
                  {format(data.usage.turns === 1 ? text.monthUsageOne : text.monthUsageMany, {
                    turns: formatNumber(data.usage.turns),
                    tokens: formatNumber(data.usage.totalTokens),
                    cost: formatCost(data.usage.cost),
                  })}
                </dd>
              </div>
            </dl>
            <p>
              <Link href={`/admin/audit?actor=${encodeURIComponent(data.id)}`}>{text.auditOfUser}</Link>
            </p>
          </div>
          <section class="card" aria-labelledby="user-actions-heading">
            <h2 id="user-actions-heading">{text.manageAccount}</h2>
            <ErrorNotice error={action.error} context={text.couldNotChangeAccount} />
            <StatusNotice message={action.done} />
            <form
              class="inline-form"
              onSubmit={(event) => {
                event.preventDefault();
                if (chosenRole !== data.role) setPending('role');
              }}
            >
              <SelectField label={text.role} value={chosenRole} options={ROLE_OPTIONS} onValue={(value) => setRole(value as Role)} />
              <button type="submit" disabled={action.busy || chosenRole === data.role}>
                {text.changeRole}
              </button>
            </form>
            <div class="actions account-actions">
              {data.disabledAt ? (
                <button type="button" disabled={action.busy} onClick={() => setPending('enable')}>
                  {text.enableAccount}
                </button>
              ) : (
                <button type="button" class="danger" disabled={action.busy || self} onClick={() => setPending('disable')}>
                  {text.disableAccount}
                </button>
              )}
              <button type="button" disabled={action.busy || data.mustChangePassword} onClick={() => setPending('password')}>
                {text.requirePasswordChange}
              </button>
              <button type="button" class="danger" disabled={action.busy || self} onClick={() => setPending('delete')}>
                {text.deleteAccountOpen}
              </button>
            </div>
            {self && <p class="field-hint">{text.notOwnAccount}</p>}
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
      return format(role === 'admin' ? text.makeAdmin : text.makeUser, { email: user.email });
    case 'disable':
      return format(text.disableTitle, { email: user.email });
    case 'enable':
      return format(text.enableTitle, { email: user.email });
    case 'password':
      return format(text.passwordTitle, { email: user.email });
    case 'delete':
      return format(text.deleteTitle, { email: user.email });
    default:
      return '';
  }
}

function confirmLabel(pending: Pending): string {
  const labels: Record<Exclude<Pending, null>, string> = {
    role: text.confirmRole,
    disable: text.confirmDisable,
    enable: text.confirmEnable,
    password: text.confirmPassword,
    delete: text.confirmDelete,
  };
  return pending ? labels[pending] : '';
}

function confirmText(pending: Pending, self: boolean): string {
  switch (pending) {
    case 'role':
      return self ? text.roleSelf : text.roleOther;
    case 'disable':
      return text.disableText;
    case 'enable':
      return text.enableText;
    case 'password':
      return text.passwordText;
    case 'delete':
      return text.deleteText;
    default:
      return '';
  }
}
