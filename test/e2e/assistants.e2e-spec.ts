import request from 'supertest';
import { registerUser } from '../support/session-client.js';
import { chatJson, messagesOf } from '../support/chat-helpers.js';
import {
  createAssistant,
  eventually,
  registerUserWithKey,
  uploadFile,
  waitForFileStatus,
  waitForIdleUpstream,
} from '../support/platform-api.js';
import { minimalPdf, minimalPng } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function metadataWith(pairs: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: pairs }, (_, index) => [`key${index}`, `value${index}`]));
}

describe('assistants: CRUD and validation', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);

  it('round-trips every field through create, get and list', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const document = await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Handbook'), 'handbook.pdf');
    const fields = {
      name: 'Research helper',
      description: 'Finds things in the handbook',
      model: 'gpt-4.1-mini',
      instructions: 'Answer briefly.\nCite the handbook.',
      temperature: 0.7,
      tools: [{ type: 'file_search' }, { type: 'web_search' }, { type: 'code_interpreter' }],
      metadata: { team: 'support', tier: 'gold' },
      isActive: false,
      fileIds: [document.fileIds[0]],
    };

    const created = await api().post('/api/assistants').set('Cookie', user.cookie).send(fields).expect(201);
    expect(created.body).toEqual({
      ...fields,
      id: expect.stringMatching(UUID),
      userId: user.userId,
      vectorStoreId: null,
      documentsUnused: false,
      createdAt: expect.stringMatching(ISO_DATE),
      updatedAt: expect.stringMatching(ISO_DATE),
      deletedAt: null,
    });

    const fetched = await api().get(`/api/assistants/${created.body.id}`).set('Cookie', user.cookie).expect(200);
    expect(fetched.body).toMatchObject({ ...fields, id: created.body.id, userId: user.userId });
    const listed = await api().get('/api/assistants').set('Cookie', user.cookie).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ ...fields, id: created.body.id })]);
  });

  it('changes only the fields a PATCH names, whichever subset it is', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const original = await createAssistant(testApp.baseUrl, cookie, {
      name: 'Original',
      description: 'Original description',
      model: 'gpt-4o',
      instructions: 'Original instructions',
      temperature: 1,
      tools: [{ type: 'web_search' }],
      metadata: { version: '1' },
      isActive: true,
    });
    const changes: Array<Record<string, unknown>> = [
      { name: 'Renamed' },
      { description: 'New description', model: 'gpt-5-mini' },
      { instructions: 'New instructions', temperature: 0 },
      { tools: [{ type: 'code_interpreter' }], metadata: { version: '2', owner: 'ops' } },
      { isActive: false },
      { description: null, instructions: null, temperature: null },
      { temperature: 2, tools: [] },
    ];

    let expected = { ...original };
    for (const change of changes) {
      const patched = await api().patch(`/api/assistants/${original.id}`).set('Cookie', cookie).send(change).expect(200);
      expected = { ...expected, ...change };
      expect(patched.body).toEqual({ ...expected, updatedAt: expect.stringMatching(ISO_DATE) });
      const fetched = await api().get(`/api/assistants/${original.id}`).set('Cookie', cookie).expect(200);
      expect(fetched.body).toEqual(patched.body);
    }
  });

  it('names the offending field when a create or an update is refused', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, cookie, { name: 'Valid' });
    const invalid: Array<{ field: string; body: Record<string, unknown> }> = [
      { field: 'name', body: { name: '' } },
      { field: 'name', body: { name: '   ' } },
      { field: 'name', body: { name: 'n'.repeat(257) } },
      { field: 'description', body: { description: 'd'.repeat(513) } },
      { field: 'instructions', body: { instructions: 'i'.repeat(256_001) } },
      { field: 'temperature', body: { temperature: -0.1 } },
      { field: 'temperature', body: { temperature: 2.01 } },
      { field: 'temperature', body: { temperature: '1' } },
      { field: 'tools', body: { tools: [{ type: 'browser' }] } },
      { field: 'tools', body: { tools: ['file_search', 'file_search'] } },
      { field: 'tools', body: { tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] } },
      { field: 'metadata', body: { metadata: metadataWith(17) } },
      { field: 'metadata', body: { metadata: { count: 3 } } },
      { field: 'metadata', body: { metadata: { nested: { a: 'b' } } } },
      { field: 'metadata', body: { metadata: ['a'] } },
      { field: 'isActive', body: { isActive: 'yes' } },
      { field: 'model', body: { model: '' } },
      { field: 'vectorStoreId', body: { vectorStoreId: 'vs_mine' } },
      { field: 'userId', body: { userId: assistant.userId } },
    ];

    for (const { field, body } of invalid) {
      const onCreate = await api().post('/api/assistants').set('Cookie', cookie).send({ name: 'Valid', ...body });
      const onUpdate = await api().patch(`/api/assistants/${assistant.id}`).set('Cookie', cookie).send(body);
      for (const response of [onCreate, onUpdate]) {
        expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code: 'validation_failed' });
        expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
      }
    }

    const missingName = await api().post('/api/assistants').set('Cookie', cookie).send({ description: 'no name' });
    expect(missingName.status).toBe(400);
    expect(missingName.body.details.map((detail: { field: string }) => detail.field)).toContain('name');

    const listed = await api().get('/api/assistants').set('Cookie', cookie).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: assistant.id, name: 'Valid' })]);
  });

  it('accepts the limits themselves: 16 metadata pairs, 512-character description, 256,000-character instructions, temperature 0 and 2', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const atLimits = {
      name: 'n'.repeat(256),
      description: 'd'.repeat(512),
      instructions: 'i'.repeat(256_000),
      metadata: metadataWith(16),
      temperature: 2,
    };
    const created = await createAssistant(testApp.baseUrl, cookie, atLimits);
    expect(created).toMatchObject(atLimits);
    const cooled = await api().patch(`/api/assistants/${created.id}`).set('Cookie', cookie).send({ temperature: 0 }).expect(200);
    expect(cooled.body.temperature).toBe(0);
  });

  it('stores the old tool name retrieval as file_search, as an object or a bare string', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const asObject = await createAssistant(testApp.baseUrl, cookie, { tools: [{ type: 'retrieval' }] });
    expect(asObject.tools).toEqual([{ type: 'file_search' }]);
    const asString = await createAssistant(testApp.baseUrl, cookie, { tools: ['retrieval', 'web_search'] });
    expect(asString.tools).toEqual([{ type: 'file_search' }, { type: 'web_search' }]);

    const patched = await api()
      .patch(`/api/assistants/${asString.id}`)
      .set('Cookie', cookie)
      .send({ tools: ['code_interpreter', { type: 'retrieval' }] })
      .expect(200);
    expect(patched.body.tools).toEqual([{ type: 'code_interpreter' }, { type: 'file_search' }]);
    const fetched = await api().get(`/api/assistants/${asString.id}`).set('Cookie', cookie).expect(200);
    expect(fetched.body.tools).toEqual([{ type: 'code_interpreter' }, { type: 'file_search' }]);
  });

  it('uses gpt-4o when no model is given and no DEFAULT_MODEL is configured', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, cookie, { name: 'Defaults' });
    expect(assistant).toMatchObject({
      model: 'gpt-4o',
      description: null,
      instructions: null,
      temperature: null,
      tools: [],
      metadata: {},
      isActive: true,
      fileIds: [],
      vectorStoreId: null,
    });
  });

  it('round-trips isActive', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const inactive = await createAssistant(testApp.baseUrl, cookie, { isActive: false });
    expect(inactive.isActive).toBe(false);
    expect((await api().get(`/api/assistants/${inactive.id}`).set('Cookie', cookie).expect(200)).body.isActive).toBe(false);
    await api().patch(`/api/assistants/${inactive.id}`).set('Cookie', cookie).send({ isActive: true }).expect(200);
    expect((await api().get(`/api/assistants/${inactive.id}`).set('Cookie', cookie).expect(200)).body.isActive).toBe(true);
    await api().patch(`/api/assistants/${inactive.id}`).set('Cookie', cookie).send({ isActive: false }).expect(200);
    const listed = await api().get('/api/assistants').set('Cookie', cookie).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: inactive.id, isActive: false })]);
  });

  it('refuses to attach an image as a searchable document', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const image = await uploadFile(testApp.baseUrl, cookie, minimalPng(), 'photo.png');
    const response = await api().post('/api/assistants').set('Cookie', cookie).send({ name: 'Vision', fileIds: image.fileIds });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'fileIds' })]);
    expect((await api().get('/api/assistants').set('Cookie', cookie).expect(200)).body).toEqual([]);
  });

  it('deletes an assistant: its vector store goes upstream and it stops being the default', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { name: 'Doomed' });
    const uploaded = await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Doomed'), 'doomed.pdf', { assistantId: assistant.id });
    const fileId = uploaded.fileIds[0];
    await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
    const { body: indexed } = await api().get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(200);
    expect(testApp.fake.vectorStores.has(indexed.vectorStoreId)).toBe(true);
    await api().post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(200);

    await api().delete(`/api/assistants/${assistant.id}?permanent=true`).set('Cookie', user.cookie).expect(200);

    await api().get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(404);
    expect((await api().get('/api/settings').set('Cookie', user.cookie).expect(200)).body.defaultAssistantId).toBeNull();
    expect((await api().get('/api/user').set('Cookie', user.cookie).expect(200)).body.defaultAssistantId).toBeNull();
    await eventually(() => (testApp.fake.vectorStores.has(indexed.vectorStoreId) ? undefined : true), {
      describe: () => [...testApp.fake.vectorStores.keys()],
    });
    const file = await api().get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
    expect(file.body.assistants).toEqual([]);
    await api().delete(`/api/assistants/${assistant.id}?permanent=true`).set('Cookie', user.cookie).expect(404);
  });

  it('deletes an assistant even when OpenAI fails to delete its vector store, and deletes the store on a later try', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { name: 'Hard to delete' });
    const document = minimalPdf('Kept upstream a while');
    const { fileIds } = await uploadFile(testApp.baseUrl, user.cookie, document, 'kept.pdf', { assistantId: assistant.id });
    await waitForFileStatus(testApp.baseUrl, user.cookie, fileIds[0], 'ready');
    const { body: indexed } = await api().get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(200);
    const storePath = `/v1/vector_stores/${indexed.vectorStoreId}`;
    // Queued clean-up from earlier tests must not take the scripted failure.
    await waitForIdleUpstream(testApp.dataSource);
    testApp.fake.failNext('vector_stores', { kind: 'server_error' });
    const firstTry = testApp.fake.holdNext('vector_stores');
    const secondTry = testApp.fake.holdNext('vector_stores');

    try {
      await api().delete(`/api/assistants/${assistant.id}?permanent=true`).set('Cookie', user.cookie).expect(200);
      await api().get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(404);
      expect((await api().get('/api/assistants').set('Cookie', user.cookie).expect(200)).body).toEqual([]);

      expect((await firstTry.arrived).path).toBe(storePath);
      firstTry.release();
      expect((await secondTry.arrived).path).toBe(storePath);
      // Held on its second try: the first failed, the store is still there, and the failure is on record.
      expect(testApp.fake.requestsTo('DELETE', storePath).map((entry) => entry.status)).toEqual([500, undefined]);
      expect(testApp.fake.vectorStores.has(indexed.vectorStoreId)).toBe(true);
      const jobs = await testApp.dataSource.query(
        `SELECT attempts, last_error FROM upstream_jobs WHERE kind = 'delete_vector_store' AND payload->>'vectorStoreId' = $1`,
        [indexed.vectorStoreId],
      );
      expect(jobs).toEqual([{ attempts: 2, last_error: expect.any(String) }]);
      const warnings = testApp.logs
        .entries()
        .filter((entry) => entry.msg === 'upstream job failed; will retry' && entry.kind === 'delete_vector_store');
      expect(warnings).toEqual([expect.objectContaining({ attempt: 1, code: 'upstream_unavailable' })]);
    } finally {
      firstTry.release();
      secondTry.release();
    }

    await eventually(() => (testApp.fake.vectorStores.has(indexed.vectorStoreId) ? undefined : true), {
      describe: () => [...testApp.fake.vectorStores.keys()],
    });
    await waitForIdleUpstream(testApp.dataSource);
    expect(testApp.fake.requestsTo('DELETE', storePath).map((entry) => entry.status)).toEqual([500, 200]);
  });
});

