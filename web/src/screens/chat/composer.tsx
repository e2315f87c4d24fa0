// Writing a message: text (kept as a draft), image attachments with a preview,
// Send, and Stop while a reply is being written.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { files as fileRoutes } from '../../api/endpoints';
import type { StoredFile } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { useDraft } from '../../components/hooks';
import type { ChatPhase } from './use-chat';

const IMAGE_TYPES = 'image/png,image/jpeg,image/gif,image/webp';

interface Attachment {
  key: string;
  file: File;
  previewUrl: string;
  state: 'uploading' | 'ready' | 'failed';
  stored?: StoredFile;
}

interface Props {
  draftKey: string;
  phase: ChatPhase;
  disabledReason?: string;
  /** Resolves true when the server took the message. */
  onSend(text: string, fileIds: string[]): Promise<boolean>;
  onStop(): void;
  onUploaded(files: StoredFile[]): void;
}

export function Composer({ draftKey, phase, disabledReason, onSend, onStop, onUploaded }: Props) {
  const [text, setText] = useDraft(`composer:${draftKey}`);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const imageInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const busy = phase !== 'idle';
  const uploading = attachments.some((attachment) => attachment.state === 'uploading');
  const canSend = !busy && !uploading && !disabledReason && text.trim() !== '';

  // Previews are object URLs: give them back when they leave.
  const latest = useRef(attachments);
  latest.current = attachments;
  useEffect(() => () => latest.current.forEach((attachment) => URL.revokeObjectURL(attachment.previewUrl)), []);

  const attach = async (picked: File[]) => {
    setUploadError(null);
    const added = picked.map((file, index) => ({
      key: `${Date.now()}-${index}-${file.name}`,
      file,
      previewUrl: URL.createObjectURL(file),
      state: 'uploading' as const,
    }));
    setAttachments((current) => [...current, ...added]);
    for (const attachment of added) {
      try {
        const result = await fileRoutes.upload([attachment.file]);
        const stored = result.files?.[0] ?? (await fileRoutes.get(result.fileIds[0]));
        onUploaded([stored]);
        setAttachments((current) => current.map((item) => (item.key === attachment.key ? { ...item, state: 'ready', stored } : item)));
      } catch (caught) {
        setUploadError(caught);
        setAttachments((current) => current.map((item) => (item.key === attachment.key ? { ...item, state: 'failed' } : item)));
      }
    }
  };

  const detach = (key: string) =>
    setAttachments((current) => {
      const leaving = current.find((attachment) => attachment.key === key);
      if (leaving) URL.revokeObjectURL(leaving.previewUrl);
      return current.filter((attachment) => attachment.key !== key);
    });

  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (!canSend) return;
    const message = text.trim();
    const sent = attachments.filter((attachment) => attachment.state === 'ready');
    setText('');
    setAttachments((current) => current.filter((attachment) => attachment.state !== 'ready'));
    const accepted = await onSend(
      message,
      sent.map((attachment) => attachment.stored!.id),
    );
    if (accepted) {
      sent.forEach((attachment) => URL.revokeObjectURL(attachment.previewUrl));
    } else {
      // Refused (no key, too long…): give back what was written, to fix and send again.
      setText(message);
      setAttachments((current) => [...sent, ...current]);
    }
    textArea.current?.focus();
  };

  return (
    <form class="composer" onSubmit={(event) => void submit(event)}>
      <ErrorNotice error={uploadError} context="The image could not be attached." />
      {attachments.length > 0 && (
        <ul class="attachment-previews" aria-label="Images to send">
          {attachments.map((attachment) => (
            <li key={attachment.key} data-state={attachment.state}>
              <img src={attachment.previewUrl} alt={`Preview of ${attachment.file.name}`} />
              <span class="attachment-state">
                {attachment.state === 'uploading' ? 'Uploading…' : attachment.state === 'failed' ? 'Failed' : 'Ready'}
              </span>
              <button type="button" aria-label={`Remove ${attachment.file.name}`} onClick={() => detach(attachment.key)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label for={`${hintId}-text`} class="visually-hidden">
        Message
      </label>
      <textarea
        id={`${hintId}-text`}
        ref={textArea}
        rows={3}
        placeholder={disabledReason ?? 'Write a message…'}
        aria-describedby={hintId}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            void submit();
          }
        }}
      />
      <div class="composer-bar">
        <p id={hintId} class="field-hint">
          Enter sends, Shift+Enter starts a new line.
        </p>
        <input
          ref={imageInput}
          class="visually-hidden"
          type="file"
          accept={IMAGE_TYPES}
          multiple
          tabIndex={-1}
          aria-label="Images to attach"
          data-testid="image-input"
          onChange={(event) => {
            const picked = Array.from(event.currentTarget.files ?? []);
            event.currentTarget.value = '';
            if (picked.length > 0) void attach(picked);
          }}
        />
        <button type="button" onClick={() => imageInput.current?.click()} disabled={busy}>
          Attach image
        </button>
        {busy ? (
          <button type="button" class="danger" onClick={onStop} disabled={phase === 'stopping'}>
            {phase === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="submit" class="primary" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
