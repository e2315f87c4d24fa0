import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { CHUNK_BYTES } from '../../src/files/postgres-bytes-store.js';
import { registerUser } from '../support/session-client.js';
import { download, storedRowCounts, uploadFile } from '../support/platform-api.js';
import { minimalDocx, minimalPdf, minimalPng, minimalPptx, peExecutable } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Characters that must never reach a Content-Disposition header: controls and bidi overrides. */
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/**
 * A multipart body written by hand, for file names no form library would send
 * as they are (a NUL byte only travels percent-encoded in `filename*`).
 */
function handWrittenMultipart(parts: Array<{ disposition: string; bytes: Buffer; contentType?: string }>) {
  const boundary = `----e2e${Date.now().toString(16)}`;
  const chunks = parts.flatMap((part) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; ${part.disposition}\r\n` +
        `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      'utf8',
    ),
    part.bytes,
    Buffer.from('\r\n'),
  ]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]) };
}

/**
 * A document of exactly `size` bytes, nearly all of them random: the content
 * typing takes it for a PDF by its header, and random bytes catch any chunk
 * stored out of order, twice or cut short.
 */
function pdfOfSize(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n1 0 obj<<>>stream\n', 'latin1');
  const tail = Buffer.from('\nendstream endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
}

/** The sizes of a file's stored chunks, in order. */
async function chunkSizes(testApp: TestApp, fileId: string): Promise<number[]> {
  const rows = await testApp.dataSource.query('SELECT length(data) AS size FROM file_chunks WHERE file_id = $1 ORDER BY seq', [fileId]);
  return rows.map((row: { size: number }) => row.size);
}

/** The file names a Content-Disposition header offers (token or quoted `filename`, then `filename*` decoded). */
function dispositionNames(header: string): string[] {
  const plain = /filename=(?:"((?:[^"\\]|\\.)*)"|([^;\s"]+))/.exec(header);
  const extended = /filename\*=UTF-8''([^;\s]+)/i.exec(header)?.[1];
  return [plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2], extended === undefined ? undefined : decodeURIComponent(extended)].filter(
    (name): name is string => name !== undefined,
  );
}

