// Markdown to safe HTML, with highlighted code (highlight.js, common
// languages), maths (KaTeX: $…$ and $$…$$), GFM task lists and numbered
// citation markers. markdown-it runs with `html: false`, so raw HTML in a
// message is shown as text, and links are limited to http(s) and mailto; the
// result then goes through DOMPurify as a second, independent line of defence.
// Loaded lazily: only chat needs it. Highlighting and maths are loaded apart,
// when a text first needs them (`extrasFor`); until then code shows plain and
// maths as written.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import taskLists from 'markdown-it-task-lists';
import { format, strings } from '../strings';
import { citationMarkers, CITE_MARK, type CitedText } from './citation-markers';

const SAFE_LINK = /^(https?:|mailto:)/i;
/** Links of citation markers to the sources listed under the reply. */
const CITATION_LINK = /^#cite-[\w-]+$/;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());
// Images are left out: a reply could otherwise make the browser fetch any address.
markdown.disable('image');
markdown.use(taskLists, { enabled: false });

let highlight: ((code: string, language: string) => string | undefined) | undefined;
let loadingCode: Promise<void> | undefined;
let loadingMath: Promise<void> | undefined;
let mathReady = false;

/**
 * Loads what the text needs beyond plain Markdown (highlighting for a fenced
 * block, KaTeX for a dollar sign); undefined when all of it is there already.
 */
export function extrasFor(text: string): Promise<void> | undefined {
  const pending: Array<Promise<void>> = [];
  if (!highlight && /^ {0,3}(```|~~~)/m.test(text)) {
    loadingCode ??= import('./markdown-code').then((module) => void (highlight = module.highlight));
    pending.push(loadingCode);
  }
  if (!mathReady && text.includes('$')) {
    loadingMath ??= import('./markdown-math').then((module) => {
      module.addMath(markdown);
      mathReady = true;
    });
    pending.push(loadingMath);
  }
  return pending.length > 0 ? Promise.all(pending).then(() => undefined) : undefined;
}

/** A code block: its language, a copy button (handled by the message view), the highlighted code. */
markdown.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index];
  const language = token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const highlighted = highlight?.(token.content, language);
  const known = highlighted !== undefined;
  const code = highlighted ?? escapeHtml(token.content);
  const label = escapeHtml(language || strings.conversation.codeLabel);
  return (
    `<div class="code-block"><div class="code-head"><span class="code-language">${label}</span>` +
    `<button type="button" class="code-copy" data-copy-code="">${escapeHtml(strings.conversation.copyCode)}</button></div>` +
    `<pre><code class="hljs${known ? ` language-${language}` : ''}">${code}</code></pre></div>`
  );
};

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  // Only the renderer makes inputs (raw HTML is escaped): task list boxes, shown, never used.
  if (node.tagName === 'INPUT') {
    if (node.getAttribute('type') !== 'checkbox') node.remove();
    else node.setAttribute('disabled', '');
    return;
  }
  // Only the renderer makes buttons: a code block's copy button, which submits nothing.
  if (node.tagName === 'BUTTON') {
    node.setAttribute('type', 'button');
    return;
  }
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href') ?? '';
  if (CITATION_LINK.test(href)) return;
  if (!SAFE_LINK.test(href)) {
    node.removeAttribute('href');
    return;
  }
  // Links open in a new tab, with no access to this page and no referrer.
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer nofollow');
});

/** Replaces the citation marks left in the text by numbered links to the sources. */
function linkCitations(html: string, cited: CitedText): string {
  if (cited.count === 0) return html;
  return html.replace(new RegExp(`${CITE_MARK}(\\d+)${CITE_MARK}`, 'g'), (_whole, number: string) => {
    const label = escapeHtml(format(strings.conversation.citationOf, { number, name: cited.names[Number(number) - 1] ?? '' }));
    return `<sup class="citation-marker"><a href="#cite-${cited.anchor}-${number}" title="${label}" aria-label="${label}">${number}</a></sup>`;
  });
}

export interface RenderOptions {
  citations?: ReadonlyArray<{ fileId: string; filename: string; index: number }>;
  /** Makes citation anchors unique on the page (the message id). */
  anchor?: string;
}

export function renderMarkdown(text: string, options: RenderOptions = {}): string {
  const cited = citationMarkers(text, options.citations ?? [], options.anchor ?? 'reply');
  return purifier.sanitize(linkCitations(markdown.render(cited.text), cited), {
    // Addresses: http(s), mailto and citation anchors; values that are not addresses (a box's type, KaTeX's styles) pass.
    ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|#cite-|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
    FORBID_TAGS: ['style', 'img', 'form', 'iframe', 'textarea', 'select'],
    FORBID_ATTR: ['id', 'name', 'form', 'formaction', 'action'],
  });
}
