// The open conversation's header, on one row: the conversation list's toggle,
// the title, and a "…" menu with what can be done with the conversation:
// rename, change assistant, archive, share, export, download its files, delete.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { threads } from '../../api/endpoints';
import type { Assistant, Thread } from '../../api/types';
import { ConfirmDialog, Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { MenuButton, type MenuItem } from '../../components/menu';
import { ScreenHeading } from '../../components/screen-heading';
import { formatCost, formatTokens } from '../../lib/format';
import { format, strings } from '../../strings';
import { ShareDialog } from './share-dialog';
import { threadTitle } from './thread-list';

const text = strings.chat;

interface Props {
  thread: Thread;
  assistants: Assistant[];
  /** The conversation list's toggle, first on the row. */
  leading: ComponentChildren;
  onChanged(thread: Thread): void;
  onDeleted(): void;
}

type Open = 'none' | 'assistant' | 'share' | 'delete';

export function ThreadHeader({ thread, assistants, leading, onChanged, onDeleted }: Props) {
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState('');
  const [open, setOpen] = useState<Open>('none');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // "Download all files" is offered only when there is something to download (asked again whenever the thread is reloaded, as after a turn).
  const threadFiles = useLoader(() => threads.files(thread.id), [thread]);
  const hasFiles = (threadFiles.data?.length ?? 0) > 0;

  const change = async (body: Parameters<typeof threads.update>[1]) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await threads.update(thread.id, body));
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const saveTitle = async (event: Event) => {
    event.preventDefault();
    if (await change({ title: title.trim() })) setRenaming(false);
  };

  const remove = async () => {
    setBusy(true);
    try {
      await threads.remove(thread.id);
      onDeleted();
    } catch (caught) {
      setError(caught);
      setOpen('none');
    } finally {
      setBusy(false);
    }
  };

  const items: MenuItem[] = [
    {
      label: text.rename,
      onSelect: () => {
        setTitle(thread.title ?? '');
        setRenaming(true);
      },
    },
    { label: text.share, onSelect: () => setOpen('share') },
    { label: text.changeAssistant, onSelect: () => setOpen('assistant') },
    { label: thread.isArchived ? text.restore : text.archive, disabled: busy, onSelect: () => void change({ isArchived: !thread.isArchived }) },
    { label: text.exportMarkdown, href: threads.exportUrl(thread.id, 'markdown'), download: true },
    { label: text.exportJson, href: threads.exportUrl(thread.id, 'json'), download: true },
    ...(hasFiles ? [{ label: text.downloadFiles, href: threads.archiveUrl(thread.id), download: true }] : []),
    { label: text.delete, danger: true, onSelect: () => setOpen('delete') },
  ];
  const count = thread.messageCount === 1 ? text.messageCountOne : format(text.messageCount, { count: thread.messageCount });

  return (
    <header class="thread-header">
      <div class="header-row">
        {leading}
        {renaming ? (
          <form
            class="inline-form rename-form"
            onSubmit={saveTitle}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                setRenaming(false);
              }
            }}
          >
            <label for="thread-title-input" class="visually-hidden">
              {text.titleLabel}
            </label>
            <input id="thread-title-input" value={title} maxLength={200} required autofocus onInput={(event) => setTitle(event.currentTarget.value)} />
            <button type="submit" class="primary" disabled={busy || !title.trim()}>
              {text.saveTitle}
            </button>
            <button type="button" onClick={() => setRenaming(false)}>
              {text.cancel}
            </button>
          </form>
        ) : (
          <div class="header-title">
            <ScreenHeading focusKey={thread.id}>
              <span class="title-text">{threadTitle(thread)}</span>
              {thread.isArchived && <span class="badge badge-muted">{strings.threads.archivedBadge}</span>}
            </ScreenHeading>
            <p class="meta thread-totals">{format(text.totals, { messages: count, tokens: formatTokens(thread.totalTokens), cost: formatCost(thread.totalCost) })}</p>
          </div>
        )}
        {!renaming && (
          <MenuButton label={text.moreActions} items={items}>
            <span aria-hidden="true">…</span>
          </MenuButton>
        )}
      </div>
      <ErrorNotice error={error} />
      <Dialog open={open === 'assistant'} title={text.assistantDialogTitle} onClose={() => setOpen('none')}>
        <p class="dialog-body">{text.assistantDialogHint}</p>
        <label class="field">
          <span>{text.assistantLabel}</span>
          <select
            value={thread.assistantId ?? ''}
            disabled={busy}
            onChange={(event) => void change({ assistantId: event.currentTarget.value || null })}
          >
            {thread.assistantId === null && <option value="">{text.noAssistant}</option>}
            {assistants.map((assistant) => (
              <option key={assistant.id} value={assistant.id}>
                {assistant.name}
              </option>
            ))}
          </select>
        </label>
        <div class="actions">
          <button type="button" onClick={() => setOpen('none')}>
            {text.close}
          </button>
        </div>
      </Dialog>
      <ShareDialog open={open === 'share'} thread={thread} hasFiles={hasFiles} onClose={() => setOpen('none')} />
      <ConfirmDialog
        open={open === 'delete'}
        title={text.deleteTitle}
        confirmLabel={text.deleteConfirm}
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setOpen('none')}
      >
        <p>{format(text.deleteBody, { title: threadTitle(thread) })}</p>
      </ConfirmDialog>
    </header>
  );
}
