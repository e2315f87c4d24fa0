// The open conversation's title and what can be done with it: rename, change
// assistant, archive, export, download its files, delete.
import { useState } from 'preact/hooks';
import { threads } from '../../api/endpoints';
import type { Assistant, Thread } from '../../api/types';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { ScreenHeading } from '../../components/screen-heading';
import { formatCost, formatTokens } from '../../lib/format';
import { threadTitle } from './thread-sidebar';

interface Props {
  thread: Thread;
  assistants: Assistant[];
  onChanged(thread: Thread): void;
  onDeleted(): void;
}

export function ThreadHeader({ thread, assistants, onChanged, onDeleted }: Props) {
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

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
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <header class="thread-header">
      {renaming ? (
        <form
          class="inline-form rename-form"
          onSubmit={saveTitle}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setRenaming(false);
          }}
        >
          <label for="thread-title-input" class="visually-hidden">
            Conversation title
          </label>
          <input id="thread-title-input" value={title} maxLength={200} required autofocus onInput={(event) => setTitle(event.currentTarget.value)} />
          <button type="submit" class="primary" disabled={busy || !title.trim()}>
            Save title
          </button>
          <button type="button" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <ScreenHeading focusKey={thread.id}>
          {threadTitle(thread)}
          {thread.isArchived && <span class="badge badge-muted">Archived</span>}
        </ScreenHeading>
      )}
      <p class="meta thread-totals">
        <span>
          {thread.messageCount} {thread.messageCount === 1 ? 'message' : 'messages'}
        </span>
        <span>{formatTokens(thread.totalTokens)}</span>
        <span>{formatCost(thread.totalCost)}</span>
      </p>
      <div class="toolbar" role="group" aria-label="Conversation actions">
        <label class="inline-select">
          <span>Assistant</span>
          <select
            value={thread.assistantId ?? ''}
            disabled={busy}
            onChange={(event) => void change({ assistantId: event.currentTarget.value || null })}
          >
            {thread.assistantId === null && <option value="">None</option>}
            {assistants.map((assistant) => (
              <option key={assistant.id} value={assistant.id}>
                {assistant.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            setTitle(thread.title ?? '');
            setRenaming(true);
          }}
        >
          Rename
        </button>
        <button type="button" disabled={busy} onClick={() => void change({ isArchived: !thread.isArchived })}>
          {thread.isArchived ? 'Unarchive' : 'Archive'}
        </button>
        <a class="button" href={threads.exportUrl(thread.id, 'markdown')} download>
          Export Markdown
        </a>
        <a class="button" href={threads.exportUrl(thread.id, 'json')} download>
          Export JSON
        </a>
        <a class="button" href={threads.archiveUrl(thread.id)} download>
          Download all files
        </a>
        <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
          Delete
        </button>
      </div>
      <ErrorNotice error={error} />
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this conversation?"
        confirmLabel="Delete conversation"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>“{threadTitle(thread)}” and all its messages will be deleted. Export it first to keep a copy.</p>
      </ConfirmDialog>
    </header>
  );
}
