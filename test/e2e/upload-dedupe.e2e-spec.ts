import request from 'supertest';
import { createAssistant, registerUserWithKey, uploadFile, waitForFileStatus, waitForIdleUpstream } from '../support/platform-api.js';
import { minimalPdf } from '../support/sample-files.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the same content uploaded twice by one owner is stored and indexed once', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  const api = () => request(app.baseUrl);
  const storedRows = async (userId: string) =>
    (await app.dataSource.query('SELECT count(*)::int AS files, COALESCE(sum(size_bytes), 0)::int AS bytes FROM files WHERE user_id = $1', [userId]))[0];
  /** The copies of these bytes the fake provider holds in its Files. */
  const upstreamCopies = (bytes: Buffer) => [...app.fake.files.values()].filter((file) => file.bytes.equals(bytes));

  it('answers a second upload, under any name, with the file already stored', async () => {
    const user = await registerUser(app.baseUrl);
    const bytes = minimalPdf('Stored once');
    const first = await uploadFile(app.baseUrl, user.cookie, bytes, 'report.pdf');
    expect(first.existingFileIds).toEqual([]);
    const before = await storedRows(user.userId);

    const second = await uploadFile(app.baseUrl, user.cookie, bytes, 'report (1).pdf');
    expect(second).toMatchObject({ fileIds: first.fileIds, existingFileIds: first.fileIds, files: [{ id: first.fileIds[0], filename: 'report.pdf' }] });
    expect(await storedRows(user.userId)).toEqual(before);

    const both = await api()
      .post('/api/upload')
      .set('Cookie', user.cookie)
      .attach('files', bytes, 'again.pdf')
      .attach('files', minimalPdf('New one'), 'new.pdf')
      .attach('files', minimalPdf('New one'), 'new-copy.pdf')
      .expect(201);
    expect(both.body.fileIds).toHaveLength(2);
    expect(both.body.fileIds[0]).toBe(first.fileIds[0]);
    expect(both.body.existingFileIds).toEqual(first.fileIds);
    expect((await storedRows(user.userId)).files).toBe(2);
    const listed = await api().get('/api/files').set('Cookie', user.cookie).expect(200);
    expect(listed.headers['x-total-count']).toBe('2');
  });

  it('keeps owners apart: another user uploading the same bytes gets a file of their own', async () => {
    const bytes = minimalPdf('Shared content');
    const alice = await registerUser(app.baseUrl);
    const bob = await registerUser(app.baseUrl);
    const mine = await uploadFile(app.baseUrl, alice.cookie, bytes, 'a.pdf');
    const theirs = await uploadFile(app.baseUrl, bob.cookie, bytes, 'b.pdf');
    expect(theirs.fileIds[0]).not.toBe(mine.fileIds[0]);
    expect(theirs.existingFileIds).toEqual([]);
  });

  it('indexes the content once: uploading it again to the same assistant changes nothing, to another reuses the copy', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const bytes = minimalPdf('Indexed once');
    const first = await createAssistant(app.baseUrl, user.cookie, { name: 'First' });
    const uploaded = await uploadFile(app.baseUrl, user.cookie, bytes, 'guide.pdf', { assistantId: first.id });
    await waitForFileStatus(app.baseUrl, user.cookie, uploaded.fileIds[0], 'ready');
    await waitForIdleUpstream(app.dataSource);
    const attachedBefore = app.fake.requestsTo('POST', `/v1/vector_stores/${(await api().get(`/api/assistants/${first.id}`).set('Cookie', user.cookie)).body.vectorStoreId}/files`).length;
    expect(upstreamCopies(bytes)).toHaveLength(1);

    const again = await uploadFile(app.baseUrl, user.cookie, bytes, 'guide-again.pdf', { assistantId: first.id });
    expect(again.fileIds).toEqual(uploaded.fileIds);
    expect(again.files[0]).toMatchObject({ status: 'ready', assistants: [{ assistantId: first.id, status: 'ready' }] });
    await api().patch(`/api/assistants/${first.id}`).set('Cookie', user.cookie).send({ addFileIds: uploaded.fileIds }).expect(200);
    await waitForIdleUpstream(app.dataSource);
    const vectorStoreId = (await api().get(`/api/assistants/${first.id}`).set('Cookie', user.cookie)).body.vectorStoreId;
    expect(app.fake.requestsTo('POST', `/v1/vector_stores/${vectorStoreId}/files`)).toHaveLength(attachedBefore);
    const documents = await api().get(`/api/assistants/${first.id}/files`).set('Cookie', user.cookie).expect(200);
    expect(documents.body.files.map((file: { id: string }) => file.id)).toEqual(uploaded.fileIds);

    const second = await createAssistant(app.baseUrl, user.cookie, { name: 'Second' });
    const toSecond = await uploadFile(app.baseUrl, user.cookie, bytes, 'guide.pdf', { assistantId: second.id });
    expect(toSecond.fileIds).toEqual(uploaded.fileIds);
    await eventuallyReady(user.cookie, second.id);
    expect(upstreamCopies(bytes)).toHaveLength(1);
  });

  async function eventuallyReady(cookie: string, assistantId: string): Promise<void> {
    await waitForIdleUpstream(app.dataSource);
    const documents = await api().get(`/api/assistants/${assistantId}/files`).set('Cookie', cookie).expect(200);
    expect(documents.body.files.map((file: { assistants: Array<{ assistantId: string; status: string }> }) => file.assistants)).toEqual([
      expect.arrayContaining([{ assistantId, status: 'ready', error: null }]),
    ]);
  }
});
