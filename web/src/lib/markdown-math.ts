// Maths in Markdown ($…$ and $$…$$, KaTeX), loaded when a text first has a
// dollar sign: KaTeX is the heaviest part of the renderer. Its stylesheet and
// fonts are built apart; the page names the built stylesheet.
import katexModule from '@vscode/markdown-it-katex';

// A CommonJS module marked __esModule: bundled for a "type": "module" package, its default import is the whole exports object.
const markdownKatex = (katexModule as unknown as { default?: typeof katexModule }).default ?? katexModule;

function loadMathStylesheet(): void {
  const href = document.querySelector<HTMLMetaElement>('meta[name="math-stylesheet"]')?.content;
  if (!href || document.querySelector('link[data-math-stylesheet]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.dataset.mathStylesheet = '';
  document.head.append(link);
}

export function addMath(markdown: Parameters<typeof markdownKatex>[0]): void {
  loadMathStylesheet();
  markdown.use(markdownKatex, { throwOnError: false, enableFencedBlocks: true });
}
