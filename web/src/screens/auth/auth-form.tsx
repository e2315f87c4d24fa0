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
import { auth as text } from '../../strings/auth';
import { common } from '../../strings/common';
import { format } from '../../strings/index';

const FORM_FIELDS = ['email', 'password', 'name'] as const;

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

  const label = registering ? text.createAccount : text.signIn;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ErrorNotice error={error} context={registering ? text.couldNotCreate : text.couldNotSignIn} fields={FORM_FIELDS} />
      {registering && <TextField label={text.nameOptional} autoComplete="name" value={name} onValue={setName} error={errors.name} />}
      <TextField
        label={text.email}
        type="email"
        autoComplete={registering ? 'email' : 'username'}
        required
        value={email}
        onValue={setEmail}
        error={errors.email}
      />
      <TextField
        label={text.password}
        type="password"
        autoComplete={registering ? 'new-password' : 'current-password'}
        autofocus={initialEmail !== ''}
        required
        minLength={registering ? 8 : undefined}
        value={password}
        onValue={setPassword}
        error={errors.password}
        hint={registering ? text.passwordHint : undefined}
      />
      <button type="submit" class="primary" disabled={busy || waitLeft > 0}>
        {waitLeft > 0 ? format(text.waitLabel, { label, wait: formatWait(waitLeft) }) : busy ? common.pleaseWait : label}
      </button>
    </form>
  );
}
