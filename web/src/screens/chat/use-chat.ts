// One conversation: its messages (the active branch), the reply streaming in,
// reattaching to a reply that runs on (after a reload, in a second tab, on
// coming back to the thread), Stop, Regenerate and Edit.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { charCount } from '../../../../src/chat/reply-offsets.js';
import { attachChat, streamChat, type OnChatEvent } from '../../api/chat-stream';
import { conversation } from '../../api/conversation';
import { CHAT_PATH, threads } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import type { ChatEvent, Message, StoredFile } from '../../api/types';
import { applyChatEvent, type BudgetWarning, type ChatCallbacks, type ChatPhase, type LiveReply, type TurnOptions } from './chat-events';
import { isPending, pendingMessage } from './draft-message';

const MESSAGE_PAGE = 100;
/** After Stop, how long the server gets to end the stream before the client hangs up. */
const STOP_GRACE_MS = 5000;

export type { ChatCallbacks, ChatPhase, LiveReply, TurnOptions } from './chat-events';

export function messageText(message: Pick<Message, 'content'>): string {
  return message.content;
}

const isAbort = (caught: unknown) => caught instanceof DOMException && caught.name === 'AbortError';

export function useChat(threadId: string | undefined, callbacks: ChatCallbacks) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [files, setFiles] = useState<Map<string, StoredFile>>(new Map());
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  /** The first page was full: older messages may exist. */
  const [hasEarlier, setHasEarlier] = useState(false);
  /** Earlier pages were opened: reloading the newest page must keep them, and leaves `hasEarlier` alone. */
  const earlierOpened = useRef(false);
  const [phase, setPhase] = useState<ChatPhase>('idle');
  const [live, setLive] = useState<LiveReply | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [budgetWarning, setBudgetWarning] = useState<BudgetWarning | null>(null);

  const callbacksRef = useRef(callbacks);
  callbacksRef.current = callbacks;
  /** The thread the current turn belongs to (known before the route catches up). */
  const turnThread = useRef<string | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);
  /** The last event id of the reply being followed: where a reattach replays from. */
  const lastEventId = useRef<string | undefined>(undefined);
  /** After Stop: hangs up if the server has not ended the stream in time. */
  const hangUpTimer = useRef<number | undefined>(undefined);
  const phaseRef = useRef<ChatPhase>('idle');
  const updatePhase = (next: ChatPhase) => {
    phaseRef.current = next;
    setPhase(next);
  };

  const handleEvent = (event: ChatEvent) =>
    applyChatEvent(event, {
      setMessages,
      setLive,
      setError,
      setBudgetWarning,
      onStreaming: () => (phaseRef.current === 'sending' || phaseRef.current === 'idle') && updatePhase('streaming'),
      onThreadKnown: (id) => {
        if (turnThread.current) return;
        turnThread.current = id;
        callbacksRef.current.onThreadCreated(id);
      },
      onTitle: (title) => callbacksRef.current.onTitle(title),
    });

  const onEvent: OnChatEvent = (event, id) => {
    if (id !== undefined) lastEventId.current = id;
    handleEvent(event);
  };

  /**
   * Runs a stream to its end (a turn, or an attach to a running reply),
   * reattaching from the last event id when the connection breaks mid-reply.
   * `open` resolves false when there was nothing to follow. Without
   * `replyLive`, nothing shows until the first event.
   */
  const follow = async (open: (signal: AbortSignal) => Promise<boolean | void>, replyLive: LiveReply | null): Promise<void> => {
    const abort = new AbortController();
    controller.current = abort;
    setError(null);
    if (replyLive) setLive(replyLive);
    let ran = true;
    try {
      ran = (await open(abort.signal)) !== false;
    } catch (caught) {
      const id = turnThread.current;
      const broken = caught instanceof ApiError && caught.code === 'stream_interrupted';
      if (broken && id && lastEventId.current !== undefined && !abort.signal.aborted) {
        await attachChat(id, lastEventId.current, onEvent, abort.signal).catch((again: unknown) => isAbort(again) || setError(again));
      } else if (!isAbort(caught)) {
        setError(caught);
      }
    } finally {
      window.clearTimeout(hangUpTimer.current);
      if (controller.current === abort) {
        controller.current = null;
        lastEventId.current = undefined;
        setLive(null);
        setMessages((shown) => shown.filter((message) => !isPending(message)));
        updatePhase('idle');
        // The stored messages are the truth (statuses, usage, the active branch); the caller need not wait for them.
        const id = turnThread.current;
        if (id && ran) {
          void load(id, false);
          callbacksRef.current.onTurnEnded();
        }
      }
    }
  };

  /**
   * Attaches to a reply that may still be written in the thread (opened in
   * another tab, or before a reload): `stored` is the part already saved;
   * without it, the reply to the last message may have begun.
   */
  const resume = (id: string, stored: Message | undefined) => {
    if (phaseRef.current !== 'idle') return;
    if (stored) updatePhase('streaming');
    lastEventId.current = String(stored ? charCount(stored.content) : 0);
    void follow((signal) => attachChat(id, lastEventId.current!, onEvent, signal), stored ? { text: stored.content, replacesId: stored.id } : null);
  };

  /** Reads the newest page; with `resumeLive`, follows a reply that is still being written. */
  const load = useCallback(async (id: string, resumeLive: boolean) => {
    setLoading(true);
    try {
      const [loaded, threadFiles] = await Promise.all([
        threads.messages(id, { limit: MESSAGE_PAGE }),
        threads.files(id).catch(() => [] as StoredFile[]),
      ]);
      // Another conversation was opened meanwhile: these messages are not for the screen.
      if (turnThread.current !== id) return;
      // Keep the earlier pages the user opened; the newest page replaces the rest.
      if (earlierOpened.current) {
        const first = loaded[0]?.createdAt ?? '';
        setMessages((current) => [...current.filter((message) => !isPending(message) && message.createdAt < first), ...loaded]);
      } else {
        setMessages(loaded);
        setHasEarlier(loaded.length === MESSAGE_PAGE);
      }
      setFiles((known) => new Map([...known, ...threadFiles.map((file) => [file.id, file] as const)]));
      setLoadError(null);
      const last = loaded.at(-1);
      if (resumeLive && last?.role === 'assistant' && last.status === 'streaming') resume(id, last);
      else if (resumeLive && last?.role === 'user') resume(id, undefined);
    } catch (caught) {
      setLoadError(caught);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    // The route moving to the thread this turn just created is not a new conversation.
    if (threadId && threadId === turnThread.current && phaseRef.current !== 'idle') return;
    const leaving = controller.current;
    controller.current = null;
    leaving?.abort();
    turnThread.current = threadId;
    lastEventId.current = undefined;
    setError(null);
    setLive(null);
    updatePhase('idle');
    setMessages([]);
    setHasEarlier(false);
    earlierOpened.current = false;
    setLoadError(null);
    if (threadId) void load(threadId, true);
  }, [threadId, load]);

  const loadEarlier = async (): Promise<void> => {
    const id = turnThread.current;
    const first = messages[0];
    if (!id || !first) return;
    try {
      const older = await threads.messages(id, { limit: MESSAGE_PAGE, before: first.id });
      if (turnThread.current !== id) return;
      earlierOpened.current = true;
      setMessages((current) => [...older, ...current]);
      setHasEarlier(older.length === MESSAGE_PAGE);
    } catch (caught) {
      setLoadError(caught);
    }
  };

  /** Runs one streamed turn; resolves true when the server took the request. */
  const runTurn = async (path: string, body: Record<string, unknown>, replyLive: LiveReply): Promise<boolean> => {
    let accepted = false;
    await follow(
      (signal) =>
        streamChat(
          path,
          body,
          (event, id) => {
            accepted = true;
            onEvent(event, id);
          },
          signal,
        ),
      replyLive,
    );
    return accepted;
  };

  const withOptions = (body: Record<string, unknown>, options: TurnOptions) => (options.model ? { ...body, model: options.model } : body);

  const send = async (text: string, fileIds: string[], assistantId: string | undefined, options: TurnOptions = {}): Promise<boolean> => {
    if (phaseRef.current !== 'idle') return false;
    updatePhase('sending');
    setMessages((current) => [...current, pendingMessage(turnThread.current ?? '', text, fileIds)]);
    const body: Record<string, unknown> = { message: text };
    if (fileIds.length > 0) body.fileIds = fileIds;
    if (turnThread.current) body.threadId = turnThread.current;
    else if (assistantId) body.assistantId = assistantId;
    return runTurn(CHAT_PATH, withOptions(body, options), { text: '' });
  };

  /** A new version of the last reply; the old one stays a sibling (reachable by the switcher). */
  const regenerate = async (options: TurnOptions = {}): Promise<void> => {
    const id = turnThread.current;
    if (!id || phaseRef.current !== 'idle') return;
    const last = [...messages].reverse().find((message) => message.role === 'assistant');
    updatePhase('streaming');
    await runTurn(threads.regeneratePath(id), withOptions({}, options), { text: '', replacesId: last?.id });
  };

  /** Sends a new version of a user message: the conversation goes on from it on a new branch. */
  const edit = async (message: Message, content: string, options: TurnOptions = {}): Promise<boolean> => {
    const id = turnThread.current;
    if (!id || phaseRef.current !== 'idle') return false;
    updatePhase('sending');
    const index = messages.findIndex((shown) => shown.id === message.id);
    const before = index < 0 ? messages : messages.slice(0, index);
    setMessages([...before, pendingMessage(id, content, message.fileIds, message.parentId)]);
    return runTurn(conversation.editPath(id, message.id), withOptions({ content }, options), { text: '' });
  };

  /** Answers the conversation as it stands, e.g. a message whose reply failed. */
  const answer = async (options: TurnOptions = {}): Promise<void> => {
    const id = turnThread.current;
    if (!id || phaseRef.current !== 'idle') return;
    updatePhase('sending');
    await runTurn(threads.runPath(id), withOptions({}, options), { text: '' });
  };

  /** Shows another version of a message (and the branch below it). */
  const activate = async (messageId: string): Promise<void> => {
    const id = turnThread.current;
    if (!id || phaseRef.current !== 'idle') return;
    try {
      await conversation.activate(id, messageId);
      await load(id, false);
    } catch (caught) {
      setError(caught);
    }
  };

  /** Replaces a message as the server now holds it (e.g. after a rating). */
  const replaceMessage = (changed: Message) =>
    setMessages((current) => current.map((message) => (message.id === changed.id ? changed : message)));

  const stop = async (): Promise<void> => {
    const phaseNow = phaseRef.current;
    if (phaseNow === 'idle' || phaseNow === 'stopping') return;
    updatePhase('stopping');
    const id = turnThread.current;
    const abort = controller.current;
    if (!id) {
      abort?.abort();
      return;
    }
    // Ask the server to stop: it ends the reply (kept, marked cancelled) and closes the stream.
    hangUpTimer.current = window.setTimeout(() => abort?.abort(), STOP_GRACE_MS);
    try {
      await threads.cancel(id);
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.code === 'no_run_in_progress')) {
        setError(caught);
        abort?.abort();
      }
    }
  };

  const rememberFiles = (uploaded: StoredFile[]) =>
    setFiles((known) => new Map([...known, ...uploaded.map((file) => [file.id, file] as const)]));

  return {
    ...{ messages, files, loading, loadError, hasEarlier, phase, live, error, budgetWarning },
    ...{ loadEarlier, send, regenerate, edit, answer, activate, replaceMessage, stop, rememberFiles },
  };
}
