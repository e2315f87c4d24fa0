// Share links of one conversation: make one (its link is shown once, with a
// copy button), see the ones that exist and revoke them.
import { useRef, useState } from 'preact/hooks';
import { shares } from '../../api/endpoints';
import type { CreatedShare, Thread } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { formatDateTime } from '../../lib/format';
import { format, strings } from '../../strings';

const text = strings.chat;

interface Props {
  open: boolean;
  thread: Thread;
  hasFiles: boolean;
  onClose(): void;
}

/** The address of the client's page that reads a shared conversation. */
export function shareUrl(token: string): string {
  return `${window.location.origin}/shared/${encodeURIComponent(token)}`;
}

async function copyText(value: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    field?.select();
    return false;
  }
}

export function ShareDialog({ open, thread, hasFiles, onClose }: Props) {
  return (
    <Dialog open={open} title={text.shareTitle} onClose={onClose}>
      <ShareBody thread={thread} hasFiles={hasFiles} onClose={onClose} />
    </Dialog>
  );
}

function ShareBody({ thread, hasFiles, onClose }: Omit<Props, 'open'>) {
  const links = useLoader(async () => (await shares.list()).filter((share) => share.threadId === thread.id), [thread.id]);
  const [includeFiles, setIncludeFiles] = useState(false);
  const [created, setCreated] = useState<CreatedShare | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const field = useRef<HTMLInputElement>(null);

  const create = async () => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      setCreated(await shares.create(thread.id, { includeFiles: hasFiles && includeFiles }));
      await links.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (shareId: string) => {
    setError(null);
    try {
      await shares.revoke(shareId);
      if (created?.id === shareId) setCreated(null);
      links.setData((current) => (current ?? []).filter((share) => share.id !== shareId));
      setStatus(text.revoked);
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <div class="share-dialog">
      <p class="dialog-body">{text.shareExplain}</p>
      {hasFiles && (
        <label class="check">
          <input type="checkbox" checked={includeFiles} onChange={(event) => setIncludeFiles(event.currentTarget.checked)} />
          <span>{text.shareIncludeFiles}</span>
        </label>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={() => void create()}>
          {busy ? text.shareCreating : text.shareCreate}
        </button>
      </div>
      {created && (
        <div class="share-created">
          <label for="share-link-field">{text.shareLink}</label>
          <div class="copy-row">
            <input
              id="share-link-field"
              ref={field}
              readOnly
              value={shareUrl(created.token)}
              onFocus={(event) => event.currentTarget.select()}
            />
            <button
              type="button"
              onClick={() => void copyText(shareUrl(created.token), field.current).then((copied) => setStatus(copied ? text.copied : text.copyFailed))}
            >
              {text.copy}
            </button>
          </div>
          <p class="field-hint">{text.shareOnce}</p>
        </div>
      )}
      <p class="share-status" role="status">
        {status}
      </p>
      <ErrorNotice error={error ?? links.error} />
      <h3>{text.existingLinks}</h3>
      {links.data?.length === 0 && <p class="empty">{text.noLinks}</p>}
      <ul class="share-links" aria-label={text.existingLinks}>
        {(links.data ?? []).map((share) => (
          <li key={share.id}>
            <span>
              {format(text.linkMade, {
                date: formatDateTime(share.createdAt),
                messages: share.messageCount === 1 ? text.messageCountOne : format(text.messageCount, { count: share.messageCount }),
              })}
              {share.includeFiles && ` · ${text.withFiles}`}
            </span>
            <button type="button" class="danger" onClick={() => void revoke(share.id)}>
              {text.revoke}
            </button>
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" onClick={onClose}>
          {text.close}
        </button>
      </div>
    </div>
  );
}
