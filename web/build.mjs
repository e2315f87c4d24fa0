// Builds the browser client into dist/web: bundled, minified, hashed file
// names under assets/ (served with a long cache), and an index.html that
// points at them (served with no-cache). `--watch` rebuilds on change.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));
const outDir = join(webDir, '..', 'dist', 'web');
const assetsDir = join(outDir, 'assets');
const watch = process.argv.includes('--watch');

/** Writes index.html with the entry's hashed script and stylesheet, and copies public/. */
function writePage(metafile) {
  const outputs = Object.entries(metafile.outputs);
  const [script, entry] = outputs.find(([, output]) => output.entryPoint === 'web/src/main.tsx') ?? [];
  if (!script) throw new Error('the build produced no entry script');
  const toUrl = (file) => `/${relative(outDir, file).split('\\').join('/')}`;
  const [math] = outputs.find(([, output]) => output.entryPoint === 'web/src/styles/math.css') ?? [];
  const head = [
    math && `<meta name="math-stylesheet" content="${toUrl(math)}" />`,
    entry.cssBundle && `<link rel="stylesheet" href="${toUrl(entry.cssBundle)}" />`,
    `<script type="module" src="${toUrl(script)}"></script>`,
  ].filter(Boolean);
  const template = readFileSync(join(webDir, 'index.html'), 'utf8');
  writeFileSync(join(outDir, 'index.html'), template.replace('<!-- build:head -->', head.join('\n    ')));
  cpSync(join(webDir, 'public'), outDir, { recursive: true });
}

function summary(metafile) {
  const lines = Object.entries(metafile.outputs)
    .filter(([file]) => !file.endsWith('.map') && !file.endsWith('.txt'))
    .map(([file]) => {
      const bytes = readFileSync(file);
      return `  ${basename(file).padEnd(36)} ${(bytes.length / 1024).toFixed(1).padStart(7)} kB  (gzip ${(gzipSync(bytes).length / 1024).toFixed(1)} kB)`;
    });
  return `web client built into ${relative(process.cwd(), outDir) || outDir}\n${lines.join('\n')}\n`;
}

const pagePlugin = {
  name: 'page',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0 || !result.metafile) return;
      writePage(result.metafile);
      process.stdout.write(summary(result.metafile));
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
mkdirSync(assetsDir, { recursive: true });

const options = {
  absWorkingDir: join(webDir, '..'),
  entryPoints: ['web/src/main.tsx', 'web/src/styles/math.css'],
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
  outdir: assetsDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['es2022', 'chrome111', 'firefox115', 'safari16'],
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !watch,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [pagePlugin],
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  process.stdout.write('watching web/src for changes\n');
} else {
  await esbuild.build(options);
}
