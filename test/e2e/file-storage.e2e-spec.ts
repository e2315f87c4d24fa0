import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { download, folderEntry, rawBytes, uploadFile } from '../support/platform-api.js';
import { startFileStore, type FileStoreUnderTest } from '../support/file-stores.js';
import { minimalDocx, minimalPdf, minimalPng, peExecutable } from '../support/sample-files.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unzip } from '../support/unzip.js';

/** A PDF of `size` bytes, nearly all random, so that any piece stored out of order, twice or cut short shows. */
function pdfOfSize(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n1 0 obj<<>>stream\n', 'latin1');
  const tail = Buffer.from('\nendstream endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
}

const keysOf = (userId: string, fileIds: string[]) => fileIds.map((id) => `${userId}/${id}`).sort();

/** The same file scenarios on each store: bytes in PostgreSQL (the default), and in S3 (a real S3 protocol server). */
describe.each(['postgres', 's3'] as const)('file bytes stored in %s', (storeName) => {
  let store: FileStoreUnderTest;
  let testApp: TestApp;

  beforeAll(async () => {
    store = await startFileStore(storeName);
    testApp = await startTestApp({ fake: true, env: store.env() });
  });

  afterAll(async () => {
    await testApp?.close();
    await store?.stop();
  });

  const api = () => request(testApp.baseUrl);
  const storedKeys = (userId: string) => store.storedKeys(testApp.dataSource, userId);

  it('stores each file of an upload, a 12 MB one too, and serves every one back byte for byte', async () => {
    const user = await registerUser(testApp.baseUrl);
    const samples = [
      { name: 'report.pdf', bytes: minimalPdf('Quarterly report') },
      { name: 'letter.docx', bytes: minimalDocx('Dear reader') },
      { name: 'pixel.png', bytes: minimalPng() },
      { name: 'notes.txt', bytes: Buffer.from('Plain notes, with ünïcödé.\n') },
      { name: 'large.pdf', bytes: pdfOfSize(12 * 1024 * 1024 + 4321) },
    ];
    const upload = api().post('/api/upload').set('Cookie', user.cookie);
    for (const sample of samples) upload.attach('files', sample.bytes, sample.name);
    const uploaded = await upload.expect(201);
    const fileIds: string[] = uploaded.body.fileIds;
    expect(await storedKeys(user.userId)).toEqual(keysOf(user.userId, fileIds));

    for (const [index, sample] of samples.entries()) {
      const content = await download(testApp.baseUrl, user.cookie, fileIds[index]).expect(200);
      expect(content.headers['content-length']).toBe(String(sample.bytes.length));
      expect(Buffer.compare(content.body as Buffer, sample.bytes)).toBe(0);
    }
  });

  it('stores a folder upload, each file under its own key, and serves it back', async () => {
    const user = await registerUser(testApp.baseUrl);
    const folder = [
      { path: 'project/readme.md', bytes: Buffer.from('# Project\n') },
      { path: 'project/docs/spec.pdf', bytes: minimalPdf('Spec') },
      { path: 'project/docs/img/logo.png', bytes: minimalPng() },
    ];
    const upload = api().post('/api/upload-directory').set('Cookie', user.cookie);
    for (const file of folder) upload.attach('files', file.bytes, folderEntry(file.path));
    const uploaded = await upload.expect(201);
    expect(uploaded.body.files.map((file: { relativePath: string }) => file.relativePath)).toEqual(folder.map((file) => file.path));
    expect(await storedKeys(user.userId)).toEqual(keysOf(user.userId, uploaded.body.fileIds));
    for (const [index, file] of folder.entries()) {
      const content = await download(testApp.baseUrl, user.cookie, uploaded.body.fileIds[index]).expect(200);
      expect(Buffer.compare(content.body as Buffer, file.bytes)).toBe(0);
    }
  });

  it("streams a thread's files from the store into one zip", async () => {
    const user = await chatUser(testApp);
    const pdf = pdfOfSize(6 * 1024 * 1024);
    const image = await uploadFile(testApp.baseUrl, user.cookie, minimalPng(), 'photo.png');
    const document = await uploadFile(testApp.baseUrl, user.cookie, pdf, 'report.pdf');
    const chat = await chatJson(testApp, user.cookie, { assistantId: user.assistant.id, message: 'Look', fileIds: [image.fileIds[0], document.fileIds[0]] }).expect(200);

    const archive = await api().get(`/api/threads/${chat.body.threadId}/files/archive`).set('Cookie', user.cookie).buffer(true).parse(rawBytes).expect(200);
    const entries = await unzip(archive.body as Buffer);
    expect([...entries.keys()].sort()).toEqual(['photo.png', 'report.pdf']);
    expect(Buffer.compare(entries.get('photo.png')!, minimalPng())).toBe(0);
    expect(Buffer.compare(entries.get('report.pdf')!, pdf)).toBe(0);
  });

  it('keeps no bytes of an upload refused for one of its files', async () => {
    const user = await registerUser(testApp.baseUrl);
    const kept = await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Kept'), 'kept.pdf');
    const response = await api()
      .post('/api/upload')
      .set('Cookie', user.cookie)
      .attach('files', minimalPdf('One'), 'one.pdf')
      .attach('files', peExecutable(), 'two.pdf');
    expect(response.status).toBe(415);
    expect(await storedKeys(user.userId)).toEqual(keysOf(user.userId, kept.fileIds));
  });

  it("deletes a file's bytes with the file, and no one else's", async () => {
    const user = await registerUser(testApp.baseUrl);
    const other = await registerUser(testApp.baseUrl);
    const gone = await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Gone'), 'gone.pdf');
    const kept = await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Kept'), 'kept.pdf');
    const others = await uploadFile(testApp.baseUrl, other.cookie, minimalPdf('Other'), 'other.pdf');

    await api().delete(`/api/files/${gone.fileIds[0]}`).set('Cookie', user.cookie).expect(200);
    await api().get(`/api/files/${gone.fileIds[0]}/content`).set('Cookie', user.cookie).expect(404);
    expect(await storedKeys(user.userId)).toEqual(keysOf(user.userId, kept.fileIds));
    expect(await storedKeys(other.userId)).toEqual(keysOf(other.userId, others.fileIds));
    expect(await testApp.dataSource.query('SELECT * FROM file_byte_deletions')).toEqual([]);
  });

  it("deletes every byte of an account with it, and no one else's", async () => {
    const user = await registerUser(testApp.baseUrl);
    const other = await registerUser(testApp.baseUrl);
    const upload = api().post('/api/upload').set('Cookie', user.cookie);
    for (let index = 0; index < 3; index++) upload.attach('files', Buffer.from(`note ${index}\n`), `note-${index}.txt`);
    const uploaded = await upload.expect(201);
    const others = await uploadFile(testApp.baseUrl, other.cookie, minimalPdf('Other'), 'other.pdf');
    expect(await storedKeys(user.userId)).toHaveLength(3);

    await api().delete('/api/user').set('Cookie', user.cookie).send({ password: user.password }).expect(200);
    expect(await storedKeys(user.userId)).toEqual([]);
    expect(await storedKeys(other.userId)).toEqual(keysOf(other.userId, others.fileIds));
    expect(uploaded.body.fileIds).toHaveLength(3);
    expect(await testApp.dataSource.query('SELECT * FROM file_byte_deletions')).toEqual([]);
  });
});
