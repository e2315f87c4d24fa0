// A message of the conversation with its actions, and the inline editor of a
// new version of one of your messages.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Message, StoredFile } from '../../api/types';
import { strings } from '../../strings';
import { MessageActions, type MessageActionHandlers } from './message-actions';
import { MessageView } from './message-view';

const words = strings.conversation;

function MessageEditor({ initial, onSave, onCancel }: { initial: string; onSave(text: string): void; onCancel(): void }) {
  const [text, setText] = useState(initial);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    field.current?.focus();
    field.current?.setSelectionRange(initial.length, initial.length);
  }, []);
  return (
    <form
      class="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() !== '') onSave(text.trim());
      }}
    >
      <textarea
        ref={field}
        aria-label={words.editorLabel}
        rows={Math.min(12, Math.max(3, text.split('\n').length))}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel();
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
        }}
      />
      <div class="message-editor-bar">
        <button type="button" onClick={onCancel}>
          {words.cancelEdit}
        </button>
        <button type="submit" class="primary" disabled={text.trim() === ''}>
          {words.saveAndSend}
        </button>
      </div>
    </form>
  );
}

interface Props extends Omit<MessageActionHandlers, 'onEdit' | 'onFork' | 'onActivate'> {
  message: Message;
  files: Map<string, StoredFile>;
  busy: boolean;
  onSaveEdit(message: Message, text: string): void;
  onActivate(messageId: string): void;
  onFork(message: Message): void;
}

export function ConversationMessage({ message, files, busy, onSaveEdit, onRegenerate, onActivate, onFork, onRated }: Props) {
  const [editing, setEditing] = useState(false);
  const body = editing ? (
    <MessageEditor
      initial={message.content}
      onCancel={() => setEditing(false)}
      onSave={(text) => {
        setEditing(false);
        onSaveEdit(message, text);
      }}
    />
  ) : undefined;
  return (
    <MessageView
      message={message}
      files={files}
      body={body}
      actions={
        !editing && (
          <MessageActions
            message={message}
            busy={busy}
            onEdit={message.role === 'user' ? () => setEditing(true) : undefined}
            onRegenerate={onRegenerate}
            onActivate={onActivate}
            onFork={() => onFork(message)}
            onRated={onRated}
          />
        )
      }
    />
  );
}
