import { ScreenHeading } from '../../components/screen-heading';
import { useSession } from '../../session';
import { PasswordSection } from '../settings/password-section';

/**
 * Shown instead of every screen while an administrator requires a new
 * password: until it changes, the server refuses everything else
 * (password_change_required).
 */
export function PasswordChangeScreen() {
  const session = useSession();
  return (
    <main id="main" class="screen narrow">
      <ScreenHeading>Choose a new password</ScreenHeading>
      <div class="notice notice-warn" role="status" data-testid="password-change-banner">
        <p>
          <strong>An administrator asked you to choose a new password.</strong> The rest of the application opens once
          you have changed it.
        </p>
      </div>
      <PasswordSection
        intro={<p>Enter the password you signed in with, then a new one. Your other signed-in browsers will be signed out.</p>}
        onChanged={session.refresh}
      />
    </main>
  );
}
