import { eventually, uploadFile, waitForFileStatus } from '../support/platform-api.js';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { minimalPdf } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { api, assistantRows, listedIds, threadRows, trashedDaysAgo } from '../support/trash-helpers.js';

import { jest } from '@jest/globals';

jest.setTimeout(60_000);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('the trash', () => {
  let app: TestApp;

  beforeAll(async () => {
    // The purge looks every second, so that the test of it does not wait long; nothing else is old enough for it.
    app = await startTestApp({ fake: true, env: { TRASH_SWEEP_INTERVAL_SECONDS: '1' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('takes a deleted thread: gone from the list, GET, messages and chat (404), listed with trashed=true, and restored whole', async () => {
    const user = await chatUser(app);
    const chat = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Keep this' }).expect(200);
    const id = chat.body.threadId;

    const deleted = await api(app).delete(`/api/threads/${id}`).set('Cookie', user.cookie).expect(200);
    expect(deleted.body).toEqual({ message: 'Thread moved to the trash' });
    await api(app).get(`/api/threads/${id}`).set('Cookie', user.cookie).expect(404);
    await api(app).get(`/api/threads/${id}/messages`).set('Cookie', user.cookie).expect(404);
    await api(app).post(`/api/threads/${id}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'hi' }).expect(404);
    expect(await listedIds(app, user.cookie, '/api/threads')).not.toContain(id);
    const again = await chatJson(app, user.cookie, { threadId: id, message: 'Still there?' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 404, code: 'not_found' });
    await api(app).post(`/api/threads/${id}/run`).set('Cookie', user.cookie).send({ stream: false }).expect(404);
    expect(await threadRows(app, id)).toEqual({ threads: 1, messages: 2 });

    const trash = await api(app).get('/api/threads?trashed=true').set('Cookie', user.cookie).expect(200);
    expect(trash.body).toEqual([expect.objectContaining({ id, messageCount: 2, deletedAt: expect.stringMatching(ISO_DATE) })]);
    expect(trash.headers['x-total-count']).toBe('1');
    // Deleting what is in the trash without asking for good is a 404, like any object the user cannot see.
    await api(app).delete(`/api/threads/${id}`).set('Cookie', user.cookie).expect(404);

    const restored = await api(app).post(`/api/threads/${id}/restore`).set('Cookie', user.cookie).expect(200);
    expect(restored.body).toMatchObject({ id, messageCount: 2, deletedAt: null });
    expect(await listedIds(app, user.cookie, '/api/threads')).toEqual([id]);
    expect(await listedIds(app, user.cookie, '/api/threads?trashed=true')).toEqual([]);
    await chatJson(app, user.cookie, { threadId: id, message: 'Back again' }).expect(200);
  });

  it('deletes for good with permanent=true or soft=false, from the trash too; soft=true is the default', async () => {
    const user = await chatUser(app);
    const thread = async () => (await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi' }).expect(200)).body.threadId as string;
    const [soft, hard, unsoft, trashedFirst] = [await thread(), await thread(), await thread(), await thread()];

    const softly = await api(app).delete(`/api/threads/${soft}?soft=true`).set('Cookie', user.cookie).expect(200);
    expect(softly.body.message).toBe('Thread moved to the trash');
    expect(await threadRows(app, soft)).toEqual({ threads: 1, messages: 2 });

    const gone = await api(app).delete(`/api/threads/${hard}?permanent=true`).set('Cookie', user.cookie).expect(200);
    expect(gone.body).toEqual({ message: 'Thread deleted' });
    await api(app).delete(`/api/threads/${unsoft}?soft=false`).set('Cookie', user.cookie).expect(200);
    await api(app).delete(`/api/threads/${trashedFirst}`).set('Cookie', user.cookie).expect(200);
    await api(app).delete(`/api/threads/${trashedFirst}?permanent=true`).set('Cookie', user.cookie).expect(200);
    for (const id of [hard, unsoft, trashedFirst]) {
      expect({ id, rows: await threadRows(app, id) }).toEqual({ id, rows: { threads: 0, messages: 0 } });
      await api(app).post(`/api/threads/${id}/restore`).set('Cookie', user.cookie).expect(404);
    }
    expect(await listedIds(app, user.cookie, '/api/threads?trashed=true')).toEqual([soft]);

    const contradiction = await api(app).delete(`/api/threads/${soft}?permanent=true&soft=true`).set('Cookie', user.cookie);
    expect({ status: contradiction.status, code: contradiction.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    const notBoolean = await api(app).delete(`/api/threads/${soft}?permanent=yes`).set('Cookie', user.cookie);
    expect({ status: notBoolean.status, code: notBoolean.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(await threadRows(app, soft)).toEqual({ threads: 1, messages: 2 });
  });

  it('takes a deleted assistant with its documents: no chat with it, no longer the default, its vector store kept until it is deleted for good', async () => {
    const user = await chatUser(app);
    const { assistant } = user;
    const { fileIds } = await uploadFile(app.baseUrl, user.cookie, minimalPdf('Handbook'), 'handbook.pdf', { assistantId: assistant.id });
    await waitForFileStatus(app.baseUrl, user.cookie, fileIds[0], 'ready');
    const { body: indexed } = await api(app).get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(200);
    await api(app).post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(200);
    const chat = await chatJson(app, user.cookie, { message: 'Hello' }).expect(200);

    const deleted = await api(app).delete(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(200);
    expect(deleted.body).toEqual({ message: 'Assistant moved to the trash' });
    await api(app).get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(404);
    await api(app).get(`/api/assistants/${assistant.id}/files`).set('Cookie', user.cookie).expect(404);
    expect(await listedIds(app, user.cookie, '/api/assistants')).toEqual([]);
    const trash = await api(app).get('/api/assistants?trashed=true').set('Cookie', user.cookie).expect(200);
    expect(trash.body).toEqual([expect.objectContaining({ id: assistant.id, fileIds, deletedAt: expect.stringMatching(ISO_DATE) })]);
    expect((await api(app).get('/api/settings').set('Cookie', user.cookie).expect(200)).body.defaultAssistantId).toBeNull();

    const inThread = await chatJson(app, user.cookie, { threadId: chat.body.threadId, message: 'Anyone?' });
    expect({ status: inThread.status, code: inThread.body.code }).toEqual({ status: 404, code: 'not_found' });
    const byId = await chatJson(app, user.cookie, { assistantId: assistant.id, message: 'Anyone?' });
    expect({ status: byId.status, code: byId.body.code }).toEqual({ status: 404, code: 'not_found' });
    const asDefault = await api(app).post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: assistant.id });
    expect(asDefault.status).toBe(404);
    // The thread keeps its assistant, to answer again once it is restored.
    expect((await api(app).get(`/api/threads/${chat.body.threadId}`).set('Cookie', user.cookie).expect(200)).body.assistantId).toBe(assistant.id);
    expect(app.fake.vectorStores.has(indexed.vectorStoreId)).toBe(true);

    const restored = await api(app).post(`/api/assistants/${assistant.id}/restore`).set('Cookie', user.cookie).expect(200);
    expect(restored.body).toMatchObject({ id: assistant.id, fileIds, vectorStoreId: indexed.vectorStoreId, deletedAt: null });
    expect((await api(app).get('/api/settings').set('Cookie', user.cookie).expect(200)).body.defaultAssistantId).toBeNull();
    await chatJson(app, user.cookie, { threadId: chat.body.threadId, message: 'Back?' }).expect(200);

    await api(app).delete(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(200);
    const forGood = await api(app).delete(`/api/assistants/${assistant.id}?permanent=true`).set('Cookie', user.cookie).expect(200);
    expect(forGood.body).toEqual({ message: 'Assistant deleted' });
    expect(await assistantRows(app, assistant.id)).toBe(0);
    await eventually(() => (app.fake.vectorStores.has(indexed.vectorStoreId) ? undefined : true));
    await api(app).post(`/api/assistants/${assistant.id}/restore`).set('Cookie', user.cookie).expect(404);
  });

  it('purges what has been in the trash past TRASH_RETENTION_DAYS (30), through the permanent deletion', async () => {
    const user = await chatUser(app);
    const thread = async () => (await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi' }).expect(200)).body.threadId as string;
    const [old, recent] = [await thread(), await thread()];
    const { fileIds } = await uploadFile(app.baseUrl, user.cookie, minimalPdf('Old notes'), 'old.pdf', { assistantId: user.assistant.id });
    await waitForFileStatus(app.baseUrl, user.cookie, fileIds[0], 'ready');
    const { body: indexed } = await api(app).get(`/api/assistants/${user.assistant.id}`).set('Cookie', user.cookie).expect(200);
    for (const id of [old, recent]) await api(app).delete(`/api/threads/${id}`).set('Cookie', user.cookie).expect(200);
    await api(app).delete(`/api/assistants/${user.assistant.id}`).set('Cookie', user.cookie).expect(200);

    await trashedDaysAgo(app, 'threads', recent, 29);
    await trashedDaysAgo(app, 'threads', old, 31);
    await trashedDaysAgo(app, 'assistants', user.assistant.id, 30);

    await eventually(async () => ((await threadRows(app, old)).threads === 0 && (await assistantRows(app, user.assistant.id)) === 0 ? true : undefined));
    expect(await threadRows(app, old)).toEqual({ threads: 0, messages: 0 });
    // The assistant's clean-up is today's: its vector store is deleted upstream, its file stays the user's.
    await eventually(() => (app.fake.vectorStores.has(indexed.vectorStoreId) ? undefined : true));
    await api(app).get(`/api/files/${fileIds[0]}`).set('Cookie', user.cookie).expect(200);
    expect(await threadRows(app, recent)).toEqual({ threads: 1, messages: 2 });
    expect(await listedIds(app, user.cookie, '/api/threads?trashed=true')).toEqual([recent]);
  });

  it('with TRASH_RETENTION_DAYS=0 keeps nothing: a deletion is for good at once', async () => {
    const noTrash = await startTestApp({ database: app.database, fake: app.fake, env: { TRASH_RETENTION_DAYS: '0', TRASH_SWEEP_INTERVAL_SECONDS: '0' } });
    try {
      const user = await chatUser(noTrash);
      const id = (await chatJson(noTrash, user.cookie, { assistantId: user.assistant.id, message: 'Hi' }).expect(200)).body.threadId;
      const deleted = await api(noTrash).delete(`/api/threads/${id}`).set('Cookie', user.cookie).expect(200);
      expect(deleted.body).toEqual({ message: 'Thread deleted' });
      expect(await threadRows(noTrash, id)).toEqual({ threads: 0, messages: 0 });
      await api(noTrash).delete(`/api/assistants/${user.assistant.id}?soft=true`).set('Cookie', user.cookie).expect(200);
      expect(await assistantRows(noTrash, user.assistant.id)).toBe(0);
    } finally {
      await noTrash.app.close();
    }
  });
});
