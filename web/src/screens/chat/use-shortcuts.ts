// The chat's keyboard shortcuts (listed in strings.shortcuts): Ctrl (or ⌘)
// with Shift+O, K, Shift+S and /, Shift+Esc, Esc, and ? outside text fields.
// None acts while a dialog is open; a key another control handled is left alone.
import { useEffect, useRef } from 'preact/hooks';

export interface ShortcutActions {
  newChat(): void;
  focusMessageBox(): void;
  search(): void;
  toggleSidebar(): void;
  /** Escape with nothing else to close: stops a reply being written. Returns whether it did something. */
  escape(): boolean;
  help(): void;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The action for a key press, if it is a shortcut. */
function actionFor(event: KeyboardEvent, actions: ShortcutActions): (() => unknown) | undefined {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (mod && event.shiftKey && key === 'o') return actions.newChat;
  if (mod && event.shiftKey && key === 's') return actions.toggleSidebar;
  if (mod && !event.shiftKey && key === 'k') return actions.search;
  if (mod && key === '/') return actions.help;
  if (!mod && !event.altKey && key === '?' && !isTyping(event.target)) return actions.help;
  if (event.shiftKey && key === 'Escape') return actions.focusMessageBox;
  if (!mod && key === 'Escape') return actions.escape;
  return undefined;
}

export function useShortcuts(actions: ShortcutActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || document.querySelector('dialog[open]')) return;
      const action = actionFor(event, latest.current);
      if (!action) return;
      // Escape is only taken when it did something (the browser keeps it otherwise).
      if (action === latest.current.escape) {
        if (latest.current.escape()) event.preventDefault();
        return;
      }
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
