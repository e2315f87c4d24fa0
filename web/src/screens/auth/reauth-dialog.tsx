import type { User } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { AuthForm } from './auth-form';

/**
 * Shown over the current screen when the session ends: everything on the
 * screen (a half-written message, an open form) stays as it was.
 */
export function ReauthDialog({ email, onSignedIn }: { email: string; onSignedIn(user: User): void }) {
  return (
    <Dialog open title="Your session has ended" onClose={() => undefined} required>
      <p>Sign in again to continue. What you typed is kept.</p>
      <AuthForm mode="signin" email={email} onSignedIn={onSignedIn} />
    </Dialog>
  );
}
