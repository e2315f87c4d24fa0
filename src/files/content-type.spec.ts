import { detectContentType, UnsupportedFileType } from './content-type.js';
import { archiveEntryName } from './file-archive.js';
import { MAX_PATH_DEPTH, safeFileName, safeRelativePath } from './file-names.js';
import { zipEntryNames } from './zip-entries.js';
import { minimalDocx, minimalPdf, minimalPng, peExecutable, zipOf } from '../../test/support/sample-files.js';

describe('detectContentType', () => {
  it('recognizes documents and images by their bytes, whatever the name says', () => {
    expect(detectContentType(minimalPdf(), 'report.pdf')).toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
    expect(detectContentType(minimalPdf(), 'no-extension')).toMatchObject({ mimeType: 'application/pdf' });
    expect(detectContentType(minimalDocx(), 'letter.docx')).toMatchObject({ extension: '.docx' });
    expect(detectContentType(minimalPng(), 'photo.png')).toMatchObject({ kind: 'image', mimeType: 'image/png' });
    expect(detectContentType(Buffer.from('GIF89a\x01\x00'), 'a.gif')).toMatchObject({ mimeType: 'image/gif' });
    expect(detectContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'a.jpg')).toMatchObject({ mimeType: 'image/jpeg' });
    expect(detectContentType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '), 'a.webp')).toMatchObject({ mimeType: 'image/webp' });
  });

  it('types text by content and picks the text format from the extension', () => {
    expect(detectContentType(Buffer.from('# Title\n'), 'notes.md')).toMatchObject({ mimeType: 'text/markdown' });
    expect(detectContentType(Buffer.from('a,b\n1,2\n'), 'data.csv')).toMatchObject({ mimeType: 'text/csv' });
    expect(detectContentType(Buffer.from('{"a":1}'), 'data.json')).toMatchObject({ mimeType: 'application/json' });
    expect(detectContentType(Buffer.from('{"a":'), 'broken.json')).toMatchObject({ mimeType: 'text/plain' });
    expect(detectContentType(Buffer.from('def f():\n  pass\n'), 'main.py')).toMatchObject({ mimeType: 'text/x-python' });
    expect(detectContentType(Buffer.from('héllo wörld'), 'README')).toMatchObject({ mimeType: 'text/plain' });
  });

  it('refuses executables, disguised images, SVG and unknown binaries', () => {
    expect(() => detectContentType(peExecutable(), 'invoice.pdf')).toThrow(UnsupportedFileType);
    expect(() => detectContentType(peExecutable(), 'tool.exe')).toThrow(UnsupportedFileType);
    expect(() => detectContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'cat.png')).toThrow(
      UnsupportedFileType,
    );
    expect(() => detectContentType(Buffer.from('<html><script>alert(1)</script></html>'), 'cat.jpg')).toThrow(UnsupportedFileType);
    expect(() => detectContentType(Buffer.from('<html></html>'), 'x.txt', 'image/png')).toThrow(UnsupportedFileType);
    expect(() => detectContentType(Buffer.from('<svg></svg>'), 'drawing.svg')).toThrow(UnsupportedFileType);
    expect(() => detectContentType(minimalPdf(), 'photo.png')).toThrow(UnsupportedFileType);
    expect(() => detectContentType(zipOf({ 'a.txt': 'x' }), 'archive.zip')).toThrow(UnsupportedFileType);
    expect(() => detectContentType(Buffer.alloc(0), 'empty.txt')).toThrow(UnsupportedFileType);
  });
});

describe('zipEntryNames', () => {
  it('lists the entries of an archive and rejects garbage', () => {
    expect(zipEntryNames(zipOf({ 'a.txt': 'x', 'dir/b.txt': 'y' }))).toEqual(['a.txt', 'dir/b.txt']);
    expect(zipEntryNames(Buffer.from('PK\x03\x04 not really'))).toBeUndefined();
  });
});

describe('file names', () => {
  it('keeps only a clean base name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\report.pdf')).toBe('report.pdf');
    expect(safeFileName('evil\u0000.txt')).toBe('evil.txt');
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('')).toBe('file');
    expect(safeFileName(`${'a'.repeat(300)}.pdf`)).toHaveLength(255);
    expect(safeFileName(`${'a'.repeat(300)}.pdf`).endsWith('.pdf')).toBe(true);
  });

  it('normalizes relative paths without ever climbing out', () => {
    expect(safeRelativePath('docs/sub/a.md')).toBe('docs/sub/a.md');
    expect(safeRelativePath('../../x/./y\\z.txt')).toBe('x/y/z.txt');
    expect(safeRelativePath('/abs/path.txt')).toBe('abs/path.txt');
    expect(safeRelativePath('..')).toBeNull();
  });
  it('drops Windows drive letters, UNC and device prefixes, and caps depth and length', () => {
    expect(safeRelativePath('C:/x')).toBe('x');
    expect(safeRelativePath('C:\\Users\\me\\a.txt')).toBe('Users/me/a.txt');
    expect(safeRelativePath('/C:/x')).toBe('x');
    expect(safeRelativePath('c:relative.txt')).toBe('relative.txt');
    expect(safeRelativePath('\\\\server\\share\\folder\\x.txt')).toBe('folder/x.txt');
    expect(safeRelativePath('//server/share/x')).toBe('x');
    expect(safeRelativePath('\\\\?\\C:\\dir\\x')).toBe('dir/x');
    expect(safeRelativePath('\\\\?\\UNC\\server\\share\\x')).toBe('x');
    expect(safeRelativePath('\\\\server\\share')).toBeNull();
    const deep = safeRelativePath(`${Array.from({ length: 400 }, () => 'a').join('/')}/leaf.txt`)!;
    expect(deep.split('/')).toHaveLength(MAX_PATH_DEPTH + 1);
    expect(deep.endsWith('/leaf.txt')).toBe(true);
    const long = safeRelativePath(`${Array.from({ length: 30 }, (_, index) => `${index}`.padEnd(300, 'x')).join('/')}/leaf.txt`)!;
    expect(long.length).toBeLessThanOrEqual(1024);
    expect(long.split('/').every((segment) => segment.length <= 255)).toBe(true);
    expect(long.endsWith('/leaf.txt')).toBe(true);
    expect(safeFileName('C:report.pdf')).toBe('report.pdf');
  });

  it('names archive entries validly whatever a stored row holds', () => {
    for (const relativePath of ['C:/evil.txt', '../../up.txt', '/abs/a.txt', 'trailing/', '\\\\host\\share', '', null]) {
      for (const filename of ['C:name.txt', '..', '', 'plain.txt']) {
        const name = archiveEntryName({ relativePath, filename });
        expect({ relativePath, filename, name }).toEqual({ relativePath, filename, name: expect.not.stringMatching(/^([a-z]:|\/)|(^|\/)\.\.(\/|$)|\/$|^$/i) });
      }
    }
  });
});
