// Opening a search result: once its thread is on screen (its header, which
// takes the focus of a newly opened conversation, and its messages, earlier
// pages loaded as needed), the message is scrolled to, focused and marked for
// a moment. Messages carry `data-message-id` (see message-view.tsx).
import { useEffect, useState } from 'preact/hooks';
import type { Message } from '../../api/types';

const HIGHLIGHT_MS = 4_000;

export interface MessageTarget {
  threadId: string;
  messageId: string;
}

interface ChatPages {
  messages: Message[];
  loading: boolean;
  hasEarlier: boolean;
  loadEarlier(): Promise<void>;
}

/** Scrolls the list alone (not the page) so that the message is in its middle, or its top when taller. */
function centerIn(list: HTMLElement, element: HTMLElement): void {
  const listBox = list.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  const margin = Math.max(0, (listBox.height - box.height) / 2);
  list.scrollTop += box.top - listBox.top - margin;
}

export function useMessageTarget(
  chat: ChatPages,
  shownThreadId: string | undefined,
  scroller: { current: HTMLElement | null },
  onFound: () => void,
): (target: MessageTarget) => void {
  const [target, setTarget] = useState<MessageTarget | null>(null);
  useEffect(() => {
    // Wait until the header and the messages on screen are the target thread's.
    if (!target || shownThreadId !== target.threadId || chat.loading || chat.messages[0]?.threadId !== target.threadId) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(target.messageId)}"]`);
    if (element) {
      onFound();
      centerIn(scroller.current!, element);
      element.tabIndex = -1;
      element.focus({ preventScroll: true });
      element.dataset.highlighted = 'true';
      window.setTimeout(() => delete element.dataset.highlighted, HIGHLIGHT_MS);
      setTarget(null);
    } else if (chat.hasEarlier) {
      void chat.loadEarlier();
    } else {
      // Not on the conversation's active branch: the thread alone opens.
      setTarget(null);
    }
  }, [target, shownThreadId, chat.messages, chat.loading, chat.hasEarlier]);
  return setTarget;
}
