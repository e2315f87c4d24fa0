// The button that shows and hides the conversation list, first in the chat's header.
import type { Ref } from 'preact';
import { strings } from '../../strings';
import { SIDEBAR_ID } from './thread-sidebar';

export function SidebarToggle({ open, buttonRef, onToggle }: { open: boolean; buttonRef: Ref<HTMLButtonElement>; onToggle(): void }) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class="icon-button sidebar-toggle"
      aria-expanded={open}
      aria-controls={SIDEBAR_ID}
      aria-label={strings.threads.sidebarLabel}
      title={open ? strings.threads.closeSidebar : strings.threads.openSidebar}
      onClick={onToggle}
    >
      <span aria-hidden="true">☰</span>
    </button>
  );
}
