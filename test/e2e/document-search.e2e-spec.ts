import request from 'supertest';
import { chatJson, responseRequests } from '../support/chat-helpers.js';
import {
  createAssistant,
  folderEntry,
  registerUserWithKey,
  uploadFile,
  waitForFileStatus,
  type SignedInUser,
} from '../support/platform-api.js';
import { minimalDocx, minimalPdf } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The tools of the last request the fake provider received for a reply. */
function lastReplyTools(app: TestApp): unknown[] | undefined {
  return responseRequests(app).at(-1)?.tools;
}

describe('documents added after an assistant is created are searched', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  const api = () => request(app.baseUrl);
  const getAssistant = async (user: SignedInUser, id: string) =>
    (await api().get(`/api/assistants/${id}`).set('Cookie', user.cookie).expect(200)).body;

  it('create {name, instructions}, upload later, ask: the provider is asked to search the assistant\'s vector store', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const created = await createAssistant(app.baseUrl, user.cookie, { name: 'Handbook helper', instructions: 'Answer from the handbook.' });
    expect(created.tools).toEqual([]);

    const upload = await api()
      .post(`/api/assistants/${created.id}/files`)
      .set('Cookie', user.cookie)
      .attach('file', minimalPdf('Holidays: 30 days a year'), 'handbook.pdf')
      .expect(201);
    await waitForFileStatus(app.baseUrl, user.cookie, upload.body.fileIds[0], 'ready');
    const assistant = await getAssistant(user, created.id);
    expect(assistant).toMatchObject({ tools: [{ type: 'file_search' }], fileIds: upload.body.fileIds, documentsUnused: false });
    expect(assistant.vectorStoreId).toEqual(expect.any(String));

    await chatJson(app, user.cookie, { assistantId: created.id, message: 'How many holidays?' }).expect(200);
    expect(lastReplyTools(app)).toEqual([{ type: 'file_search', vector_store_ids: [assistant.vectorStoreId] }]);
  });

  it('switches file_search on whichever route brings the documents, keeping the other tools', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const routes: Array<(assistantId: string) => Promise<unknown>> = [
      (assistantId) => uploadFile(app.baseUrl, user.cookie, minimalPdf('by upload'), 'upload.pdf', { assistantId }),
      (assistantId) =>
        api()
          .post('/api/upload-directory')
          .set('Cookie', user.cookie)
          .field('assistantId', assistantId)
          .attach('files', minimalDocx('by folder'), folderEntry('docs/folder.docx'))
          .expect(201),
      async (assistantId) => {
        const stored = await uploadFile(app.baseUrl, user.cookie, minimalPdf('by patch'), 'patch.pdf');
        await api().patch(`/api/assistants/${assistantId}`).set('Cookie', user.cookie).send({ addFileIds: stored.fileIds }).expect(200);
      },
    ];
    for (const bring of routes) {
      const created = await createAssistant(app.baseUrl, user.cookie, { name: 'Later', tools: [{ type: 'web_search' }] });
      await bring(created.id);
      expect((await getAssistant(user, created.id)).tools).toEqual([{ type: 'web_search' }, { type: 'file_search' }]);
    }
  });

  it('leaves file_search off once the user turned it off with documents, and says the documents are unused', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const created = await createAssistant(app.baseUrl, user.cookie, { name: 'Quiet' });
    const first = await uploadFile(app.baseUrl, user.cookie, minimalPdf('first'), 'first.pdf', { assistantId: created.id });
    await waitForFileStatus(app.baseUrl, user.cookie, first.fileIds[0], 'ready');

    const off = await api().patch(`/api/assistants/${created.id}`).set('Cookie', user.cookie).send({ tools: [] }).expect(200);
    expect(off.body).toMatchObject({ tools: [], documentsUnused: true });
    const second = await uploadFile(app.baseUrl, user.cookie, minimalPdf('second'), 'second.pdf', { assistantId: created.id });
    await waitForFileStatus(app.baseUrl, user.cookie, second.fileIds[0], 'ready');
    expect(await getAssistant(user, created.id)).toMatchObject({ tools: [], documentsUnused: true });
    const listed = await api().get('/api/assistants').set('Cookie', user.cookie).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.id, documentsUnused: true })]);
    await chatJson(app, user.cookie, { assistantId: created.id, message: 'Anything?' }).expect(200);
    expect(lastReplyTools(app) ?? []).toEqual([]);

    const on = await api()
      .patch(`/api/assistants/${created.id}`)
      .set('Cookie', user.cookie)
      .send({ tools: [{ type: 'file_search' }] })
      .expect(200);
    expect(on.body).toMatchObject({ documentsUnused: false });
    await chatJson(app, user.cookie, { assistantId: created.id, message: 'And now?' }).expect(200);
    expect(lastReplyTools(app)).toEqual([{ type: 'file_search', vector_store_ids: [on.body.vectorStoreId] }]);
  });

  it('counts tools without file_search given with the first documents as turning it off', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const stored = await uploadFile(app.baseUrl, user.cookie, minimalPdf('given at creation'), 'given.pdf');
    const created = await createAssistant(app.baseUrl, user.cookie, { name: 'Plain', tools: [{ type: 'web_search' }], fileIds: stored.fileIds });
    await waitForFileStatus(app.baseUrl, user.cookie, stored.fileIds[0], 'ready');
    await uploadFile(app.baseUrl, user.cookie, minimalPdf('added later'), 'later.pdf', { assistantId: created.id });
    expect(await getAssistant(user, created.id)).toMatchObject({ tools: [{ type: 'web_search' }], documentsUnused: true });
  });
});
