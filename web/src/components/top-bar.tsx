// The app's top bar: the brand, the sections and the account. On a phone it is
// one row: the sections and Sign out fold into a disclosure behind a menu
// button (aria-expanded; Escape, a click outside or following a link closes
// it, and Escape brings focus back to the button).
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { Link, usePath, type Route } from '../router';
import { strings } from '../strings';

export interface NavItem {
  href: string;
  label: string;
  active(route: Route): boolean;
}

interface Props {
  nav: NavItem[];
  route: Route;
  email: string;
  onSignOut(): void;
}

export function TopBar({ nav, route, email, onSignOut }: Props) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const path = usePath();

  useEffect(() => setOpen(false), [path]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <header class="top-bar">
      <Link href="/" class="brand">
        {strings.common.appName}
      </Link>
      <button
        ref={button}
        type="button"
        class="top-bar-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((shown) => !shown)}
      >
        <span aria-hidden="true">☰</span> {strings.common.menu}
      </button>
      <div ref={panel} id={panelId} class={open ? 'top-bar-menu open' : 'top-bar-menu'}>
        {nav.length > 0 && (
          <nav aria-label={strings.common.mainNav}>
            <ul>
              {nav.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={item.active(route) ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="account">
          <span class="account-email" title={strings.common.signedInAs}>
            {email}
          </span>
          <button type="button" onClick={onSignOut}>
            {strings.common.signOut}
          </button>
        </div>
      </div>
    </header>
  );
}
