import yazl from 'yazl';
import { declaredInflatedBytes, documentText as readDocument, MAX_DOCUMENT_INFLATED_BYTES } from './document-text.js';

const LIMITS = { heapMb: 64, timeoutMs: 10_000 };
const documentText = (content: AsyncIterable<Buffer>, size: number, maxChars: number) => readDocument(content, size, maxChars, LIMITS);

async function zip(entries: Record<string, string>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) archive.addBuffer(Buffer.from(content), name, { mtime: new Date(0) });
  archive.end();
  const chunks: Buffer[] = [];
  for await (const chunk of archive.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* chunksOf(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

const WORD = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const document = (text: string) => ({
  '[Content_Types].xml':
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  'word/document.xml': `<?xml version="1.0"?><w:document xmlns:w="${WORD}"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
});

describe('documentText', () => {
  it("reads a Word document's text, cut to the character cap", async () => {
    const bytes = await zip(document('The budget is 4200 euros.'));
    expect(await documentText(chunksOf(bytes), bytes.length, 1_000)).toBe('The budget is 4200 euros.');
    expect(await documentText(chunksOf(bytes), bytes.length, 10)).toBe('The budget');
  });

  it('sums the inflated sizes the archive declares', async () => {
    const entries = { a: 'x'.repeat(1_000), b: 'y'.repeat(500) };
    expect(declaredInflatedBytes(await zip(entries))).toBe(1_500);
    expect(declaredInflatedBytes(Buffer.from('not a zip'))).toBe(Infinity);
  });

  it('does not open an archive that says it inflates past the limit, nor one longer than its stored size, nor a broken one', async () => {
    const bytes = await zip(document('Huge'));
    // Claim a huge inflated size for the first entry in the central directory.
    const directory = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(MAX_DOCUMENT_INFLATED_BYTES + 1, directory + 24);
    expect(declaredInflatedBytes(bytes)).toBeGreaterThan(MAX_DOCUMENT_INFLATED_BYTES);
    expect(await documentText(chunksOf(bytes), bytes.length, 1_000)).toBeNull();

    const fine = await zip(document('Fine'));
    expect(await documentText(chunksOf(fine), fine.length - 1, 1_000)).toBeNull();
    const broken = await zip({ 'word/document.xml': 'not xml <' });
    expect(await documentText(chunksOf(broken), broken.length, 1_000)).toBeNull();
  });

  it('reads in a worker thread: a document needing more heap or time than allowed is unreadable, and the server thread stays free', async () => {
    // 16 MB of tiny paragraphs, under the inflate guard: millions of nodes for mammoth (gigabytes, minutes on the main thread).
    const paragraphs = '</w:t></w:r></w:p><w:p><w:r><w:t>a'.repeat(450_000);
    const dense = await zip(document(paragraphs));
    expect(dense.length).toBeLessThan(200_000);
    const heapBefore = process.memoryUsage().heapUsed;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    const text = await readDocument(chunksOf(dense), dense.length, 1_000, { heapMb: 32, timeoutMs: 20_000 });
    clearInterval(ticker);
    expect(text).toBeNull();
    const elapsed = Date.now() - started;
    // This thread kept running its timers while the worker worked and died.
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);

    const fine = await zip(document('On time'));
    expect(await readDocument(chunksOf(fine), fine.length, 1_000, { heapMb: 64, timeoutMs: 1 })).toBeNull();
    expect(await readDocument(chunksOf(fine), fine.length, 1_000, { heapMb: 64, timeoutMs: 10_000 })).toBe('On time');
  }, 30_000);
});