describe('files: upload, typing by content, download', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);

  it('stores a PDF, a DOCX, a PPTX, a text file and a PNG, typed by content, and serves each back byte for byte', async () => {
    const user = await registerUser(testApp.baseUrl);
    const samples = [
      { name: 'report.pdf', bytes: minimalPdf('Quarterly report'), mimeType: 'application/pdf', kind: 'document' },
      {
        name: 'letter.docx',
        bytes: minimalDocx('Dear reader'),
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        kind: 'document',
      },
      {
        name: 'slides.pptx',
        bytes: minimalPptx('Roadmap'),
        mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        kind: 'document',
      },
      { name: 'notes.txt', bytes: Buffer.from('Plain notes, with ünïcödé.\n'), mimeType: 'text/plain', kind: 'document' },
      { name: 'pixel.png', bytes: minimalPng(), mimeType: 'image/png', kind: 'image' },
    ];
    const upload = api().post('/api/upload').set('Cookie', user.cookie);
    for (const sample of samples) upload.attach('files', sample.bytes, sample.name);
    const uploaded = await upload.expect(201);
    expect(uploaded.body).toMatchObject({ assistantId: null, message: expect.any(String) });
    expect(uploaded.body.fileIds).toHaveLength(samples.length);

    for (const [index, sample] of samples.entries()) {
      const fileId = uploaded.body.fileIds[index];
      const file = await api().get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
      expect(file.body).toMatchObject({
        id: fileId,
        filename: sample.name,
        relativePath: null,
        mimeType: sample.mimeType,
        kind: sample.kind,
        sizeBytes: sample.bytes.length,
        sha256: sha256(sample.bytes),
        status: 'ready',
        assistants: [],
      });

      const content = await download(testApp.baseUrl, user.cookie, fileId).expect(200);
      expect(Buffer.compare(content.body as Buffer, sample.bytes)).toBe(0);
      expect(content.headers['content-disposition']).toMatch(/^attachment;/);
      expect(dispositionNames(content.headers['content-disposition'] as string)).toEqual([sample.name]);
      expect(content.headers['x-content-type-options']).toBe('nosniff');
      expect(content.headers['content-type']).toBe(sample.mimeType.startsWith('text/') ? `${sample.mimeType}; charset=utf-8` : sample.mimeType);
      expect(content.headers['content-length']).toBe(String(sample.bytes.length));
    }

    const listed = await api().get('/api/files').set('Cookie', user.cookie).expect(200);
    expect(listed.headers['x-total-count']).toBe(String(samples.length));
    expect(listed.body.map((file: { id: string }) => file.id).sort()).toEqual([...uploaded.body.fileIds].sort());
    const images = await api().get('/api/files?kind=image').set('Cookie', user.cookie).expect(200);
    expect(images.body.map((file: { filename: string }) => file.filename)).toEqual(['pixel.png']);
  });

  it('decides the type from the bytes, not from the name or the content type the client claims', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const cases = [
      { bytes: minimalPdf(), name: 'scan.bin', claimed: 'text/plain', mimeType: 'application/pdf', kind: 'document' },
      { bytes: minimalPdf('Without an extension'), name: 'no-extension', claimed: 'application/octet-stream', mimeType: 'application/pdf', kind: 'document' },
      { bytes: minimalPng(), name: 'picture', claimed: 'application/pdf', mimeType: 'image/png', kind: 'image' },
      { bytes: minimalDocx(), name: 'contract.pdf', claimed: 'application/pdf', mimeType: expect.stringContaining('wordprocessingml'), kind: 'document' },
      { bytes: Buffer.from('# Heading\n'), name: 'readme.md', claimed: 'application/pdf', mimeType: 'text/markdown', kind: 'document' },
    ];
    for (const sample of cases) {
      const response = await api()
        .post('/api/upload')
        .set('Cookie', cookie)
        .attach('file', sample.bytes, { filename: sample.name, contentType: sample.claimed })
        .expect(201);
      expect(response.body.files[0]).toMatchObject({ filename: sample.name, mimeType: sample.mimeType, kind: sample.kind });
      const content = await download(testApp.baseUrl, cookie, response.body.fileIds[0]).expect(200);
      expect(content.headers['content-type']).not.toBe(sample.claimed);
    }
  });

  it('serves an HTML document only as a sandboxed attachment, never as a page', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const page = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const uploaded = await uploadFile(testApp.baseUrl, cookie, page, 'page.html');
    expect(uploaded.files[0]).toMatchObject({ mimeType: 'text/html', kind: 'document' });
    const content = await download(testApp.baseUrl, cookie, uploaded.fileIds[0]).expect(200);
    expect(content.headers['content-disposition']).toMatch(/^attachment;/);
    expect(content.headers['x-content-type-options']).toBe('nosniff');
    expect(content.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.compare(content.body as Buffer, page)).toBe(0);
  });

  it('refuses a Windows executable renamed .pdf with 415 and stores nothing', async () => {
    const user = await registerUser(testApp.baseUrl);
    const response = await api()
      .post('/api/upload')
      .set('Cookie', user.cookie)
      .attach('file', peExecutable(), { filename: 'invoice.pdf', contentType: 'application/pdf' });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('unsupported_media_type');
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
  });

  it('refuses SVG and HTML disguised as images with 415', async () => {
    const user = await registerUser(testApp.baseUrl);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>');
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const disguises = [
      { bytes: svg, filename: 'cat.png', contentType: 'image/png' },
      { bytes: svg, filename: 'cat.svg', contentType: 'image/svg+xml' },
      { bytes: svg, filename: 'cat.txt', contentType: 'text/plain' },
      { bytes: html, filename: 'cat.jpg', contentType: 'image/jpeg' },
      { bytes: html, filename: 'cat.gif', contentType: 'application/octet-stream' },
      { bytes: html, filename: 'cat', contentType: 'image/webp' },
    ];
    for (const { bytes, filename, contentType } of disguises) {
      const response = await api().post('/api/upload').set('Cookie', user.cookie).attach('file', bytes, { filename, contentType });
      expect({ filename, contentType, status: response.status, code: response.body.code }).toEqual({
        filename,
        contentType,
        status: 415,
        code: 'unsupported_media_type',
      });
    }
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
  });

  it('stores nothing from a multi-file upload when one of its files is refused', async () => {
    const user = await registerUser(testApp.baseUrl);
    await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Kept'), 'kept.pdf');
    const before = await storedRowCounts(testApp.dataSource, user.userId);
    expect(before).toEqual({ files: 1, chunks: 1 });

    const response = await api()
      .post('/api/upload')
      .set('Cookie', user.cookie)
      .attach('files', minimalPdf('One'), 'one.pdf')
      .attach('files', Buffer.from('two'), 'two.txt')
      .attach('files', peExecutable(), 'three.pdf');
    expect(response.status).toBe(415);
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual(before);
    const listed = await api().get('/api/files').set('Cookie', user.cookie).expect(200);
    expect(listed.body.map((file: { filename: string }) => file.filename)).toEqual(['kept.pdf']);
  });

  it('stores names with "../", NUL or right-to-left overrides safely and serves them with a safe Content-Disposition', async () => {
    const user = await registerUser(testApp.baseUrl);
    // Each its own content: the same content twice is stored once.
    const text = (index: number) => Buffer.from(`harmless text ${index}\n`);
    const { contentType, body } = handWrittenMultipart([
      { disposition: 'filename="../../../etc/passwd.txt"', bytes: text(0) },
      { disposition: `filename*=UTF-8''${encodeURIComponent('..\\..\\evil\u0000name.txt')}`, bytes: text(1) },
      { disposition: 'filename="invoice\u202Etxt.exe.md"', bytes: text(2) },
      { disposition: 'filename="isolated\u2066na\u200bme\u2069.txt"', bytes: text(3) },
      { disposition: 'filename="résumé.txt"', bytes: text(4) },
    ]);
    const uploaded = await api().post('/api/upload').set('Cookie', user.cookie).set('Content-Type', contentType).send(body).expect(201);
    const expectedNames = ['passwd.txt', 'evilname.txt', 'invoicetxt.exe.md', 'isolatedname.txt', 'résumé.txt'];
    expect(uploaded.body.files.map((file: { filename: string }) => file.filename)).toEqual(expectedNames);

    for (const [index, fileId] of (uploaded.body.fileIds as string[]).entries()) {
      const file = await api().get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
      expect(file.body.filename).toBe(expectedNames[index]);
      for (const stored of [file.body.filename, file.body.relativePath ?? '']) {
        expect(stored).not.toMatch(CONTROL_OR_BIDI);
        expect(stored.split('/')).not.toContain('..');
      }

      const content = await download(testApp.baseUrl, user.cookie, fileId).expect(200);
      const header = content.headers['content-disposition'] as string;
      expect(header).toMatch(/^attachment; filename=/);
      expect(header).not.toMatch(CONTROL_OR_BIDI);
      const offered = dispositionNames(header);
      expect(offered.length).toBeGreaterThan(0);
      for (const name of offered) {
        expect(name).not.toMatch(/[\\/]/);
        expect(name).not.toMatch(CONTROL_OR_BIDI);
      }
      expect(offered.at(-1)).toBe(expectedNames[index]);
      expect(Buffer.compare(content.body as Buffer, text(index))).toBe(0);
    }
  });

  it('stores a 3 MB document in 256 KB chunks and serves it back byte for byte', async () => {
    const user = await registerUser(testApp.baseUrl);
    const bytes = pdfOfSize(3 * 1024 * 1024 + 12_345);
    const uploaded = await uploadFile(testApp.baseUrl, user.cookie, bytes, 'large.pdf');
    const fileId = uploaded.fileIds[0];
    expect(uploaded.files[0]).toMatchObject({
      mimeType: 'application/pdf',
      kind: 'document',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
    });

    const fullChunks = Math.floor(bytes.length / CHUNK_BYTES);
    expect(CHUNK_BYTES).toBe(256 * 1024);
    expect(await chunkSizes(testApp, fileId)).toEqual([...Array<number>(fullChunks).fill(CHUNK_BYTES), bytes.length % CHUNK_BYTES]);

    const content = await download(testApp.baseUrl, user.cookie, fileId).expect(200);
    expect(content.headers['content-length']).toBe(String(bytes.length));
    expect(Buffer.compare(content.body as Buffer, bytes)).toBe(0);
  });

  it('deletes a file: its metadata and its bytes are gone', async () => {
    const user = await registerUser(testApp.baseUrl);
    const uploaded = await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Gone'), 'gone.pdf');
    const fileId = uploaded.fileIds[0];
    await api().delete(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
    await api().get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(404);
    await api().get(`/api/files/${fileId}/content`).set('Cookie', user.cookie).expect(404);
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
  });
});

