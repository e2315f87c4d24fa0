// Holds the whole web client to the string catalog (web/src/strings): no
// user-facing words written straight into the JSX of any of its .tsx files —
// screens, components, the shell (pure source scan, no browser).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = process.cwd();
const WEB_SOURCE = join(ROOT, 'web', 'src');
/** Attributes and props whose value a person reads or hears. */
const WORDED_ATTRIBUTES = new Set(['aria-label', 'data-label', 'placeholder', 'title', 'alt', 'label', 'hint', 'context', 'confirmLabel']);
/** Text with a letter in it is words; punctuation, numbers and symbols alone are not. */
const HAS_WORDS = /\p{L}/u;

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsxFiles(join(dir, entry.name)) : entry.name.endsWith('.tsx') ? [join(dir, entry.name)] : [],
  );
}

/** The literal words an expression can evaluate to: a string, a template's text, either branch of `?:`, the right of `&&`/`||`/`??`. */
function literalWords(expression: ts.Expression): string[] {
  if (ts.isParenthesizedExpression(expression)) return literalWords(expression.expression);
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return [expression.text];
  if (ts.isTemplateExpression(expression)) return [expression.head.text, ...expression.templateSpans.map((span) => span.literal.text)];
  if (ts.isConditionalExpression(expression)) return [...literalWords(expression.whenTrue), ...literalWords(expression.whenFalse)];
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    const joins = [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken];
    if (joins.includes(operator)) return literalWords(expression.right);
  }
  return [];
}

/** Every literal user-facing text of a file, as "file:line: text". */
function literalTexts(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    if (!HAS_WORDS.test(text)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    found.push(`${relative(ROOT, file)}:${line}: ${text.trim().slice(0, 60)}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const text of literalWords(node.expression)) report(node, text);
    }
    if (ts.isJsxAttribute(node) && WORDED_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
      const value = node.initializer;
      if (ts.isStringLiteral(value)) report(node, value.text);
      else if (ts.isJsxExpression(value) && value.expression) for (const text of literalWords(value.expression)) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Words written straight into JSX, for the scan to find; punctuation and numbers pass. */
const PROBE = `
export function Probe({ busy, name }: { busy: boolean; name: string }) {
  return (
    <div>
      <p>Hello there</p>
      <input aria-label="Name" placeholder={'Search'} />
      <span>{busy ? 'Loading' : 'Ready'}</span>
      <button title={\`Remove item \${name}\`}>×</button>
      <span class="badge">{name} · 3</span>
    </div>
  );
}`;

describe('the string catalog', () => {
  const files = tsxFiles(WEB_SOURCE);

  it('scans every part of the client: the shell, each screen, the components', () => {
    const scanned = files.map((file) => relative(WEB_SOURCE, file));
    expect(scanned).toEqual(expect.arrayContaining(['app.tsx', 'router.tsx', 'session.tsx', 'screens/chat/chat-screen.tsx', 'screens/shared/shared-screen.tsx']));
    const parts = new Set(scanned.map((file) => file.split('/').slice(0, 2).join('/')));
    for (const part of ['components/top-bar.tsx', 'screens/chat', 'screens/shared', 'screens/auth', 'screens/settings', 'screens/usage', 'screens/assistants', 'screens/admin']) {
      expect(parts).toContain(part);
    }
  });

  it('holds every user-facing word of the client: none is written in its JSX', () => {
    expect(files.flatMap((file) => literalTexts(file))).toEqual([]);
  });

  it('notices words written in JSX text, in worded attributes and in conditional branches', () => {
    expect(literalTexts(join(ROOT, 'probe.tsx'), PROBE).map((entry) => entry.replace(/^.*?:\d+: /, ''))).toEqual([
      'Hello there',
      'Name',
      'Search',
      'Loading',
      'Ready',
      'Remove item',
    ]);
  });
});
