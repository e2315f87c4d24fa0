import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import yazl from 'yazl';

/** Builds a ZIP archive in memory (stored entries), e.g. to make a .docx. */
export function zipOf(entries: Record<string, string | Buffer>): Buffer {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { compress: false, mtime: new Date(0) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  const stream = zip.outputStream as unknown as { read(): Buffer | null };
  // The archive is built synchronously for buffer entries; drain what is ready.
  let chunk: Buffer | null;
  while ((chunk = stream.read()) !== null) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function zipOfAsync(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mtime: new Date(0) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function minimalPdf(text = 'Hello PDF'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n` +
      `4 0 obj<</Length ${text.length + 24}>>stream\nBT /F1 12 Tf 10 10 Td (${text}) Tj ET\nendstream endobj\n` +
      `trailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

export function minimalDocx(text = 'Hello DOCX'): Buffer {
  return zipOf({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'word/document.xml': `<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
  });
}

export function minimalPptx(text = 'Hello PPTX'): Buffer {
  return zipOf({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'ppt/presentation.xml': '<?xml version="1.0"?><p:presentation xmlns:p="p"/>',
    'ppt/slides/slide1.xml': `<?xml version="1.0"?><p:sld xmlns:p="p" xmlns:a="a"><a:t>${text}</a:t></p:sld>`,
  });
}

/** A 1x1 transparent PNG. */
export function minimalPng(): Buffer {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
}

/**
 * A PNG of exactly `size` bytes as far as typing by content goes (a real
 * signature and header, then filler), each one different.
 */
export function pngOfSize(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x2a);
  minimalPng().copy(bytes);
  randomBytes(16).copy(bytes, Math.min(minimalPng().length, size - 16));
  return bytes;
}

/** The start of a Windows executable: "MZ", then binary headers. */
export function peExecutable(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
}

const WORD_PARTS: Record<string, string> = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
};

interface DeflatedEntry {
  name: string;
  deflated: Buffer;
  inflatedSize: number;
  crc: number;
}

/** Raw-deflates the pieces through one stream, so no more than one piece is ever held inflated. */
async function deflateEntry(name: string, pieces: Iterable<Buffer>): Promise<DeflatedEntry> {
  const deflater = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    deflater.on('end', resolve);
    deflater.on('error', reject);
  });
  let inflatedSize = 0;
  let crc = 0;
  for (const piece of pieces) {
    inflatedSize += piece.length;
    crc = zlib.crc32(piece, crc);
    if (!deflater.write(piece)) await new Promise((resolve) => deflater.once('drain', resolve));
  }
  deflater.end();
  await ended;
  return { name, deflated: Buffer.concat(out), inflatedSize, crc };
}

/** A ZIP archive of deflated entries; `declaredSize` overrides the inflated size every header states. */
function zipOfDeflated(entries: DeflatedEntry[], declaredSize?: number): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const size = declaredSize ?? entry.inflatedSize;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.deflated);
    directory.push(central, name);
    offset += local.length + name.length + entry.deflated.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

/** A real (if minimal) Word document: the parts and relationships Word and mammoth look for, one paragraph per entry. */
export function wordDocument(paragraphs: string[]): Buffer {
  const body = paragraphs.map((text) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`).join('');
  return zipOf({
    ...WORD_PARTS,
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      `<w:body>${body}</w:body></w:document>`,
  });
}

/**
 * A Word document whose word/document.xml inflates to about `inflatedBytes`
 * (one paragraph of "A"s) from a few hundred kilobytes: a zip bomb. With
 * `lie`, its archive says every entry is 100 bytes once inflated, as a
 * hostile file would to slip past a check of the declared sizes.
 */
export async function zipBombDocx(inflatedBytes: number, options: { lie?: boolean; paragraphs?: boolean } = {}): Promise<Buffer> {
  // Either one long text, or (paragraphs) as many tiny paragraphs as fit: the most elements for the bytes.
  const unit = options.paragraphs ? '</w:t></w:r></w:p><w:p><w:r><w:t>a' : 'A';
  const megabyte = Buffer.from(unit.repeat(Math.floor((1024 * 1024) / unit.length)));
  function* documentXml(): Generator<Buffer> {
    yield Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>',
    );
    for (let written = 0; written < inflatedBytes; written += megabyte.length) yield megabyte;
    yield Buffer.from('</w:t></w:r></w:p></w:body></w:document>');
  }
  const entries = await Promise.all(Object.entries(WORD_PARTS).map(([name, text]) => deflateEntry(name, [Buffer.from(text)])));
  entries.push(await deflateEntry('word/document.xml', documentXml()));
  return zipOfDeflated(entries, options.lie ? 100 : undefined);
}
