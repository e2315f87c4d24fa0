import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(process.cwd(), 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = sources(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const importsOf = (text: string) => [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);

describe('the shape of src/', () => {
  it('uses TypeORM only in the database module and in entity declarations', () => {
    const entity = (path: string) => path.endsWith('.entity.ts') || path.endsWith('.entities.ts');
    const outside = files
      .filter((file) => !file.path.startsWith('database/') && !entity(file.path) && /from 'typeorm'/.test(file.text))
      .map((file) => file.path);
    expect(outside).toEqual([]);
  });

  it('loads the S3 client only where FILE_STORAGE=s3 asks for it (a dynamic import)', () => {
    const s3Files = files.filter((file) => /from '@aws-sdk\//.test(file.text)).map((file) => file.path);
    expect(s3Files.length).toBeGreaterThan(0);
    const staticImporters = files.filter((file) =>
      importsOf(file.text).some((target) => s3Files.includes(relative(SRC, join(SRC, file.path, '..', target)).replace(/\.js$/, '.ts'))) && !s3Files.includes(file.path),
    );
    expect(staticImporters.map((file) => file.path)).toEqual([]);
  });

  it('has no file over 300 lines', () => {
    const long = files.filter((file) => file.text.split('\n').length > 301).map((file) => file.path);
    expect(long).toEqual([]);
  });

  it('keeps common/ free of feature modules and files/ free of assistants and documents', () => {
    const features = ['auth', 'settings', 'assistants', 'documents', 'files', 'threads', 'runs', 'chat', 'usage', 'metrics', 'health', 'upstream-sync'];
    const wrong = files.flatMap((file) => {
      const area = file.path.split('/')[0];
      const forbidden = area === 'common' ? features : area === 'files' ? ['assistants', 'documents'] : [];
      return importsOf(file.text)
        .map((target) => relative(SRC, join(SRC, file.path, '..', target)).split('/')[0])
        .filter((target) => forbidden.includes(target))
        .map((target) => `${file.path} -> ${target}/`);
    });
    expect(wrong).toEqual([]);
  });
});
