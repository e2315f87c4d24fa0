import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { usePublicConfig } from '../../api/config';
import { assistants as assistantRoutes, threads } from '../../api/endpoints';
import type { Thread } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { formatDateTime } from '../../lib/format';
import { ScreenHeading } from '../../components/screen-heading';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';
import { format, strings } from '../../strings';
import { onboarding } from '../../strings/onboarding';
import { Composer } from './composer';
import { ConversationMessage } from './conversation-message';
import { liveMessage } from './draft-message';
import { MessageView } from './message-view';
import { ShortcutsDialog } from './shortcuts-dialog';
import { SidebarToggle } from './sidebar-toggle';
import { OnboardingChecklist } from './onboarding-checklist';
import { ThreadHeader } from './thread-header';
import { ThreadSidebar } from './thread-sidebar';
import { useChat, type ChatPhase } from './use-chat';
import { useChatShell } from './use-chat-shell';
import { useConversationExtras } from './use-conversation-extras';

const PHASE_ANNOUNCEMENTS: Record<ChatPhase, string> = {
  idle: '',
  sending: strings.chat.sending,
  streaming: strings.chat.streaming,
  stopping: strings.chat.stopping,
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
    else setAnnouncement((previous) => (previous ? (failed ? strings.chat.replyFailed : strings.chat.replyComplete) : ''));
  }, [chat.phase, failed]);

  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [chat.messages, chat.live?.text]);
  const { sidebar, showShortcuts, closeShortcuts, onPick } = useChatShell({ threadId, shownThreadId: thread?.id, chat, scroller, stickToBottom });
  const toggle = <SidebarToggle open={sidebar.open} buttonRef={sidebar.toggleRef} onToggle={sidebar.toggle} />;

  const assistants = assistantList.data ?? [];
  const defaultAssistant = session.user.defaultAssistantId ?? assistants.find((assistant) => assistant.isActive)?.id;
  const newAssistantId = chosenAssistant === '' ? undefined : (chosenAssistant ?? defaultAssistant);
  // Without a usable key (one's own or the shared one), or without an assistant where plain chat is off, Send says why it is off.
  const config = usePublicConfig();
  const keyMissing = config !== undefined && !session.user.hasApiKey && !config.features.sharedApiKey;
  const assistantMissing = !threadId && config !== undefined && config.chatModel === null && !newAssistantId;
  const sendBlocked = keyMissing ? onboarding.noKeyReason : assistantMissing ? onboarding.noAssistantReason : undefined;

  const { turnModel, setTurnModel, defaultModel, forkFrom, forkError, limits } = useConversationExtras(threadId, thread, assistants, newAssistantId, refreshList);

  const visible = chat.messages.filter((message) => message.id !== chat.live?.replacesId);
  const lastReply = [...visible].reverse().find((message) => message.role === 'assistant');
  const unanswered = threadId !== undefined && chat.phase === 'idle' && visible.at(-1)?.role === 'user';
  const liveReply = chat.live ? liveMessage(threadId ?? '', chat.live.text) : null;
  const busy = chat.phase !== 'idle';

  return (
    <div class="chat-layout" data-sidebar={sidebar.open ? 'open' : 'closed'}>
      <ThreadSidebar
        activeId={threadId}
        assistants={assistants}
        version={version}
        open={sidebar.open}
        drawer={sidebar.drawer}
        sidebarRef={sidebar.sidebarRef}
        onClose={() => sidebar.hide(true)}
        onPick={onPick}
      />
      <main id="main" class="chat-main" inert={sidebar.drawer && sidebar.open}>
        {threadId ? (
          thread ? (
            <ThreadHeader
              thread={thread}
              leading={toggle}
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
            <header class="thread-header header-row">
              {toggle}
              <ScreenHeading focusKey={threadId}>{strings.chat.conversationHeading}</ScreenHeading>
              <ErrorNotice error={threadError} context={strings.chat.openFailed} />
            </header>
          )
        ) : (
          <header class="thread-header header-row">
            {toggle}
            <ScreenHeading focusKey="new">{strings.chat.newConversation}</ScreenHeading>
            <label class="inline-select">
              <span>{strings.chat.assistantLabel}</span>
              <select value={newAssistantId ?? ''} onChange={(event) => setChosenAssistant(event.currentTarget.value)}>
                {(config?.chatModel !== null || !newAssistantId) && (
                  <option value="">{config?.chatModel !== null ? onboarding.plainChat : onboarding.chooseAssistant}</option>
                )}
                {assistants.map((assistant) => (
                  <option key={assistant.id} value={assistant.id}>
                    {assistant.isActive ? assistant.name : format(strings.chat.assistantOff, { name: assistant.name })}
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
          aria-label={strings.chat.messagesLabel}
          role="region"
          onScroll={(event) => {
            const element = event.currentTarget;
            stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
          }}
        >
          {chat.loading && visible.length === 0 && <p class="empty">{strings.chat.loadingMessages}</p>}
          <ErrorNotice error={chat.loadError} context={strings.chat.loadMessagesFailed} />
          {chat.hasEarlier && (
            <button type="button" class="link-button earlier" onClick={() => void chat.loadEarlier()}>
              {strings.chat.showEarlier}
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
          {!threadId && visible.length === 0 && <p class="empty">{strings.chat.startHint}</p>}
          {visible.map((message) => (
            <ConversationMessage
              key={message.id}
              message={message}
              files={chat.files}
              busy={busy}
              onSaveEdit={(edited, text) => void chat.edit(edited, text, { model: turnModel })}
              onRegenerate={message === lastReply && threadId ? () => void chat.regenerate({ model: turnModel }) : undefined}
              onActivate={(messageId) => void chat.activate(messageId)}
              onFork={(from) => void forkFrom(from)}
              onRated={chat.replaceMessage}
            />
          ))}
          {liveReply && <MessageView message={liveReply} files={chat.files} liveText={chat.live?.text} />}
          {unanswered && (
            <p class="unanswered">
              {strings.chat.noReplyYet}{' '}
              <button type="button" onClick={() => void chat.answer()}>
                {strings.chat.tryAgain}
              </button>
            </p>
          )}
        </div>
        <p class="visually-hidden" role="status" aria-live="polite" data-testid="chat-status">
          {announcement}
        </p>
        <ErrorNotice error={chat.error} />
        <ErrorNotice error={forkError} context={strings.conversation.forkFailed} />
        {chat.budgetWarning && (
          <p class="notice notice-warn budget-note" role="status" data-testid="budget-warning">
            {format(strings.chat.budgetNote, {
              percent: Math.round(chat.budgetWarning.usedPercent),
              when: formatDateTime(chat.budgetWarning.resetsAt),
            })}{' '}
            <Link href="/usage">{strings.chat.seeUsage}</Link>
          </p>
        )}
        <Composer
          draftKey={threadId ?? 'new'}
          focusKey={threadId ? thread?.id : 'new'}
          phase={chat.phase}
          disabledReason={sendBlocked}
          onSend={(text, fileIds) => chat.send(text, fileIds, threadId ? undefined : newAssistantId, { model: turnModel })}
          model={turnModel}
          defaultModel={defaultModel}
          onModelChange={setTurnModel}
          maxChars={limits?.chatInputChars}
          onStop={() => void chat.stop()}
          onUploaded={chat.rememberFiles}
        />
      </main>
      <ShortcutsDialog open={showShortcuts} onClose={closeShortcuts} />
    </div>
  );
}
