import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { usePublicConfig } from '../../api/config';
import { assistants as assistantRoutes, threads } from '../../api/endpoints';
import type { Message, Thread } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { formatDateTime } from '../../lib/format';
import { ScreenHeading } from '../../components/screen-heading';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { onboarding } from '../../strings/onboarding';
import { Composer } from './composer';
import { MessageView } from './message-view';
import { OnboardingChecklist } from './onboarding-checklist';
import { ThreadHeader } from './thread-header';
import { ThreadSidebar } from './thread-sidebar';
import { useChat, type ChatPhase } from './use-chat';

const PHASE_ANNOUNCEMENTS: Record<ChatPhase, string> = {
  idle: '',
  sending: 'Sending your message…',
  streaming: 'The assistant is replying…',
  stopping: 'Stopping the reply…',
};
/** Within this many pixels of the end, new text keeps the view at the end. */
const STICK_TO_BOTTOM_PX = 80;

export function ChatScreen({ threadId }: { threadId: string | undefined }) {
  const session = useSession();
  const assistantList = useLoader(() => assistantRoutes.list(), []);
  const [version, setVersion] = useState(0);
  const refreshList = () => setVersion((current) => current + 1);
  const [thread, setThread] = useState<Thread | null>(null);
  const [threadError, setThreadError] = useState<unknown>(null);
  const [chosenAssistant, setChosenAssistant] = useState<string | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');

  const shownThread = useRef(threadId);
  shownThread.current = threadId;
  const loadThread = async (id: string) => {
    try {
      const loaded = await threads.get(id);
      // Another conversation may have been opened meanwhile.
      if (shownThread.current !== id) return;
      setThread(loaded);
      setThreadError(null);
    } catch (caught) {
      if (shownThread.current === id) setThreadError(caught);
    }
  };

  useEffect(() => {
    setThread(null);
    setThreadError(null);
    if (threadId) void loadThread(threadId);
  }, [threadId]);

  const chat = useChat(threadId, {
    onThreadCreated: (id) => {
      navigate(`/threads/${id}`);
      refreshList();
    },
    onTitle: (title) => {
      setThread((current) => (current ? { ...current, title } : current));
      refreshList();
    },
    onTurnEnded: () => {
      if (threadId) void loadThread(threadId);
      refreshList();
    },
  });

  const failed = chat.error !== null;
  useEffect(() => {
    if (chat.phase !== 'idle') setAnnouncement(PHASE_ANNOUNCEMENTS[chat.phase]);
    else setAnnouncement((previous) => (previous ? (failed ? 'The reply failed.' : 'The reply is complete.') : ''));
  }, [chat.phase, failed]);

  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [chat.messages, chat.live?.text]);

  const assistants = assistantList.data ?? [];
  const defaultAssistant = session.user.defaultAssistantId ?? assistants.find((assistant) => assistant.isActive)?.id;
  const newAssistantId = chosenAssistant === '' ? undefined : (chosenAssistant ?? defaultAssistant);
  // Without a usable key (one's own or the shared one), or without an assistant where plain chat is off, Send says why it is off.
  const config = usePublicConfig();
  const keyMissing = config !== undefined && !session.user.hasApiKey && !config.features.sharedApiKey;
  const assistantMissing = !threadId && config !== undefined && config.chatModel === null && !newAssistantId;
  const sendBlocked = keyMissing ? onboarding.noKeyReason : assistantMissing ? onboarding.noAssistantReason : undefined;

  const visible = chat.messages.filter((message) => message.id !== chat.live?.replacesId);
  const lastReply = [...visible].reverse().find((message) => message.role === 'assistant');
  const unanswered = threadId !== undefined && chat.phase === 'idle' && visible.at(-1)?.role === 'user';
  const liveMessage: Message | null = chat.live
    ? {
        id: 'live',
        threadId: threadId ?? '',
        role: 'assistant',
        content: chat.live.text,
        status: 'streaming',
        statusReason: null,
        replyToId: null,
        parentId: null,
        fileIds: [],
        citations: [],
        usage: null,
        cost: null,
        model: null,
        assistantId: null,
        createdAt: new Date().toISOString(),
        feedback: null,
      }
    : null;

  return (
    <div class="chat-layout">
      <ThreadSidebar activeId={threadId} assistants={assistants} version={version} />
      <main id="main" class="chat-main">
        {threadId ? (
          thread ? (
            <ThreadHeader
              thread={thread}
              assistants={assistants}
              onChanged={(changed) => {
                setThread(changed);
                refreshList();
              }}
              onDeleted={() => {
                refreshList();
                navigate('/');
              }}
            />
          ) : (
            <header class="thread-header">
              <ScreenHeading focusKey={threadId}>Conversation</ScreenHeading>
              <ErrorNotice error={threadError} context="Could not open the conversation." />
            </header>
          )
        ) : (
          <header class="thread-header">
            <ScreenHeading focusKey="new">New conversation</ScreenHeading>
            <label class="inline-select">
              <span>Assistant</span>
              <select value={newAssistantId ?? ''} onChange={(event) => setChosenAssistant(event.currentTarget.value)}>
                {(config?.chatModel !== null || !newAssistantId) && (
                  <option value="">{config?.chatModel !== null ? onboarding.plainChat : onboarding.chooseAssistant}</option>
                )}
                {assistants.map((assistant) => (
                  <option key={assistant.id} value={assistant.id}>
                    {assistant.name}
                    {assistant.isActive ? '' : ' (off)'}
                  </option>
                ))}
              </select>
            </label>
            {sendBlocked && (
              <p class="notice" data-testid="send-blocked">
                {sendBlocked} {keyMissing && <Link href="/settings#api-key">{onboarding.noKeyLink}</Link>}
              </p>
            )}
          </header>
        )}
        <div
          class="messages"
          ref={scroller}
          tabIndex={0}
          aria-label="Messages"
          role="region"
          onScroll={(event) => {
            const element = event.currentTarget;
            stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
          }}
        >
          {chat.loading && visible.length === 0 && <p class="empty">Loading messages…</p>}
          <ErrorNotice error={chat.loadError} context="Could not load the messages." />
          {chat.hasEarlier && (
            <button type="button" class="link-button earlier" onClick={() => void chat.loadEarlier()}>
              Show earlier messages
            </button>
          )}
          {!threadId && visible.length === 0 && assistantList.data && (
            <OnboardingChecklist
              userId={session.user.id}
              ownKey={session.user.hasApiKey}
              sharedKey={config?.features.sharedApiKey ?? false}
              assistantCount={assistantList.data.length}
            />
          )}
          {!threadId && visible.length === 0 && <p class="empty">Ask anything to start a conversation.</p>}
          {visible.map((message) => (
            <MessageView
              key={message.id}
              message={message}
              files={chat.files}
              actions={
                message === lastReply && chat.phase === 'idle' && threadId ? (
                  <button type="button" class="link-button" onClick={() => void chat.regenerate()}>
                    Regenerate
                  </button>
                ) : undefined
              }
            />
          ))}
          {liveMessage && <MessageView message={liveMessage} files={chat.files} liveText={chat.live?.text} />}
          {unanswered && (
            <p class="unanswered">
              This message has no reply yet.{' '}
              <button type="button" onClick={() => void chat.answer()}>
                Try again
              </button>
            </p>
          )}
        </div>
        <p class="visually-hidden" role="status" aria-live="polite" data-testid="chat-status">
          {announcement}
        </p>
        <ErrorNotice error={chat.error} />
        {chat.budgetWarning && (
          <p class="notice notice-warn budget-note" role="status" data-testid="budget-warning">
            {Math.round(chat.budgetWarning.usedPercent)}% of your budget is used; it renews {formatDateTime(chat.budgetWarning.resetsAt)}.{' '}
            <Link href="/usage">See usage</Link>
          </p>
        )}
        <Composer
          draftKey={threadId ?? 'new'}
          phase={chat.phase}
          disabledReason={sendBlocked}
          onSend={(text, fileIds) => chat.send(text, fileIds, threadId ? undefined : newAssistantId)}
          onStop={() => void chat.stop()}
          onUploaded={chat.rememberFiles}
        />
      </main>
    </div>
  );
}
