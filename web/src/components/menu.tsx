// A menu button (WAI-ARIA menu pattern): the button opens a list of actions;
// arrow keys, Home and End move between them, Escape and Tab close it, and
// focus goes back to the button when an action is chosen or the menu closes.
import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface MenuItem {
  label: string;
  /** An action; or a link with `href` (with `download`, a download). */
  onSelect?(): void;
  href?: string;
  download?: boolean;
  danger?: boolean;
  disabled?: boolean;
}

interface Props {
  /** The button's accessible name. */
  label: string;
  /** What the button shows (defaults to the label). */
  children?: ComponentChildren;
  items: MenuItem[];
}

export function MenuButton({ label, children, items }: Props) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const startAt = useRef<'first' | 'last'>('first');
  const menuId = useId();

  const entries = () => Array.from(list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  // Before the next key press can arrive: focus is on the menu as soon as it shows.
  useLayoutEffect(() => {
    if (!open) return;
    const found = entries();
    (startAt.current === 'last' ? found.at(-1) : found[0])?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!list.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const openAt = (where: 'first' | 'last') => {
    startAt.current = where;
    setOpen(true);
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const found = entries();
    const index = found.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => found[(to + found.length) % found.length]?.focus();
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(found.length - 1);
    else if (event.key === 'Escape') close(true);
    else if (event.key === 'Tab') return close(false);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  const choose = (item: MenuItem) => {
    close(true);
    item.onSelect?.();
  };

  return (
    <div class="menu">
      <button
        ref={button}
        type="button"
        class="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={children ? label : undefined}
        title={children ? label : undefined}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            openAt(event.key === 'ArrowUp' ? 'last' : 'first');
          } else if (event.key === 'Escape' && open) {
            event.preventDefault();
            close(false);
          }
        }}
      >
        {children ?? label}
      </button>
      {open && (
        <ul ref={list} id={menuId} role="menu" aria-label={label} class="menu-list" onKeyDown={onMenuKey}>
          {items.map((item) => (
            <li key={item.label} role="none">
              {item.href ? (
                <a
                  role="menuitem"
                  tabIndex={-1}
                  href={item.href}
                  download={item.download}
                  class={item.danger ? 'danger' : undefined}
                  onClick={() => close(true)}
                >
                  {item.label}
                </a>
              ) : (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  class={item.danger ? 'danger' : undefined}
                  aria-disabled={item.disabled || undefined}
                  onClick={() => !item.disabled && choose(item)}
                >
                  {item.label}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
