// Syntax highlighting of code blocks (highlight.js with its common
// languages), loaded when a text first has a fenced code block.
import hljs from 'highlight.js/lib/common';

/** The code as highlighted HTML, or undefined for a language highlight.js does not know. */
export function highlight(code: string, language: string): string | undefined {
  if (language === '' || hljs.getLanguage(language) === undefined) return undefined;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
