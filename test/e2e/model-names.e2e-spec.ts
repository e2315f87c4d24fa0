import request from 'supertest';
import { createAssistant, registerUserWithKey } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe("assistants' model names are checked against the user's models at OpenAI", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The GET /v1/models requests the fake received with this key. */
  const listsAskedWith = (target: TestApp, apiKey: string) =>
    target.fake.requestsTo('GET', '/v1/models').filter((entry) => entry.headers.authorization === `Bearer ${apiKey}`).length;

  it('refuses a name the key does not offer with 422 unknown_model naming the nearest ones, on create and on update', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const refused = await request(app.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Typo', model: 'gpto' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'unknown_model', details: [{ field: 'model', suggestions: expect.arrayContaining(['gpt-4o']) }] });
    expect(refused.body.details[0].suggestions[0]).toBe('gpt-4o');
    expect(refused.body.error).toContain('gpt-4o');

    const created = await createAssistant(app.baseUrl, user.cookie, { name: 'Right', model: 'gpt-4o' });
    const patched = await request(app.baseUrl)
      .patch(`/api/assistants/${created.id}`)
      .set('Cookie', user.cookie)
      .send({ model: 'gpt-4o-mni' })
      .expect(422);
    expect(patched.body.details[0].suggestions[0]).toBe('gpt-4o-mini');
    await request(app.baseUrl).patch(`/api/assistants/${created.id}`).set('Cookie', user.cookie).send({ model: 'gpt-5-mini' }).expect(200);
    const stored = await request(app.baseUrl).get(`/api/assistants/${created.id}`).set('Cookie', user.cookie).expect(200);
    expect(stored.body.model).toBe('gpt-5-mini');
  });

  it('reads the list once per user while it is cached, and at every check with MODELS_CACHE_SECONDS=0', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const afterKeyCheck = listsAskedWith(app, user.apiKey);
    for (const model of ['gpt-4o', 'gpt-5', 'gpt-4.1']) await createAssistant(app.baseUrl, user.cookie, { name: model, model });
    expect(listsAskedWith(app, user.apiKey) - afterKeyCheck).toBe(1);

    const uncached = await startTestApp({ fake: app.fake, database: app.database, env: { MODELS_CACHE_SECONDS: '0' } });
    try {
      const other = await registerUserWithKey(uncached.baseUrl);
      const before = listsAskedWith(uncached, other.apiKey);
      for (const model of ['gpt-4o', 'gpt-5']) await createAssistant(uncached.baseUrl, other.cookie, { name: model, model });
      expect(listsAskedWith(uncached, other.apiKey) - before).toBe(2);
    } finally {
      await uncached.close();
    }
  });

  it('accepts any name when the list cannot be read: no key, or the provider failing', async () => {
    const keyless = await registerUser(app.baseUrl);
    expect((await createAssistant(app.baseUrl, keyless.cookie, { name: 'Offline', model: 'gpto' })).model).toBe('gpto');

    const user = await registerUserWithKey(app.baseUrl);
    app.fake.failNext('models', { kind: 'server_error' });
    expect((await createAssistant(app.baseUrl, user.cookie, { name: 'Upstream down', model: 'my-fine-tune' })).model).toBe('my-fine-tune');
  });

  it('keeps a model the assistant already has without asking, when other fields change', async () => {
    const keyless = await registerUser(app.baseUrl);
    const created = await createAssistant(app.baseUrl, keyless.cookie, { name: 'Old', model: 'retired-model' });
    const apiKey = `sk-test-${'b'.repeat(32)}`;
    await request(app.baseUrl).post('/api/settings/apikey').set('Cookie', keyless.cookie).send({ apiKey }).expect(200);
    const renamed = await request(app.baseUrl)
      .patch(`/api/assistants/${created.id}`)
      .set('Cookie', keyless.cookie)
      .send({ name: 'Renamed', model: 'retired-model' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', model: 'retired-model' });
  });
});
