// A small history-API router: the server answers every client path with the
// page, so these URLs survive a reload and can be bookmarked.
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();
let navigatedInApp = false;

function notify(): void {
  navigatedInApp = true;
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', notify);

/**
 * Whether the user has moved within the app since the page loaded: then a new
 * screen takes focus. On the first load focus stays where the browser puts
 * it, so the first Tab reaches the skip link.
 */
export function hasNavigatedInApp(): boolean {
  return navigatedInApp;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  navigatedInApp = true;
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  notify();
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return path;
}

export type Route =
  | { name: 'chat'; threadId?: string }
  | { name: 'assistants' }
  | { name: 'assistant'; assistantId: string | 'new' }
  | { name: 'settings' }
  | { name: 'usage' }
  | { name: 'register' }
  | { name: 'signin' }
  | { name: 'admin'; section: AdminSection; userId?: string }
  | { name: 'shared'; token: string }
  | { name: 'not-found' };

export type AdminSection = 'users' | 'signup' | 'audit' | 'budgets';
const ADMIN_SECTIONS: readonly string[] = ['users', 'signup', 'audit', 'budgets'];

function matchAdmin(parts: string[]): Route {
  const [, section, userId] = parts;
  if (parts.length === 1) return { name: 'admin', section: 'users' };
  if (parts.length === 2 && ADMIN_SECTIONS.includes(section)) return { name: 'admin', section: section as AdminSection };
  if (parts.length === 3 && section === 'users' && userId) return { name: 'admin', section: 'users', userId };
  return { name: 'not-found' };
}

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'chat' };
  const [first, second] = parts;
  if (first === 'threads' && second && parts.length === 2) return { name: 'chat', threadId: second };
  if (first === 'admin') return matchAdmin(parts);
  if (first === 'shared' && second && parts.length === 2) return { name: 'shared', token: second };
  if (first === 'assistants' && parts.length === 1) return { name: 'assistants' };
  if (first === 'assistants' && second && parts.length === 2) return { name: 'assistant', assistantId: second };
  if (parts.length === 1 && (first === 'settings' || first === 'usage' || first === 'register' || first === 'signin')) {
    return { name: first };
  }
  return { name: 'not-found' };
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

/** An ordinary link (works with middle click, copy address) that navigates without reloading. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  return (
    <a
      href={href}
      {...rest}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    />
  );
}
