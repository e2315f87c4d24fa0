// Writing a message: text (kept as a draft, growing with its content), images
// and documents (picked, pasted or dropped), the model of the turn, Send, and
// Stop while a reply is being written.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { StoredFile } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { useDraft } from '../../components/hooks';
import { hasNavigatedInApp } from '../../router';
import { format, strings } from '../../strings';
import { ModelPicker } from './model-picker';
import { IMAGE_TYPES, isImage, useAttachments } from './use-attachments';
import type { ChatPhase } from './use-chat';

const words = strings.composer;
/** The counter shows from this share of the server's message limit on. */
const COUNTER_FROM = 0.8;

interface Props {
  draftKey: string;
  /** Changes when a conversation has opened (after its heading took focus): the field takes it then. */
  focusKey?: string;
  phase: ChatPhase;
  disabledReason?: string;
  /** The server's limit on a message's length (GET /config), once known. */
  maxChars?: number;
  model: string | undefined;
  defaultModel: string | undefined;
  onModelChange(model: string | undefined): void;
  /** Resolves true when the server took the message. */
  onSend(text: string, fileIds: string[]): Promise<boolean>;
  onStop(): void;
  onUploaded(files: StoredFile[]): void;
}

export function Composer({ draftKey, focusKey, phase, disabledReason, maxChars, model, defaultModel, onModelChange, onSend, onStop, onUploaded }: Props) {
  const [text, setText] = useDraft(`composer:${draftKey}`);
  const { attachments, uploadError, attach, detach, take, uploading } = useAttachments(onUploaded);
  const [notes, setNotes] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const imageInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const busy = phase !== 'idle';
  const over = maxChars !== undefined ? text.length - maxChars : 0;
  const canSend = !busy && !uploading && !disabledReason && text.trim() !== '' && over <= 0;

  // A conversation opened from within the app: ready to write in it. On a fresh
  // page load focus stays at the top, where the skip links come first.
  useEffect(() => {
    if (focusKey !== undefined && hasNavigatedInApp()) textArea.current?.focus({ preventScroll: true });
  }, [focusKey]);
  // The field grows with its text, up to the height the stylesheet allows.
  useLayoutEffect(() => {
    const field = textArea.current;
    if (!field) return;
    field.style.height = 'auto';
    field.style.height = `${field.scrollHeight + 2}px`;
  }, [text]);

  const attachFiles = (picked: File[], fromImagePicker = false) => {
    if (picked.length === 0) return;
    setNotes(fromImagePicker ? picked.filter((file) => !isImage(file)).map((file) => format(words.notAnImage, { name: file.name })) : []);
    void attach(picked);
  };

  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (!canSend) return;
    const message = text.trim();
    const outgoing = take();
    setText('');
    setNotes([]);
    if (await onSend(message, outgoing.fileIds)) {
      outgoing.sent();
    } else {
      // Refused (no key, too long…): give back what was written, to fix and send again.
      setText(message);
      outgoing.restore();
    }
    textArea.current?.focus();
  };

  return (
    <form
      class="composer"
      data-dragging={dragging || undefined}
      onSubmit={(event) => void submit(event)}
      onDragOver={(event) => {
        if (!event.dataTransfer?.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        attachFiles(Array.from(event.dataTransfer?.files ?? []));
      }}
    >
      <ErrorNotice error={uploadError} context={words.attachFailed} />
      {notes.map((note) => (
        <p key={note} class="notice" role="status">
          {note}
        </p>
      ))}
      {attachments.length > 0 && (
        <ul class="attachment-previews" aria-label={words.filesToSend}>
          {attachments.map((attachment) => (
            <li key={attachment.key} data-state={attachment.state} data-kind={attachment.previewUrl ? 'image' : 'document'}>
              {attachment.previewUrl ? (
                <img src={attachment.previewUrl} alt={format(words.previewOf, { name: attachment.file.name })} />
              ) : (
                <span class="attachment-document" title={words.documentAttached}>
                  {attachment.file.name}
                </span>
              )}
              <span class="attachment-state">
                {attachment.state === 'uploading' ? words.uploading : attachment.state === 'failed' ? words.failed : words.ready}
              </span>
              <button type="button" aria-label={format(words.remove, { name: attachment.file.name })} onClick={() => detach(attachment.key)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {dragging && <p class="drop-hint">{words.dropHere}</p>}
      <label for={`${hintId}-text`} class="visually-hidden">
        {words.messageLabel}
      </label>
      <textarea
        id={`${hintId}-text`}
        ref={textArea}
        rows={1}
        placeholder={disabledReason ?? words.placeholder}
        aria-describedby={hintId}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        onPaste={(event) => {
          const pasted = Array.from(event.clipboardData?.files ?? []);
          if (pasted.length === 0) return;
          event.preventDefault();
          attachFiles(pasted);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            void submit();
          }
        }}
      />
      <div class="composer-bar">
        <p id={hintId} class="field-hint">
          {words.enterHint}
        </p>
        {maxChars !== undefined && text.length >= maxChars * COUNTER_FROM && (
          <p class={`length-counter${over > 0 ? ' over' : ''}`} aria-live="polite" data-testid="length-counter">
            {over > 0 ? format(words.tooLong, { over }) : format(words.lengthCounter, { count: text.length, max: maxChars })}
          </p>
        )}
        <ModelPicker value={model} defaultModel={defaultModel} disabled={busy} onChange={onModelChange} />
        <input
          ref={imageInput}
          class="visually-hidden"
          type="file"
          accept={IMAGE_TYPES}
          multiple
          tabIndex={-1}
          aria-label={words.imagesToAttach}
          data-testid="image-input"
          onChange={(event) => {
            const picked = Array.from(event.currentTarget.files ?? []);
            event.currentTarget.value = '';
            attachFiles(picked, true);
          }}
        />
        <button type="button" onClick={() => imageInput.current?.click()} disabled={busy}>
          {words.attachImage}
        </button>
        {busy ? (
          <button type="button" class="danger" onClick={onStop} disabled={phase === 'stopping'}>
            {phase === 'stopping' ? words.stopping : words.stop}
          </button>
        ) : (
          <button type="submit" class="primary" disabled={!canSend}>
            {words.send}
          </button>
        )}
      </div>
    </form>
  );
}
