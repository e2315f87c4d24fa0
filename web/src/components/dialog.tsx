// A modal dialog on the native <dialog>: it traps focus, closes on Escape and
// gives focus back to what opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef } from 'preact/hooks';
import { common } from '../strings/common';

interface DialogProps {
  open: boolean;
  title: string;
  onClose(): void;
  children: ComponentChildren;
  /** Escape does nothing (e.g. the sign-in that must happen before going on). */
  required?: boolean;
}

export function Dialog({ open, title, onClose, children, required }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  // In the render that changes `open`, not after the next frame: a key pressed right after Escape closed
  // the dialog must reach the page, not a modal that is still open with nothing in it.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement as HTMLElement | null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      // Closed first: while the modal is open, the rest of the page cannot take focus.
      dialog.close();
      opener.current?.focus();
      opener.current = null;
    }
  }, [open]);
  // Removed while open (e.g. the sign-in dialog once signed in): focus goes back too.
  useEffect(() => () => opener.current?.focus(), []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!required) onClose();
      }}
    >
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

interface ConfirmProps {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** "Are you sure?" with the safe choice focused first. */
export function ConfirmDialog({ open, title, children, confirmLabel, busy, danger, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <div class="dialog-body">{children}</div>
      <div class="actions">
        <button type="button" autofocus onClick={onCancel}>
          {common.cancel}
        </button>
        <button type="button" class={danger ? 'danger' : 'primary'} disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
