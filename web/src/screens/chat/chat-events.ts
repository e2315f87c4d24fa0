// A reply as the conversation follows it: its phases, and what each event of
// its stream changes on the screen.
import type { StateUpdater } from 'preact/hooks';
import { ApiError } from '../../api/http';
import type { ChatEvent, Message } from '../../api/types';
import { isPending } from './draft-message';

export type ChatPhase = 'idle' | 'sending' | 'streaming' | 'stopping';

/** The reply being written, shown as it grows. */
export interface LiveReply {
  text: string;
  /** A stored reply it takes the place of meanwhile (the one regenerated, or the stored part of a resumed one). */
  replacesId?: string;
}

export interface ChatCallbacks {
  /** A new conversation got its id (from the first event). */
  onThreadCreated(threadId: string): void;
  onTitle(title: string): void;
  /** A turn ended (whatever the outcome): totals and the thread list may have changed. */
  onTurnEnded(): void;
}

/** Per-turn choices (the server's TurnOptionsDto). */
export interface TurnOptions {
  model?: string;
}

export interface BudgetWarning {
  usedPercent: number;
  resetsAt: string;
}

export interface ChatEventTargets {
  setMessages(update: StateUpdater<Message[]>): void;
  setLive(update: StateUpdater<LiveReply | null>): void;
  setError(error: unknown): void;
  setBudgetWarning(warning: BudgetWarning): void;
  /** Text or the stored message arrived: the reply is being written. */
  onStreaming(): void;
  /** The thread the turn belongs to (a new conversation learns its id here). */
  onThreadKnown(threadId: string): void;
  onTitle(title: string): void;
}

/**
 * Whether `shown` gives way to the completed reply: it is that reply, or another
 * version of it (a regenerated reply's predecessor), which leaves the active branch.
 */
function sameTurn(shown: Message, completed: Message): boolean {
  return shown.id === completed.id || (completed.parentId !== null && shown.parentId === completed.parentId);
}

export function applyChatEvent(event: ChatEvent, to: ChatEventTargets): void {
  switch (event.type) {
    case 'message_created':
      to.setMessages((current) => [...current.filter((message) => !isPending(message)), event.message]);
      to.onThreadKnown(event.message.threadId);
      to.onStreaming();
      break;
    case 'token':
      to.onStreaming();
      to.setLive((current) => ({ ...current, text: (current?.text ?? '') + event.delta }));
      break;
    case 'message_completed':
      to.setLive(null);
      to.setMessages((current) => [...current.filter((message) => !sameTurn(message, event.message)), event.message]);
      break;
    case 'title':
      to.onTitle(event.title);
      break;
    case 'budget_warning':
      to.setBudgetWarning({ usedPercent: event.usedPercent, resetsAt: event.resetsAt });
      break;
    case 'error':
      to.setError(new ApiError(0, event.code, event.error));
      break;
    case 'done':
      break;
  }
}
