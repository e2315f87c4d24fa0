// Markdown to safe HTML. markdown-it runs with `html: false`, so raw HTML in a
// message is shown as text, and links are limited to http(s) and mailto; the
// result then goes through DOMPurify as a second, independent line of defence.
// Loaded lazily: it is the largest part of the client and only chat needs it.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const SAFE_LINK = /^(https?:|mailto:)/i;

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());
// Images are left out: a reply could otherwise make the browser fetch any address.
markdown.disable('image');

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  if (!SAFE_LINK.test(node.getAttribute('href') ?? '')) {
    node.removeAttribute('href');
    return;
  }
  // Links open in a new tab, with no access to this page and no referrer.
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer nofollow');
});

export function renderMarkdown(text: string): string {
  return purifier.sanitize(markdown.render(text), {
    ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'iframe'],
  });
}
