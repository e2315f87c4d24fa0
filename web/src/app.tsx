// The shell: finds out who is signed in, shows sign-in or the app, and brings
// sign-in back over the current screen when the session ends.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { auth } from './api/endpoints';
import { ApiError, onSessionExpired } from './api/http';
import type { User } from './api/types';
import { ErrorNotice } from './components/error-notice';
import { TopBar, type NavItem } from './components/top-bar';
import { clearDrafts } from './lib/drafts';
import { Link, matchRoute, navigate, usePath, type Route } from './router';
import { AssistantEditorScreen } from './screens/assistants/assistant-editor-screen';
import { AssistantsScreen } from './screens/assistants/assistants-screen';
import { AdminEntry } from './screens/admin/admin-entry';
import { AuthScreen } from './screens/auth/auth-screen';
import { PasswordChangeScreen } from './screens/auth/password-change-screen';
import { ReauthDialog } from './screens/auth/reauth-dialog';
import { ChatScreen } from './screens/chat/chat-screen';
import { focusMessageBox } from './screens/chat/message-box';
import { SharedScreen } from './screens/shared/shared-screen';
import { strings } from './strings';
import { SettingsScreen } from './screens/settings/settings-screen';
import { UsageScreen } from './screens/usage/usage-screen';
import { SessionProvider, type SessionState } from './session';

const NAV: Array<NavItem & { adminOnly?: boolean }> = [
  { href: '/', label: strings.common.navChat, active: (route) => route.name === 'chat' },
  { href: '/assistants', label: strings.common.navAssistants, active: (route) => route.name === 'assistants' || route.name === 'assistant' },
  { href: '/usage', label: strings.common.navUsage, active: (route) => route.name === 'usage' },
  { href: '/settings', label: strings.common.navSettings, active: (route) => route.name === 'settings' },
  { href: '/admin', label: strings.common.navAdmin, active: (route) => route.name === 'admin', adminOnly: true },
];

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(null);
  const [expired, setExpired] = useState(false);
  const path = usePath();
  const route = matchRoute(path);

  const loadUser = useCallback(async () => {
    try {
      setUser(await auth.currentUser());
      setBootError(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setUser(null);
      else setBootError(error);
    }
  }, []);

  useEffect(() => {
    void loadUser();
  }, [loadUser]);

  useEffect(() => {
    onSessionExpired(() => setExpired(true));
    return () => onSessionExpired(undefined);
  }, []);

  const signedIn = (next: User) => {
    if (user && user.id !== next.id) {
      // Someone else signed in: nothing of the previous user's may stay on screen.
      clearDrafts();
      navigate('/', { replace: true });
    } else {
      // Stay on the screen that asked for sign-in (its heading then takes focus).
      navigate(route.name === 'signin' || route.name === 'register' ? '/' : path, { replace: true });
    }
    setUser(next);
    setExpired(false);
  };

  const session = useMemo<SessionState | null>(() => {
    if (!user) return null;
    return {
      user,
      refresh: loadUser,
      async signOut() {
        try {
          await auth.logout();
        } finally {
          clearDrafts();
          setUser(null);
          navigate('/signin');
        }
      },
      forget() {
        clearDrafts();
        setUser(null);
        navigate('/register');
      },
    };
  }, [user, loadUser]);

  // A shared conversation reads the same signed in or not, without the app around it.
  if (route.name === 'shared') return <SharedScreen token={route.token} />;

  if (user === undefined) {
    return (
      <main id="main" class="boot">
        {bootError ? (
          <>
            <ErrorNotice error={bootError} context={strings.common.appFailed} />
            <button type="button" onClick={() => void loadUser()}>
              {strings.common.tryAgain}
            </button>
          </>
        ) : (
          <p aria-live="polite">{strings.common.loading}</p>
        )}
      </main>
    );
  }

  if (!session) {
    return <AuthScreen mode={route.name === 'register' ? 'register' : 'signin'} onSignedIn={signedIn} />;
  }

  const mustChangePassword = session.user.mustChangePassword;
  const isAdmin = session.user.role === 'admin';
  const nav = mustChangePassword ? [] : NAV.filter((item) => !item.adminOnly || isAdmin);
  return (
    <SessionProvider value={session}>
      {route.name === 'chat' && !mustChangePassword && (
        <a
          class="skip-link"
          href="#main"
          onClick={(event) => {
            if (focusMessageBox()) event.preventDefault();
          }}
        >
          {strings.chat.skipToMessageBox}
        </a>
      )}
      <a class="skip-link" href="#main">
        {strings.common.skipToContent}
      </a>
      <TopBar nav={nav} route={route} email={session.user.email} onSignOut={() => void session.signOut()} />
      {mustChangePassword ? <PasswordChangeScreen /> : <Screen route={route} isAdmin={isAdmin} />}
      {expired && <ReauthDialog email={session.user.email} onSignedIn={signedIn} />}
    </SessionProvider>
  );
}

function Screen({ route, isAdmin }: { route: Route; isAdmin: boolean }) {
  switch (route.name) {
    case 'chat':
      return <ChatScreen threadId={route.threadId} />;
    case 'assistants':
      return <AssistantsScreen />;
    case 'assistant':
      return <AssistantEditorScreen key={route.assistantId} assistantId={route.assistantId} />;
    case 'settings':
      return <SettingsScreen />;
    case 'usage':
      return <UsageScreen />;
    case 'admin':
      // For anyone else the address does not exist, as the server's /api/admin/* routes do not.
      return isAdmin ? <AdminEntry section={route.section} userId={route.userId} /> : <NotFound />;
    case 'signin':
    case 'register':
      return <Redirect to="/" />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  return (
    <main id="main" class="screen">
      <h1>{strings.common.pageNotFound}</h1>
      <p>
        <Link href="/">{strings.common.goToChat}</Link>
      </p>
    </main>
  );
}

/** Signed in already: the sign-in and register addresses lead to the app. */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
