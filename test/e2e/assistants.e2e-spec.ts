import request from 'supertest';
import { registerUser } from '../support/session-client.js';
import { createAssistant, eventually, registerUserWithKey, uploadFile, waitForFileStatus } from '../support/platform-api.js';
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
      createdAt: expect.stringMatching(ISO_DATE),
      updatedAt: expect.stringMatching(ISO_DATE),
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

    await api().delete(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(200);

    await api().get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(404);
    expect((await api().get('/api/settings').set('Cookie', user.cookie).expect(200)).body.defaultAssistantId).toBeNull();
    expect((await api().get('/api/user').set('Cookie', user.cookie).expect(200)).body.defaultAssistantId).toBeNull();
    await eventually(() => (testApp.fake.vectorStores.has(indexed.vectorStoreId) ? undefined : true), {
      describe: () => [...testApp.fake.vectorStores.keys()],
    });
    const file = await api().get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
    expect(file.body.assistants).toEqual([]);
    await api().delete(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(404);
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