describe('assistants: an inactive assistant starts nothing', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);
  /** Replies the fake was asked for with this user's key. */
  const repliesFor = (apiKey: string) =>
    testApp.fake.requestsTo('POST', '/v1/responses').filter((entry) => entry.headers.authorization === `Bearer ${apiKey}`);
  const threadsOf = async (cookie: string) => (await api().get('/api/threads').set('Cookie', cookie).expect(200)).body;

  it('refuses POST /api/thread/new with an inactive assistant, named in the body or as the default', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { name: 'Resting', isActive: false });

    const named = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ title: 'Named', assistantId: assistant.id });
    expect({ status: named.status, code: named.body.code }).toEqual({ status: 400, code: 'assistant_inactive' });
    await api().post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(200);
    const byDefault = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ title: 'By default' });
    expect({ status: byDefault.status, code: byDefault.body.code }).toEqual({ status: 400, code: 'assistant_inactive' });
    expect(await threadsOf(user.cookie)).toEqual([]);

    await api().patch(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).send({ isActive: true }).expect(200);
    const started = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ title: 'Awake' }).expect(201);
    expect(started.body.assistantId).toBe(assistant.id);
  });

  it('refuses POST /api/chat without an assistantId when the default assistant is inactive', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { name: 'Default, asleep' });
    await api().post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(200);
    await api().patch(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).send({ isActive: false }).expect(200);

    for (const stream of [false, true]) {
      const refused = await chatJson(testApp, user.cookie, { message: 'Hello?', stream });
      expect({ stream, status: refused.status, code: refused.body.code }).toEqual({ stream, status: 400, code: 'assistant_inactive' });
    }
    expect(await threadsOf(user.cookie)).toEqual([]);
    expect(repliesFor(user.apiKey)).toEqual([]);
  });

  it('refuses POST /api/threads/:id/run once the thread\'s assistant is inactive, and runs it again once active', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { name: 'Goes quiet' });
    const thread = (await api().post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(201)).body;
    await api()
      .post(`/api/threads/${thread.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'Anyone there?' })
      .expect(201);
    await api().patch(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).send({ isActive: false }).expect(200);

    for (const stream of [false, true]) {
      const refused = await api().post(`/api/threads/${thread.id}/run`).set('Cookie', user.cookie).send({ stream });
      expect({ stream, status: refused.status, code: refused.body.code }).toEqual({ stream, status: 400, code: 'assistant_inactive' });
    }
    expect((await messagesOf(testApp, user.cookie, thread.id)).map((message) => message.role)).toEqual(['user']);
    expect(repliesFor(user.apiKey)).toEqual([]);

    await api().patch(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).send({ isActive: true }).expect(200);
    await api().post(`/api/threads/${thread.id}/run`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
    expect((await messagesOf(testApp, user.cookie, thread.id)).map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(repliesFor(user.apiKey)).toHaveLength(1);
  });
});

describe('assistants: configured default model', () => {
  it('uses DEFAULT_MODEL when a new assistant names no model', async () => {
    const testApp = await startTestApp({ env: { DEFAULT_MODEL: 'gpt-4.1-mini' } });
    try {
      const { cookie } = await registerUser(testApp.baseUrl);
      expect((await createAssistant(testApp.baseUrl, cookie)).model).toBe('gpt-4.1-mini');
      expect((await createAssistant(testApp.baseUrl, cookie, { model: 'gpt-5' })).model).toBe('gpt-5');
    } finally {
      await testApp.close();
    }
  });
});
