import { contentExtension, detectContentType, UnsupportedFileType } from './content-type.js';
import { archiveEntryName } from './file-archive.js';
import { MAX_PATH_DEPTH, safeFileName, safeRelativePath } from './file-names.js';
import { zipEntryNames } from './zip-entries.js';
import { minimalDocx, minimalPdf, minimalPng, minimalPptx, peExecutable, zipOf } from '../../test/support/sample-files.js';

describe('detectContentType', () => {
  it('recognizes documents and images by their bytes, whatever the name says', async () => {
    await expect(detectContentType(minimalPdf(), 'report.pdf')).resolves.toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
    await expect(detectContentType(minimalPdf(), 'no-extension')).resolves.toMatchObject({ mimeType: 'application/pdf' });
    await expect(detectContentType(minimalDocx(), 'letter.docx')).resolves.toMatchObject({ extension: '.docx' });
    await expect(detectContentType(minimalPng(), 'photo.png')).resolves.toMatchObject({ kind: 'image', mimeType: 'image/png' });
    await expect(detectContentType(Buffer.from('GIF89a\x01\x00'), 'a.gif')).resolves.toMatchObject({ mimeType: 'image/gif' });
    await expect(detectContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'a.jpg')).resolves.toMatchObject({ mimeType: 'image/jpeg' });
    await expect(detectContentType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '), 'a.webp')).resolves.toMatchObject({ mimeType: 'image/webp' });
  });

  it('names Office packages by their declared main part, and by their entries when they declare none', async () => {
    const declared = (main: string) =>
      zipOf({
        '[Content_Types].xml': `<?xml version="1.0"?><Types><Override PartName="/x.xml" ContentType="${main}.main+xml"/></Types>`,
        'x.xml': '<x/>',
      });
    await expect(detectContentType(declared('application/vnd.openxmlformats-officedocument.wordprocessingml.document'), 'a')).resolves.toMatchObject({
      extension: '.docx',
    });
    await expect(detectContentType(declared('application/vnd.ms-powerpoint.presentation.macroEnabled'), 'b')).resolves.toMatchObject({ extension: '.pptx' });
    await expect(detectContentType(declared('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), 'c.xlsx')).rejects.toThrow(
      UnsupportedFileType,
    );
    await expect(detectContentType(minimalPptx(), 'deck')).resolves.toMatchObject({ extension: '.pptx' });
  });

  it('gives the extension that matches a stored type', () => {
    expect(contentExtension('report', 'application/pdf')).toBe('.pdf');
    expect(contentExtension('report.txt', 'application/pdf')).toBe('.pdf');
    expect(contentExtension('notes.MD', 'text/markdown')).toBe('.md');
    expect(contentExtension('broken.json', 'text/plain')).toBe('.txt');
    expect(contentExtension('page', 'text/html')).toBe('.html');
    expect(contentExtension('photo', 'image/jpeg')).toBe('.jpg');
  });

  it('types text by content and picks the text format from the extension', async () => {
    await expect(detectContentType(Buffer.from('# Title\n'), 'notes.md')).resolves.toMatchObject({ mimeType: 'text/markdown' });
    await expect(detectContentType(Buffer.from('a,b\n1,2\n'), 'data.csv')).resolves.toMatchObject({ mimeType: 'text/csv' });
    await expect(detectContentType(Buffer.from('{"a":1}'), 'data.json')).resolves.toMatchObject({ mimeType: 'application/json' });
    await expect(detectContentType(Buffer.from('{"a":'), 'broken.json')).resolves.toMatchObject({ mimeType: 'text/plain' });
    await expect(detectContentType(Buffer.from('def f():\n  pass\n'), 'main.py')).resolves.toMatchObject({ mimeType: 'text/x-python' });
    await expect(detectContentType(Buffer.from('héllo wörld'), 'README')).resolves.toMatchObject({ mimeType: 'text/plain' });
  });

  it('refuses executables, disguised images, SVG and unknown binaries', async () => {
    await expect(detectContentType(peExecutable(), 'invoice.pdf')).rejects.toThrow(UnsupportedFileType);
    await expect(detectContentType(peExecutable(), 'tool.exe')).rejects.toThrow(UnsupportedFileType);
    await expect(detectContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'cat.png')).rejects.toThrow(
      UnsupportedFileType,
    );
    await expect(detectContentType(Buffer.from('<html><script>alert(1)</script></html>'), 'cat.jpg')).rejects.toThrow(UnsupportedFileType);
    await expect(detectContentType(Buffer.from('<html></html>'), 'x.txt', 'image/png')).rejects.toThrow(UnsupportedFileType);
    await expect(detectContentType(Buffer.from('<svg></svg>'), 'drawing.svg')).rejects.toThrow(UnsupportedFileType);
    await expect(detectContentType(minimalPdf(), 'photo.png')).rejects.toThrow(UnsupportedFileType);
    await expect(detectContentType(zipOf({ 'a.txt': 'x' }), 'archive.zip')).rejects.toThrow(UnsupportedFileType);
    await expect(detectContentType(Buffer.alloc(0), 'empty.txt')).rejects.toThrow(UnsupportedFileType);
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
