// What the chat's shell adds around the conversation: the conversation list's
// state, the keyboard shortcuts, and opening a message found by the search.
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate } from '../../router';
import { focusMessageBox } from './message-box';
import type { useChat } from './use-chat';
import { useMessageTarget } from './use-message-target';
import { useShortcuts } from './use-shortcuts';
import { useSidebar } from './use-sidebar';

interface Options {
  threadId: string | undefined;
  /** The conversation whose header is on screen (loaded after the route changed). */
  shownThreadId: string | undefined;
  chat: ReturnType<typeof useChat>;
  scroller: { current: HTMLElement | null };
  /** Set to false once a found message is shown, so that the view stays on it. */
  stickToBottom: { current: boolean };
}

export function useChatShell({ threadId, shownThreadId, chat, scroller, stickToBottom }: Options) {
  const sidebar = useSidebar();
  const [showShortcuts, setShowShortcuts] = useState(false);
  const openMessage = useMessageTarget(chat, shownThreadId, scroller, () => (stickToBottom.current = false));
  // Ctrl+Shift+O: the message box takes focus once the new conversation shows (after its heading did).
  const focusBoxOnOpen = useRef(false);
  // On a narrow screen, the drawer closes once a conversation is chosen (the new screen takes focus).
  useEffect(() => {
    if (sidebar.drawer) sidebar.hide(false);
    if (focusBoxOnOpen.current) focusMessageBox();
    focusBoxOnOpen.current = false;
  }, [threadId]);

  useShortcuts({
    newChat: () => {
      focusBoxOnOpen.current = threadId !== undefined;
      navigate('/');
      focusMessageBox();
    },
    focusMessageBox: () => focusMessageBox(),
    search: () => sidebar.show('search'),
    toggleSidebar: sidebar.toggle,
    escape: () => {
      if (sidebar.drawer && sidebar.open) sidebar.hide(true);
      else if (chat.phase === 'sending' || chat.phase === 'streaming') void chat.stop();
      else return false;
      return true;
    },
    help: () => setShowShortcuts(true),
  });

  return {
    sidebar,
    showShortcuts,
    closeShortcuts: () => setShowShortcuts(false),
    /** A search result was chosen: its thread opens (the route changes), at its message when it has one. */
    onPick: (pickedThread: string, messageId: string | null) => {
      if (sidebar.drawer) sidebar.hide(false);
      if (messageId) openMessage({ threadId: pickedThread, messageId });
    },
  };
}
