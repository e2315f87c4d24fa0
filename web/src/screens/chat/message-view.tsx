import type { ComponentChildren } from 'preact';
import { files as fileRoutes } from '../../api/endpoints';
import type { Citation, Message, StoredFile } from '../../api/types';
import { citedDocuments } from '../../lib/citation-markers';
import { formatCost, formatDateTime, formatTokens } from '../../lib/format';
import { format, strings } from '../../strings';
import { messageText } from './use-chat';
import { useMarkdown } from './use-markdown';

const STATUS_NOTES: Partial<Record<Message['status'], string>> = {
  cancelled: strings.conversation.statusStopped,
  incomplete: strings.conversation.statusIncomplete,
  streaming: strings.conversation.statusWriting,
};
const COPIED_MS = 2000;

/** A code block's copy button (rendered into the Markdown): copies the code beside it. */
async function copyCode(button: HTMLElement): Promise<void> {
  const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
  try {
    await navigator.clipboard.writeText(code);
    button.textContent = strings.conversation.copied;
  } catch {
    button.textContent = strings.conversation.copyFailed;
  }
  window.setTimeout(() => (button.textContent = strings.conversation.copyCode), COPIED_MS);
}

function Markdown({ text, citations, anchor }: { text: string; citations: Citation[]; anchor: string }) {
  const html = useMarkdown(text, { citations, anchor });
  if (html === undefined) return <div class="plain-text">{text}</div>;
  // Safe: renderMarkdown escapes raw HTML, keeps only http(s)/mailto links, then sanitizes.
  return (
    <div
      class="markdown"
      dangerouslySetInnerHTML={{ __html: html }}
      onClick={(event) => {
        const button = (event.target as HTMLElement).closest<HTMLElement>('[data-copy-code]');
        if (button) void copyCode(button);
      }}
    />
  );
}

/** The documents a reply cites, numbered as the markers in its text link to them; each can be downloaded. */
function Citations({ citations, anchor }: { citations: Citation[]; anchor: string }) {
  const documents = citedDocuments(citations);
  if (documents.length === 0) return null;
  return (
    <div class="citations">
      <h3>{strings.conversation.sources}</h3>
      <ol>
        {documents.map((citation, position) => (
          <li key={citation.fileId} id={`cite-${anchor}-${position + 1}`}>
            <a href={fileRoutes.contentUrl(citation.fileId)} download={citation.filename}>
              {citation.filename}
            </a>
          </li>
        ))}
      </ol>
    </div>
  );
}

function Attachments({ fileIds, files }: { fileIds: string[]; files: Map<string, StoredFile> }) {
  if (fileIds.length === 0) return null;
  return (
    <ul class="attachments" aria-label={strings.conversation.attachments}>
      {fileIds.map((id) => {
        const file = files.get(id);
        const name = file?.filename ?? strings.conversation.attachmentFallback;
        return (
          <li key={id}>
            {file?.kind === 'image' ? (
              <a href={fileRoutes.contentUrl(id)} download={name}>
                <img src={fileRoutes.contentUrl(id)} alt={name} loading="lazy" />
              </a>
            ) : (
              <a href={fileRoutes.contentUrl(id)} download={name}>
                {name}
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}

interface Props {
  message: Message;
  files: Map<string, StoredFile>;
  /** The text while it streams in (replaces the stored content). */
  liveText?: string;
  /** Shown in place of the text (e.g. the editor of a new version). */
  body?: ComponentChildren;
  actions?: ComponentChildren;
}

export function MessageView({ message, files, liveText, body, actions }: Props) {
  const text = liveText ?? messageText(message);
  const fromUser = message.role === 'user';
  const note = STATUS_NOTES[message.status];
  const citations = message.citations ?? [];
  return (
    <article
      class={`message message-${message.role}`}
      aria-label={fromUser ? strings.conversation.yourMessage : strings.conversation.assistantReply}
      aria-busy={liveText !== undefined ? true : undefined}
      data-status={message.status}
      data-message-id={message.id}
    >
      <header class="message-head">
        <span class="message-author">{fromUser ? strings.conversation.you : strings.conversation.assistant}</span>
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
        {note && <span class={`badge status-${message.status}`}>{note}</span>}
      </header>
      {body ?? (fromUser ? <div class="plain-text">{text}</div> : <Markdown text={text} citations={citations} anchor={message.id} />)}
      <Attachments fileIds={message.fileIds ?? []} files={files} />
      <Citations citations={citations} anchor={message.id} />
      {liveText === undefined && (
        <footer class="message-meta">
          {message.usage && (
            <span title={format(strings.conversation.tokensInOut, { input: message.usage.inputTokens, output: message.usage.outputTokens })}>{formatTokens(message.usage.totalTokens)}</span>
          )}
          {message.cost !== null && message.cost !== undefined && <span>{formatCost(message.cost)}</span>}
          {actions}
        </footer>
      )}
    </article>
  );
}

