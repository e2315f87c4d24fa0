import { useState } from 'preact/hooks';
import { adminSignup, inviteLink, type CreatedInvite, type Invite } from '../../api/admin';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { SelectField, TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { fieldErrors } from '../../lib/error-messages';
import { formatDateTime } from '../../lib/format';
import { inviteState } from './admin-labels';

const PAGE_SIZE = 50;
const LIFETIMES = [
  { value: '24', label: '1 day' },
  { value: '72', label: '3 days' },
  { value: '168', label: '1 week' },
  { value: '720', label: '30 days' },
  { value: '2160', label: '90 days' },
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
      return 'Invite created.';
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
      return 'Invite revoked.';
    });
  };

  const errors = fieldErrors(action.error);
  const invites = list.data ?? [];
  return (
    <section class="card" aria-labelledby="invites-heading">
      <h2 id="invites-heading">Invites</h2>
      <p>While sign-up is by invite, an invite link lets people create an account. Under the other policies, links change nothing.</p>
      <ErrorNotice error={action.error} context="Could not change the invites." />
      <StatusNotice message={action.done} />
      <form class="inline-form" onSubmit={create}>
        <TextField label="Sign-ups allowed" type="number" inputMode="numeric" min={1} max={10000} value={uses} onValue={setUses} error={errors.maxUses} />
        <SelectField label="Valid for" value={hours} options={LIFETIMES} onValue={setHours} error={errors.expiresInHours} />
        <button type="submit" class="primary" disabled={action.busy || !(Number(uses) >= 1)}>
          Create invite
        </button>
      </form>
      {created && <CreatedLink invite={created} />}
      <h3 class="subheading">Recent invites</h3>
      <ErrorNotice error={list.error} context="Could not load the invites." />
      {!list.data ? (
        !list.error && <p aria-live="polite">Loading invites…</p>
      ) : invites.length === 0 ? (
        <p class="empty">No invites yet.</p>
      ) : (
        <table class="table responsive-table" aria-label="Invites">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Used</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.map((invite) => (
              <tr key={invite.id} data-testid="invite-row">
                <th scope="row" data-label="Created">
                  {formatDateTime(invite.createdAt)}
                </th>
                <td data-label="Used">
                  {invite.uses} of {invite.maxUses}
                </td>
                <td data-label="Expires">{formatDateTime(invite.expiresAt)}</td>
                <td data-label="Status">{inviteState(invite)}</td>
                <td class="row-actions">
                  {invite.active && (
                    <button type="button" class="danger" disabled={action.busy} onClick={() => setRevoking(invite)}>
                      Revoke
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
          Show more invites
        </button>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this invite?"
        confirmLabel="Revoke"
        danger
        busy={action.busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Its link stops working at once. Accounts already created with it stay.</p>
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
      setCopied('Link copied.');
    } catch {
      (document.getElementById('invite-link') as HTMLInputElement | null)?.select();
      setCopied('Press Ctrl+C (or ⌘C) to copy the selected link.');
    }
  };
  return (
    <div class="created-invite">
      <label for="invite-link">Invite link</label>
      <div class="copy-row">
        <input id="invite-link" readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p class="field-hint">
        Copy it now: the link is shown only once. It allows {invite.maxUses} {invite.maxUses === 1 ? 'sign-up' : 'sign-ups'} until{' '}
        {formatDateTime(invite.expiresAt)}.
      </p>
      <StatusNotice message={copied} />
    </div>
  );
}
