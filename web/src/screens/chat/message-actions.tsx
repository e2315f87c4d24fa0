// What can be done with a message: copy it, edit and resend (yours), write a
// new version (the last reply), move between versions, rate (replies), and
// start a new conversation from it.
import type { Message } from '../../api/types';
import { format, strings } from '../../strings';
import { RatingControls } from './rating-controls';
import { useCopy } from './use-copy';

const words = strings.conversation;

export interface MessageActionHandlers {
  onEdit?(): void;
  onRegenerate?(): void;
  onActivate(messageId: string): void;
  onFork(): void;
  onRated(message: Message): void;
}

interface Props extends MessageActionHandlers {
  message: Message;
  /** A reply is being written: nothing that starts a turn or changes the branch. */
  busy: boolean;
}

function VersionSwitcher({ message, busy, onActivate }: { message: Message; busy: boolean; onActivate(messageId: string): void }) {
  const count = message.siblingCount ?? 1;
  const index = message.siblingIndex ?? 1;
  const ids = message.siblingIds ?? [];
  if (count < 2 || ids.length !== count) return null;
  return (
    <span class="version-switcher" role="group" aria-label={words.versionsLabel}>
      <button type="button" class="icon-button" aria-label={words.previousVersion} disabled={busy || index <= 1} onClick={() => onActivate(ids[index - 2])}>
        ‹
      </button>
      <span aria-label={format(words.versionPosition, { index, count })}>{format(words.versionOf, { index, count })}</span>
      <button type="button" class="icon-button" aria-label={words.nextVersion} disabled={busy || index >= count} onClick={() => onActivate(ids[index])}>
        ›
      </button>
    </span>
  );
}

export function MessageActions({ message, busy, onEdit, onRegenerate, onActivate, onFork, onRated }: Props) {
  const [copyState, copy] = useCopy();
  const stored = !message.id.startsWith('pending:');
  return (
    <div class="message-actions" role="group" aria-label={words.actionsLabel}>
      <VersionSwitcher message={message} busy={busy} onActivate={onActivate} />
      <button type="button" class="action-button" aria-label={words.copyLabel} onClick={() => void copy(message.content)}>
        {copyState === 'copied' ? words.copied : copyState === 'failed' ? words.copyFailed : words.copy}
      </button>
      <span class="visually-hidden" role="status">
        {copyState === 'copied' ? words.copied : ''}
      </span>
      {onEdit && stored && (
        <button type="button" class="action-button" aria-label={words.editLabel} disabled={busy} onClick={onEdit}>
          {words.edit}
        </button>
      )}
      {onRegenerate && (
        <button type="button" class="action-button" title={words.regenerateLabel} disabled={busy} onClick={onRegenerate}>
          {words.regenerate}
        </button>
      )}
      {stored && (
        <button type="button" class="action-button" aria-label={words.forkLabel} disabled={busy} onClick={onFork}>
          {words.fork}
        </button>
      )}
      {message.role === 'assistant' && stored && <RatingControls message={message} onRated={onRated} />}
    </div>
  );
}
