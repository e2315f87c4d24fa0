import { useState } from 'preact/hooks';
import { adminSignup, inviteLink, type CreatedInvite, type Invite } from '../../api/admin';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { SelectField, TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { fieldErrors } from '../../lib/error-messages';
import { formatDateTime } from '../../lib/format';
import { Skeleton } from '../../components/skeleton';
import { admin as text } from '../../strings/admin';
import { format } from '../../strings/index';
import { inviteState } from './admin-labels';

const PAGE_SIZE = 50;
const LIFETIMES = [
  { value: '24', label: text.lifetimeDay },
  { value: '72', label: text.lifetime3Days },
  { value: '168', label: text.lifetimeWeek },
  { value: '720', label: text.lifetime30Days },
  { value: '2160', label: text.lifetime90Days },
];

export function InvitesPanel() {
  const [limit, setLimit] = useState(PAGE_SIZE);
  const list = useLoader(() => adminSignup.invites({ limit, offset: 0 }), [limit]);
  const [uses, setUses] = useState('1');
  const [hours, setHours] = useState('168');
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const action = useAction();

  const create = async (event: Event) => {
    event.preventDefault();
    setCreated(null);
    await action.run(async () => {
      const invite = await adminSignup.createInvite({ maxUses: Number(uses), expiresInHours: Number(hours) });
      setCreated(invite);
      await list.reload();
      return text.inviteCreated;
    });
  };
  const revoke = async () => {
    const invite = revoking;
    setRevoking(null);
    if (!invite) return;
    await action.run(async () => {
      await adminSignup.revokeInvite(invite.id);
      if (created?.id === invite.id) setCreated(null);
      await list.reload();
      return text.inviteRevokedDone;
    });
  };

  const errors = fieldErrors(action.error);
  const invites = list.data ?? [];
  return (
    <section class="card" aria-labelledby="invites-heading">
      <h2 id="invites-heading">{text.invites}</h2>
      <p>{text.invitesIntro}</p>
      <ErrorNotice error={action.error} context={text.couldNotChangeInvites} fields={['maxUses', 'expiresInHours']} />
      <StatusNotice message={action.done} />
      <form class="inline-form" onSubmit={create}>
        <TextField label={text.signupsAllowed} type="number" inputMode="numeric" min={1} max={10000} value={uses} onValue={setUses} error={errors.maxUses} />
        <SelectField label={text.validFor} value={hours} options={LIFETIMES} onValue={setHours} error={errors.expiresInHours} />
        <button type="submit" class="primary" disabled={action.busy || !(Number(uses) >= 1)}>
          {text.createInvite}
        </button>
      </form>
      {created && <CreatedLink invite={created} />}
      <h3 class="subheading">{text.recentInvites}</h3>
      <ErrorNotice error={list.error} context={text.couldNotLoadInvites} />
      {!list.data ? (
        !list.error && <Skeleton lines={4} label={text.invites} />
      ) : invites.length === 0 ? (
        <p class="empty">{text.noInvites}</p>
      ) : (
        <table class="table responsive-table" aria-label={text.invites}>
          <thead>
            <tr>
              <th scope="col">{text.created}</th>
              <th scope="col">{text.used}</th>
              <th scope="col">{text.expires}</th>
              <th scope="col">{text.status}</th>
              <th scope="col">
                <span class="visually-hidden">{text.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.map((invite) => (
              <tr key={invite.id} data-testid="invite-row">
                <th scope="row" data-label={text.created}>
                  {formatDateTime(invite.createdAt)}
                </th>
                <td data-label={text.used}>
                  {format(text.usesOf, { uses: invite.uses, max: invite.maxUses })}
                </td>
                <td data-label={text.expires}>{formatDateTime(invite.expiresAt)}</td>
                <td data-label={text.status}>{inviteState(invite)}</td>
                <td class="row-actions">
                  {invite.active && (
                    <button type="button" class="danger" disabled={action.busy} onClick={() => setRevoking(invite)}>
                      {text.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {invites.length === limit && (
        <button type="button" disabled={list.loading} onClick={() => setLimit(limit + PAGE_SIZE)}>
          {text.moreInvites}
        </button>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={text.revokeTitle}
        confirmLabel={text.revoke}
        danger
        busy={action.busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>{text.revokeText}</p>
      </ConfirmDialog>
    </section>
  );
}

/** The link of an invite just created: its token is never shown again. */
function CreatedLink({ invite }: { invite: CreatedInvite }) {
  const link = inviteLink(invite.token);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(text.linkCopied);
    } catch {
      (document.getElementById('invite-link') as HTMLInputElement | null)?.select();
      setCopied(text.copyByHand);
    }
  };
  return (
    <div class="created-invite">
      <label for="invite-link">{text.inviteLink}</label>
      <div class="copy-row">
        <input id="invite-link" readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          {text.copyLink}
        </button>
      </div>
      <p class="field-hint">
        {format(invite.maxUses === 1 ? text.linkOnceOne : text.linkOnceMany, { uses: invite.maxUses, until: formatDateTime(invite.expiresAt) })}
      </p>
      <StatusNotice message={copied} />
    </div>
  );
}
