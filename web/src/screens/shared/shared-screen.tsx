// A conversation someone shared: read-only, readable without signing in,
// its messages rendered as Markdown (sanitized, as in the chat).
import { useEffect } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { shares } from '../../api/endpoints';
import type { SharedThread } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { formatDateTime } from '../../lib/format';
import { format, strings } from '../../strings';
import { useMarkdown } from '../chat/use-markdown';

const text = strings.chat;
type SharedMessage = SharedThread['messages'][number];

const NO_OPTIONS = {};

function Markdown({ source }: { source: string }) {
  const html = useMarkdown(source, NO_OPTIONS);
  if (html === undefined) return <div class="plain-text">{source}</div>;
  // Safe: renderMarkdown escapes raw HTML, keeps only http(s)/mailto links, then sanitizes.
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

function SharedMessageView({ message }: { message: SharedMessage }) {
  const fromUser = message.role === 'user';
  return (
    <article class={`message message-${message.role}`} aria-label={fromUser ? text.user : text.assistant}>
      <header class="message-head">
        <span class="message-author">{fromUser ? text.user : text.assistant}</span>
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
      </header>
      {fromUser ? <div class="plain-text">{message.content}</div> : <Markdown source={message.content} />}
      {message.files && message.files.length > 0 && (
        <ul class="attachments" aria-label={text.sharedFiles}>
          {message.files.map((file) => (
            <li key={file.path}>
              <a href={file.path} download={file.filename}>
                {file.filename}
              </a>
            </li>
          ))}
        </ul>
      )}
      {message.sources && message.sources.length > 0 && <p class="meta">{format(text.sharedSources, { names: message.sources.join(', ') })}</p>}
    </article>
  );
}

/** The page's address holds the link's secret: search engines leave it out, and it is not passed on to other sites. */
function usePrivatePage(): void {
  useEffect(() => {
    const added = [
      Object.assign(document.createElement('meta'), { name: 'robots', content: 'noindex, nofollow' }),
      Object.assign(document.createElement('meta'), { name: 'referrer', content: 'no-referrer' }),
    ];
    document.head.append(...added);
    return () => added.forEach((meta) => meta.remove());
  }, []);
}

export function SharedScreen({ token }: { token: string }) {
  usePrivatePage();
  const shared = useLoader(() => shares.read(token), [token]);
  const gone = shared.error instanceof ApiError && shared.error.status === 404;
  const thread = shared.data;
  return (
    <main id="main" class="screen narrow shared-screen">
      <h1>{thread?.title?.trim() || text.sharedHeading}</h1>
      {shared.loading && !thread && <p aria-live="polite">{text.sharedLoading}</p>}
      {gone ? <p class="notice">{text.sharedGone}</p> : <ErrorNotice error={shared.error} />}
      {thread && (
        <>
          <p class="meta">{format(text.sharedAt, { date: formatDateTime(thread.sharedAt) })}</p>
          {thread.messages.length === 0 && <p class="empty">{text.sharedEmpty}</p>}
          <div class="shared-messages">
            {thread.messages.map((message, index) => (
              <SharedMessageView key={index} message={message} />
            ))}
          </div>
        </>
      )}
    </main>
  );
}
