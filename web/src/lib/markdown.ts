// Markdown to safe HTML, with highlighted code (highlight.js, common
// languages), maths (KaTeX: $…$ and $$…$$), GFM task lists and numbered
// citation markers. markdown-it runs with `html: false`, so raw HTML in a
// message is shown as text, and links are limited to http(s) and mailto; the
// result then goes through DOMPurify as a second, independent line of defence.
// Loaded lazily: it is the largest part of the client and only chat needs it.
import katexModule from '@vscode/markdown-it-katex';
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/common';
import MarkdownIt from 'markdown-it';
import taskLists from 'markdown-it-task-lists';
import { strings } from '../strings';
import { citationMarkers, CITE_MARK, type CitedText } from './citation-markers';

const SAFE_LINK = /^(https?:|mailto:)/i;
/** Links of citation markers to the sources listed under the reply. */
const CITATION_LINK = /^#cite-[\w-]+$/;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());
// Images are left out: a reply could otherwise make the browser fetch any address.
markdown.disable('image');
// A CommonJS module marked __esModule: bundled for a "type": "module" package, its default import is the whole exports object.
const markdownKatex = (katexModule as unknown as { default?: typeof katexModule }).default ?? katexModule;
markdown.use(markdownKatex, { throwOnError: false, enableFencedBlocks: true });
markdown.use(taskLists, { enabled: false });

/** A code block: its language, a copy button (handled by the message view), the highlighted code. */
markdown.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index];
  const language = token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const known = language !== '' && hljs.getLanguage(language) !== undefined;
  const code = known ? hljs.highlight(token.content, { language, ignoreIllegals: true }).value : escapeHtml(token.content);
  const label = escapeHtml(language || strings.conversation.codeLabel);
  return (
    `<div class="code-block"><div class="code-head"><span class="code-language">${label}</span>` +
    `<button type="button" class="code-copy" data-copy-code="">${escapeHtml(strings.conversation.copyCode)}</button></div>` +
    `<pre><code class="hljs${known ? ` language-${language}` : ''}">${code}</code></pre></div>`
  );
};

/** KaTeX's stylesheet and fonts come with this module: the page names the built stylesheet. */
function loadMathStylesheet(): void {
  const href = document.querySelector<HTMLMetaElement>('meta[name="math-stylesheet"]')?.content;
  if (!href || document.querySelector('link[data-math-stylesheet]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.dataset.mathStylesheet = '';
  document.head.append(link);
}
loadMathStylesheet();

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  // Only the renderer makes inputs (raw HTML is escaped): task list boxes, shown, never used.
  if (node.tagName === 'INPUT') {
    if (node.getAttribute('type') !== 'checkbox') node.remove();
    else node.setAttribute('disabled', '');
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
    const label = escapeHtml(cited.names[Number(number) - 1] ?? '');
    return `<sup class="citation-marker"><a href="#cite-${cited.anchor}-${number}" title="${label}">${number}</a></sup>`;
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
    FORBID_ATTR: ['id', 'name'],
  });
}
