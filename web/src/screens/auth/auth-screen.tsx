import type { User } from '../../api/types';
import { ScreenHeading } from '../../components/screen-heading';
import { Link } from '../../router';
import { auth as text } from '../../strings/auth';
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
        <p class="brand">{text.brand}</p>
        <ScreenHeading focusKey={mode}>{registering ? text.createYourAccount : text.signIn}</ScreenHeading>
        {inviteToken && (
          <p class="notice" data-testid="invite-notice">
            {text.invited}
          </p>
        )}
        <AuthForm key={mode} mode={mode} onSignedIn={onSignedIn} inviteToken={inviteToken} />
        <p class="auth-switch">
          {registering ? (
            <>
              {text.haveAccount} <Link href="/signin">{text.signIn}</Link>
            </>
          ) : (
            <>
              {text.newHere} <Link href="/register">{text.createAnAccount}</Link>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
