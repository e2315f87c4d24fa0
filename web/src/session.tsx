// Who is signed in, shared by every screen.
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from './api/types';

export interface SessionState {
  user: User;
  /** Re-reads the user (API key hint, default assistant) after a change. */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
  /** After account deletion: forget the user without calling the server. */
  forget(): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ value, children }: { value: SessionState; children: ComponentChildren }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a signed-in SessionProvider');
  return session;
}
