// Holds the screens to the string catalog (web/src/strings): no user-facing
// words written straight into the JSX of the screens below (pure source scan,
// no browser).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = process.cwd();
const SCANNED = ['screens/auth', 'screens/settings', 'screens/usage', 'screens/assistants', 'screens/admin', 'components'].map((dir) =>
  join(ROOT, 'web', 'src', dir),
);
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
  const files = SCANNED.flatMap(tsxFiles);

  it('scans the screens it is meant to', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('holds every user-facing word of these screens: none is written in their JSX', () => {
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
