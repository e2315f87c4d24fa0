import { randomBytes } from 'node:crypto';
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
