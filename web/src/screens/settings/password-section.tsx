// Changing the password: on the settings screen, and on its own when an
// administrator requires a new password before anything else.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { auth } from '../../api/endpoints';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { TextField } from '../../components/fields';
import { useAction } from '../../components/use-action';
import { fieldErrors } from '../../lib/error-messages';

interface Props {
  /** Called once the server has accepted the new password. */
  onChanged?(): void | Promise<void>;
  /** Replaces the usual explanation (e.g. why the change is required). */
  intro?: ComponentChildren;
}

export function PasswordSection({ onChanged, intro }: Props) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const action = useAction();
  const errors = fieldErrors(action.error);

  const save = async (event: Event) => {
    event.preventDefault();
    setMismatch(newPassword !== repeat);
    if (newPassword !== repeat) return;
    const saved = await action.run(async () => (await auth.changePassword({ currentPassword, newPassword })).message);
    if (saved) {
      setCurrentPassword('');
      setNewPassword('');
      setRepeat('');
      await onChanged?.();
    }
  };

  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      {intro ?? <p>Your other signed-in browsers will be signed out.</p>}
      <ErrorNotice error={action.error} />
      <StatusNotice message={action.done} />
      <form class="stack" onSubmit={save}>
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onValue={setCurrentPassword}
          error={errors.currentPassword}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={newPassword}
          onValue={setNewPassword}
          error={errors.newPassword}
          hint="At least 8 characters."
        />
        <TextField
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onValue={setRepeat}
          error={mismatch ? 'The two new passwords differ.' : undefined}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy || !currentPassword || !newPassword}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
