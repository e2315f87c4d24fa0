import type { User } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { auth as text } from '../../strings/auth';
import { AuthForm } from './auth-form';

/**
 * Shown over the current screen when the session ends: everything on the
 * screen (a half-written message, an open form) stays as it was.
 */
export function ReauthDialog({ email, onSignedIn }: { email: string; onSignedIn(user: User): void }) {
  return (
    <Dialog open title={text.sessionEnded} onClose={() => undefined} required>
      <p>{text.signInAgain}</p>
      <AuthForm mode="signin" email={email} onSignedIn={onSignedIn} />
    </Dialog>
  );
}