describe('files: an upload limit larger than a chunk', () => {
  // Two full chunks and part of a third.
  const maxFileBytes = 2 * CHUNK_BYTES + 100_000;
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { UPLOAD_MAX_FILE_BYTES: String(maxFileBytes) } });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('stores a document of exactly UPLOAD_MAX_FILE_BYTES in three chunks, and refuses one a byte larger with 413, storing nothing', async () => {
    const user = await registerUser(testApp.baseUrl);
    const atLimit = pdfOfSize(maxFileBytes);
    const stored = await uploadFile(testApp.baseUrl, user.cookie, atLimit, 'at-limit.pdf');
    expect(await chunkSizes(testApp, stored.fileIds[0])).toEqual([CHUNK_BYTES, CHUNK_BYTES, 100_000]);
    const content = await download(testApp.baseUrl, user.cookie, stored.fileIds[0]).expect(200);
    expect(Buffer.compare(content.body as Buffer, atLimit)).toBe(0);

    const other = await registerUser(testApp.baseUrl);
    const response = await request(testApp.baseUrl)
      .post('/api/upload')
      .set('Cookie', other.cookie)
      .attach('files', pdfOfSize(maxFileBytes), 'fits.pdf')
      .attach('files', pdfOfSize(maxFileBytes + 1), 'one-byte-over.pdf');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 413, code: 'payload_too_large' });
    expect(response.body.error).toContain('one-byte-over.pdf');
    expect(await storedRowCounts(testApp.dataSource, other.userId)).toEqual({ files: 0, chunks: 0 });
    expect((await request(testApp.baseUrl).get('/api/files').set('Cookie', other.cookie).expect(200)).body).toEqual([]);
  });
});

