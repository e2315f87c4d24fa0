import type { User } from '../../api/types';
import { ScreenHeading } from '../../components/screen-heading';
import { Link } from '../../router';
import { AuthForm } from './auth-form';

export function AuthScreen({ mode, onSignedIn }: { mode: 'signin' | 'register'; onSignedIn(user: User): void }) {
  const registering = mode === 'register';
  return (
    <main id="main" class="auth-screen">
      <div class="auth-card">
        <p class="brand">Assistants</p>
        <ScreenHeading focusKey={mode}>{registering ? 'Create your account' : 'Sign in'}</ScreenHeading>
        <AuthForm key={mode} mode={mode} onSignedIn={onSignedIn} />
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
