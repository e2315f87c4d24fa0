import { ScreenHeading } from '../../components/screen-heading';
import { useSession } from '../../session';
import { auth as text } from '../../strings/auth';
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
      <ScreenHeading>{text.chooseNewPassword}</ScreenHeading>
      <div class="notice notice-warn" role="status" data-testid="password-change-banner">
        <p>
          <strong>{text.adminAsked}</strong> {text.restOpens}
        </p>
      </div>
      <PasswordSection
        intro={<p>{text.passwordChangeIntro}</p>}
        onChanged={session.refresh}
      />
    </main>
  );
}