describe('files: upload limits', () => {
  const maxFileBytes = 2048;
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: { UPLOAD_MAX_FILE_BYTES: String(maxFileBytes), UPLOAD_MAX_FILES: '3', UPLOAD_MAX_BYTES_PER_USER: '5kb' },
    });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);
  const textOf = (bytes: number, letter = 'a') => Buffer.from(letter.repeat(bytes));

  it('accepts a file of exactly UPLOAD_MAX_FILE_BYTES and refuses a larger one with 413, leaving nothing of its request', async () => {
    const user = await registerUser(testApp.baseUrl);
    await uploadFile(testApp.baseUrl, user.cookie, textOf(maxFileBytes), 'at-limit.txt');
    const before = await storedRowCounts(testApp.dataSource, user.userId);

    for (const size of [maxFileBytes + 1, 1024 * 1024]) {
      const response = await api()
        .post('/api/upload')
        .set('Cookie', user.cookie)
        .attach('files', textOf(100), 'small.txt')
        .attach('files', textOf(size), 'too-big.txt');
      expect({ size, status: response.status, code: response.body.code }).toEqual({ size, status: 413, code: 'payload_too_large' });
      expect(response.body.error).toContain('too-big.txt');
      expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual(before);
    }
  });

  it('refuses more than UPLOAD_MAX_FILES files in one request with 413, leaving nothing behind', async () => {
    const user = await registerUser(testApp.baseUrl);
    const atLimit = api().post('/api/upload').set('Cookie', user.cookie);
    for (let index = 0; index < 3; index++) atLimit.attach('files', textOf(10), `ok-${index}.txt`);
    await atLimit.expect(201);
    const before = await storedRowCounts(testApp.dataSource, user.userId);

    const tooMany = api().post('/api/upload').set('Cookie', user.cookie);
    for (let index = 0; index < 4; index++) tooMany.attach('files', textOf(10), `extra-${index}.txt`);
    const response = await tooMany;
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('too_many_files');
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual(before);
  });

  it("refuses an upload that would pass the user's quota with 413, leaving nothing behind, and counts each user apart", async () => {
    const user = await registerUser(testApp.baseUrl);
    const fill = api().post('/api/upload').set('Cookie', user.cookie);
    for (let index = 0; index < 2; index++) fill.attach('files', textOf(maxFileBytes, String(index)), `fill-${index}.txt`);
    const filled = await fill.expect(201);
    const before = await storedRowCounts(testApp.dataSource, user.userId);

    const response = await api()
      .post('/api/upload')
      .set('Cookie', user.cookie)
      .attach('files', textOf(100, 'x'), 'fits.txt')
      .attach('files', textOf(maxFileBytes, 'y'), 'overflows.txt');
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('storage_quota_exceeded');
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual(before);

    const other = await registerUser(testApp.baseUrl);
    await uploadFile(testApp.baseUrl, other.cookie, textOf(maxFileBytes, 'z'), 'someone-else.txt');

    await api().delete(`/api/files/${filled.body.fileIds[0]}`).set('Cookie', user.cookie).expect(200);
    await api()
      .post('/api/upload')
      .set('Cookie', user.cookie)
      .attach('files', textOf(100, 'x'), 'fits.txt')
      .attach('files', textOf(maxFileBytes, 'y'), 'now-fits.txt')
      .expect(201);
  });
});
