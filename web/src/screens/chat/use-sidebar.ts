// Whether the conversation list shows: beside the chat on a wide screen
// (shown until hidden), as a drawer over it on a narrow one (hidden until
// opened). Opening the drawer moves focus into it; closing it with Escape,
// the overlay or the toggle gives focus back to the toggle.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/** As in styles/small-screens.css. */
const NARROW_SCREEN = '(max-width: 760px)';

export type FocusOnOpen = 'first' | 'search';

export interface SidebarState {
  open: boolean;
  drawer: boolean;
  sidebarRef: { current: HTMLElement | null };
  toggleRef: { current: HTMLButtonElement | null };
  /** Shows the list and puts focus on its first control or its search box. */
  show(focus: FocusOnOpen): void;
  /** Hides it; `refocus`: focus goes back to the toggle. */
  hide(refocus: boolean): void;
  toggle(): void;
}

export function useSidebar(): SidebarState {
  const [narrow] = useState(() => window.matchMedia(NARROW_SCREEN));
  const [drawer, setDrawer] = useState(narrow.matches);
  const [open, setOpen] = useState(!narrow.matches);
  const sidebarRef = useRef<HTMLElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const focusOnOpen = useRef<FocusOnOpen | null>(null);
  const refocusOnClose = useRef(false);

  useEffect(() => {
    const change = () => {
      setDrawer(narrow.matches);
      setOpen(!narrow.matches);
    };
    narrow.addEventListener('change', change);
    return () => narrow.removeEventListener('change', change);
  }, [narrow]);

  const focusTarget = (focus: FocusOnOpen) =>
    sidebarRef.current?.querySelector<HTMLElement>(focus === 'search' ? 'input[type="search"]' : 'a[href], button, input, select');

  // As soon as the list shows or hides, so that the next key press goes where focus went.
  useLayoutEffect(() => {
    if (open && focusOnOpen.current) focusTarget(focusOnOpen.current)?.focus();
    if (!open && refocusOnClose.current) toggleRef.current?.focus();
    focusOnOpen.current = null;
    refocusOnClose.current = false;
  }, [open]);

  const show = (focus: FocusOnOpen) => {
    if (open) {
      focusTarget(focus)?.focus();
    } else {
      focusOnOpen.current = focus;
      setOpen(true);
    }
  };
  const hide = (refocus: boolean) => {
    refocusOnClose.current = refocus;
    setOpen(false);
  };
  return {
    open,
    drawer,
    sidebarRef,
    toggleRef,
    show,
    hide,
    toggle: () => (open ? hide(true) : show(drawer ? 'first' : 'search')),
  };
}
