// Sign-in and registration forms, also used by the "session expired" dialog.
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { auth } from '../../api/endpoints';
import type { User } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { TextField } from '../../components/fields';
import { useCountdown } from '../../components/hooks';
import { fieldErrors } from '../../lib/error-messages';
import { formatWait } from '../../lib/format';

interface Props {
  mode: 'signin' | 'register';
  onSignedIn(user: User): void;
  /** Pre-filled (and kept) when the session expired. */
  email?: string;
  /** From an invite link: sent with the registration. */
  inviteToken?: string;
}

export function AuthForm({ mode, onSignedIn, email: initialEmail = '', inviteToken }: Props) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const waitLeft = useCountdown(error instanceof ApiError && error.status === 429 ? error.retryAfterSeconds : undefined);
  const errors = fieldErrors(error);
  const registering = mode === 'register';

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = registering
        ? await auth.register({ email, password, ...(name.trim() ? { name: name.trim() } : {}), ...(inviteToken ? { inviteToken } : {}) })
        : await auth.login({ email, password });
      setPassword('');
      onSignedIn(user);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const label = registering ? 'Create account' : 'Sign in';
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ErrorNotice error={error} context={registering ? 'Could not create the account.' : 'Could not sign in.'} />
      {registering && <TextField label="Name (optional)" autoComplete="name" value={name} onValue={setName} error={errors.name} />}
      <TextField
        label="Email"
        type="email"
        autoComplete={registering ? 'email' : 'username'}
        required
        value={email}
        onValue={setEmail}
        error={errors.email}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete={registering ? 'new-password' : 'current-password'}
        autofocus={initialEmail !== ''}
        required
        minLength={registering ? 8 : undefined}
        value={password}
        onValue={setPassword}
        error={errors.password}
        hint={registering ? 'At least 8 characters.' : undefined}
      />
      <button type="submit" class="primary" disabled={busy || waitLeft > 0}>
        {waitLeft > 0 ? `${label} (wait ${formatWait(waitLeft)})` : busy ? 'Please wait…' : label}
      </button>
    </form>
  );
}
