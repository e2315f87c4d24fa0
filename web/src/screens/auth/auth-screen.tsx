import type { User } from '../../api/types';
import { ScreenHeading } from '../../components/screen-heading';
import { Link } from '../../router';
import { AuthForm } from './auth-form';

/** The token of an invite link (/register?invite=…), if the page was opened with one. */
function inviteTokenOfPage(): string | undefined {
  const token = new URLSearchParams(window.location.search).get('invite')?.trim();
  return token ? token : undefined;
}

export function AuthScreen({ mode, onSignedIn }: { mode: 'signin' | 'register'; onSignedIn(user: User): void }) {
  const registering = mode === 'register';
  const inviteToken = registering ? inviteTokenOfPage() : undefined;
  return (
    <main id="main" class="auth-screen">
      <div class="auth-card">
        <p class="brand">Assistants</p>
        <ScreenHeading focusKey={mode}>{registering ? 'Create your account' : 'Sign in'}</ScreenHeading>
        {inviteToken && (
          <p class="notice" data-testid="invite-notice">
            You were invited: your account is created with this invite.
          </p>
        )}
        <AuthForm key={mode} mode={mode} onSignedIn={onSignedIn} inviteToken={inviteToken} />
        <p class="auth-switch">
          {registering ? (
            <>
              Already have an account? <Link href="/signin">Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link href="/register">Create an account</Link>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
