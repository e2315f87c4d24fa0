// One conversation: its messages, the reply streaming in, Stop and Regenerate.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { streamChat } from '../../api/chat-stream';
import { CHAT_PATH, threads } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import type { ChatEvent, Message, StoredFile } from '../../api/types';

const MESSAGE_PAGE = 100;
/** After Stop, how long the server gets to end the stream before the client hangs up. */
const STOP_GRACE_MS = 5000;

export type ChatPhase = 'idle' | 'sending' | 'streaming' | 'stopping';

/** The reply being written, shown as it grows. */
export interface LiveReply {
  text: string;
  /** Regenerating: the reply it replaces is hidden meanwhile. */
  replacesId?: string;
}

export interface ChatCallbacks {
  /** A new conversation got its id (from the first event). */
  onThreadCreated(threadId: string): void;
  onTitle(title: string): void;
  /** A turn ended (whatever the outcome): totals and the thread list may have changed. */
  onTurnEnded(): void;
}

export function messageText(message: Pick<Message, 'content'>): string {
  return message.content;
}

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
  const [budgetWarning, setBudgetWarning] = useState<{ usedPercent: number; resetsAt: string } | null>(null);

  const callbacksRef = useRef(callbacks);
  callbacksRef.current = callbacks;
  /** The thread the current turn belongs to (known before the route catches up). */
  const turnThread = useRef<string | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);
  /** After Stop: hangs up if the server has not ended the stream in time. */
  const hangUpTimer = useRef<number | undefined>(undefined);
  const phaseRef = useRef<ChatPhase>('idle');
  const updatePhase = (next: ChatPhase) => {
    phaseRef.current = next;
    setPhase(next);
  };

  const load = useCallback(async (id: string) => {
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
        setMessages((current) => [...current.filter((message) => !message.id.startsWith('pending:') && message.createdAt < first), ...loaded]);
      } else {
        setMessages(loaded);
        setHasEarlier(loaded.length === MESSAGE_PAGE);
      }
      setFiles((known) => new Map([...known, ...threadFiles.map((file) => [file.id, file] as const)]));
      setLoadError(null);
    } catch (caught) {
      setLoadError(caught);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    // The route moving to the thread this turn just created is not a new conversation.
    if (threadId && threadId === turnThread.current && phaseRef.current !== 'idle') return;
    controller.current?.abort();
    turnThread.current = threadId;
    setError(null);
    setLive(null);
    updatePhase('idle');
    setMessages([]);
    setHasEarlier(false);
    earlierOpened.current = false;
    setLoadError(null);
    if (threadId) void load(threadId);
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

  const handleEvent = (event: ChatEvent) => {
    switch (event.type) {
      case 'message_created':
        setMessages((current) => [...current.filter((message) => !message.id.startsWith('pending:')), event.message]);
        if (!turnThread.current) {
          turnThread.current = event.message.threadId;
          callbacksRef.current.onThreadCreated(event.message.threadId);
        }
        if (phaseRef.current === 'sending') updatePhase('streaming');
        break;
      case 'token':
        if (phaseRef.current === 'sending') updatePhase('streaming');
        setLive((current) => ({ ...current, text: (current?.text ?? '') + event.delta }));
        break;
      case 'message_completed':
        setLive(null);
        setMessages((current) => [...current.filter((message) => message.id !== event.message.id), event.message]);
        break;
      case 'title':
        callbacksRef.current.onTitle(event.title);
        break;
      case 'budget_warning':
        setBudgetWarning({ usedPercent: event.usedPercent, resetsAt: event.resetsAt });
        break;
      case 'error':
        setError(new ApiError(0, event.code, event.error));
        break;
      case 'done':
        break;
    }
  };

  /** Runs one streamed turn; resolves true when the server took the request. */
  const runTurn = async (path: string, body: Record<string, unknown>, replyLive: LiveReply): Promise<boolean> => {
    const abort = new AbortController();
    controller.current = abort;
    setError(null);
    setLive(replyLive);
    let accepted = false;
    try {
      await streamChat(
        path,
        body,
        (event) => {
          accepted = true;
          handleEvent(event);
        },
        abort.signal,
      );
    } catch (caught) {
      const aborted = caught instanceof DOMException && caught.name === 'AbortError';
      if (!aborted) setError(caught);
    } finally {
      window.clearTimeout(hangUpTimer.current);
      if (controller.current === abort) controller.current = null;
      setLive(null);
      setMessages((current) => current.filter((message) => !message.id.startsWith('pending:')));
      updatePhase('idle');
      // The stored messages are the truth (statuses, usage, the active branch); the caller need not wait for them.
      const id = turnThread.current;
      if (id) void load(id);
      callbacksRef.current.onTurnEnded();
    }
    return accepted;
  };

  const send = async (text: string, fileIds: string[], assistantId: string | undefined): Promise<boolean> => {
    if (phaseRef.current !== 'idle') return false;
    updatePhase('sending');
    const pending: Message = {
      id: `pending:${Date.now()}`,
      threadId: turnThread.current ?? '',
      role: 'user',
      content: text,
      status: 'completed',
      statusReason: null,
      replyToId: null,
      parentId: null,
      fileIds,
      citations: [],
      usage: null,
      cost: null,
      model: null,
      assistantId: null,
      createdAt: new Date().toISOString(),
      feedback: null,
    };
    setMessages((current) => [...current, pending]);
    const body: Record<string, unknown> = { message: text };
    if (fileIds.length > 0) body.fileIds = fileIds;
    if (turnThread.current) body.threadId = turnThread.current;
    else if (assistantId) body.assistantId = assistantId;
    return runTurn(CHAT_PATH, body, { text: '' });
  };

  const regenerate = async (): Promise<void> => {
    const id = turnThread.current;
    if (!id || phaseRef.current !== 'idle') return;
    const last = [...messages].reverse().find((message) => message.role === 'assistant');
    updatePhase('streaming');
    await runTurn(threads.regeneratePath(id), {}, { text: '', replacesId: last?.id });
  };

  /** Answers the conversation as it stands, e.g. a message whose reply failed. */
  const answer = async (): Promise<void> => {
    const id = turnThread.current;
    if (!id || phaseRef.current !== 'idle') return;
    updatePhase('sending');
    await runTurn(threads.runPath(id), {}, { text: '' });
  };

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
    messages,
    files,
    loading,
    loadError,
    hasEarlier,
    loadEarlier,
    phase,
    live,
    error,
    budgetWarning,
    send,
    regenerate,
    answer,
    stop,
    rememberFiles,
  };
}
