// Changing the password: on the settings screen, and on its own when an
// administrator requires a new password before anything else.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { auth } from '../../api/endpoints';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { TextField } from '../../components/fields';
import { useAction } from '../../components/use-action';
import { fieldErrors } from '../../lib/error-messages';
import { settings as text } from '../../strings/settings';

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
    <section class="card" id="password" aria-labelledby="password-heading">
      <h2 id="password-heading">{text.passwordHeading}</h2>
      {intro ?? <p>{text.passwordIntro}</p>}
      <ErrorNotice error={action.error} fields={['currentPassword', 'newPassword']} />
      <StatusNotice message={action.done} />
      <form class="stack" onSubmit={save}>
        <TextField
          label={text.currentPassword}
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onValue={setCurrentPassword}
          error={errors.currentPassword}
        />
        <TextField
          label={text.newPassword}
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={newPassword}
          onValue={setNewPassword}
          error={errors.newPassword}
          hint={text.newPasswordHint}
        />
        <TextField
          label={text.repeatPassword}
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onValue={setRepeat}
          error={mismatch ? text.passwordsDiffer : undefined}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy || !currentPassword || !newPassword}>
            {text.changePassword}
          </button>
        </div>
      </form>
    </section>
  );
}
