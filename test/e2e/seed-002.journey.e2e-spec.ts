import request from 'supertest';
import { responseRequests } from '../support/chat-helpers.js';
import { registerUserWithKey, waitForFileStatus } from '../support/platform-api.js';
import { minimalPdf } from '../support/sample-files.js';
import { postSse, tokensOf } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Seed 002's flow (an assistants service with one vector store per assistant),
 * walked as its users did, on this platform's routes:
 * POST /assistances {name, instructions}      -> POST /api/assistants
 * POST /assistances/:id/files (file)          -> POST /api/assistants/:id/files
 * GET /assistances/:id/files {vectorStoreIds} -> GET /api/assistants/:id/files {vectorStoreId, files}
 * POST /assistances/:id/threads               -> POST /api/thread/new {assistantId}
 * POST .../threads/:threadId/messages         -> POST /api/threads/:id/messages {role, content}
 * POST .../threads/:threadId/run (JSON, SSE)  -> POST /api/threads/:id/run
 * PUT /assistances/:id                        -> PATCH /api/assistants/:id
 * DELETE /assistances/:id/files/:fileId       -> DELETE /api/assistants/:id/files/:fileId
 * DELETE /assistances/:id                     -> DELETE /api/assistants/:id
 */
describe('seed 002 journey: an assistant whose documents are searched', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('create {name, instructions}, upload a document later, ask in a thread: the provider is asked to search the assistant\'s vector store', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const api = () => request(app.baseUrl);

    // Create the assistant with its name and instructions only, as seed 002 did.
    const created = await api()
      .post('/api/assistants')
      .set('Cookie', user.cookie)
      .send({ name: 'Handbook helper', instructions: 'Answer from the staff handbook.' })
      .expect(201);
    const assistantId = created.body.id;
    expect(created.body).toMatchObject({ name: 'Handbook helper', instructions: 'Answer from the staff handbook.', model: expect.any(String), tools: [] });
    expect((await api().get('/api/assistants').set('Cookie', user.cookie).expect(200)).body.map((item: any) => item.id)).toContain(assistantId);

    // Later, a document goes under the assistant.
    const upload = await api()
      .post(`/api/assistants/${assistantId}/files`)
      .set('Cookie', user.cookie)
      .attach('file', minimalPdf('Holidays: 30 days a year'), 'handbook.pdf')
      .expect(201);
    const [fileId] = upload.body.fileIds;
    expect(upload.body.files[0]).toMatchObject({ id: fileId, filename: 'handbook.pdf', sizeBytes: expect.any(Number) });
    await waitForFileStatus(app.baseUrl, user.cookie, fileId, 'ready');

    const documents = await api().get(`/api/assistants/${assistantId}/files`).set('Cookie', user.cookie).expect(200);
    const vectorStoreId: string = documents.body.vectorStoreId;
    expect(vectorStoreId).toEqual(expect.any(String));
    expect(documents.body.files.map((file: any) => file.id)).toEqual([fileId]);
    // The provider holds the document in that vector store.
    const store = app.fake.vectorStores.get(vectorStoreId);
    expect(store?.files.size).toBe(1);
    expect((await api().get(`/api/assistants/${assistantId}`).set('Cookie', user.cookie).expect(200)).body).toMatchObject({
      tools: [{ type: 'file_search' }],
      vectorStoreId,
      documentsUnused: false,
    });

    // A thread under the assistant, a message, then a run (JSON).
    const thread = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId }).expect(201);
    expect(thread.body).toMatchObject({ assistantId });
    const threadId = thread.body.id;
    const added = await api()
      .post(`/api/threads/${threadId}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'How many holidays do I get?' })
      .expect(201);
    expect(added.body).toMatchObject({ threadId, role: 'user', content: 'How many holidays do I get?' });

    app.fake.enqueueResponse({ text: 'You get 30 days a year.' }, { deltas: ['Yes, ', 'thirty.'] });
    const run = await api().post(`/api/threads/${threadId}/run`).set('Cookie', user.cookie).send({}).expect(200);
    expect(run.body).toMatchObject({ threadId, content: [{ type: 'text', text: 'You get 30 days a year.' }], message: { role: 'assistant' } });
    const asked = responseRequests(app).at(-1);
    expect(asked.tools).toEqual([{ type: 'file_search', vector_store_ids: [vectorStoreId] }]);
    expect(asked.instructions).toContain('Answer from the staff handbook.');

    // The same, streamed: seed 002's run with Accept: text/event-stream.
    await api().post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'Thirty?' }).expect(201);
    const streamed = await postSse(`${app.baseUrl}/api/threads/${threadId}/run`, { cookie: user.cookie, body: {} });
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(tokensOf(streamed.events)).toBe('Yes, thirty.');
    expect(streamed.events.at(-1)!.event).toBe('done');
    expect(responseRequests(app).at(-1).tools).toEqual([{ type: 'file_search', vector_store_ids: [vectorStoreId] }]);

    // Update (seed: PUT), remove the document, delete the assistant.
    await api().patch(`/api/assistants/${assistantId}`).set('Cookie', user.cookie).send({ instructions: 'Quote the handbook.' }).expect(200);
    await api().delete(`/api/assistants/${assistantId}/files/${fileId}`).set('Cookie', user.cookie).expect(200);
    expect((await api().get(`/api/assistants/${assistantId}/files`).set('Cookie', user.cookie).expect(200)).body.files).toEqual([]);
    await api().delete(`/api/assistants/${assistantId}`).set('Cookie', user.cookie).expect(200);
    await api().get(`/api/assistants/${assistantId}`).set('Cookie', user.cookie).expect(404);
  });
});
