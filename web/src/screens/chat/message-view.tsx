import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { files as fileRoutes } from '../../api/endpoints';
import type { Citation, Message, StoredFile } from '../../api/types';
import { formatCost, formatDateTime, formatTokens } from '../../lib/format';
import { messageText } from './use-chat';
import { useMarkdown } from './use-markdown';

const STATUS_NOTES: Partial<Record<Message['status'], string>> = {
  cancelled: 'Stopped',
  incomplete: 'Incomplete',
  streaming: 'Writing…',
};

function Markdown({ text }: { text: string }) {
  const render = useMarkdown();
  const html = useMemo(() => (render ? render(text) : undefined), [render, text]);
  if (html === undefined) return <div class="plain-text">{text}</div>;
  // Safe: renderMarkdown escapes raw HTML, keeps only http(s)/mailto links, then sanitizes.
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

function Citations({ citations }: { citations: Citation[] }) {
  const unique = citations.filter((citation, index) => citations.findIndex((other) => other.fileId === citation.fileId) === index);
  if (unique.length === 0) return null;
  return (
    <div class="citations">
      <h3>Sources</h3>
      <ol>
        {unique.map((citation) => (
          <li key={citation.fileId}>
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
    <ul class="attachments" aria-label="Attachments">
      {fileIds.map((id) => {
        const file = files.get(id);
        const name = file?.filename ?? 'attachment';
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
  actions?: ComponentChildren;
}

export function MessageView({ message, files, liveText, actions }: Props) {
  const text = liveText ?? messageText(message);
  const fromUser = message.role === 'user';
  const note = STATUS_NOTES[message.status];
  return (
    <article
      class={`message message-${message.role}`}
      aria-label={fromUser ? 'Your message' : 'Assistant reply'}
      aria-busy={liveText !== undefined ? true : undefined}
      data-status={message.status}
      data-message-id={message.id}
    >
      <header class="message-head">
        <span class="message-author">{fromUser ? 'You' : 'Assistant'}</span>
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
        {note && <span class={`badge status-${message.status}`}>{note}</span>}
      </header>
      {fromUser ? <div class="plain-text">{text}</div> : <Markdown text={text} />}
      <Attachments fileIds={message.fileIds ?? []} files={files} />
      {message.citations && <Citations citations={message.citations} />}
      {!fromUser && liveText === undefined && (
        <footer class="message-meta">
          {message.usage && (
            <span title={`${message.usage.inputTokens} in, ${message.usage.outputTokens} out`}>{formatTokens(message.usage.totalTokens)}</span>
          )}
          {message.cost !== null && message.cost !== undefined && <span>{formatCost(message.cost)}</span>}
          {actions}
        </footer>
      )}
    </article>
  );
}
