import request from 'supertest';
import { FakeOpenAI } from '../support/fake-openai/index.js';
import { createAssistant, registerUserWithKey } from '../support/platform-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A provider that lists far more models than anyone has: 50,000 fine-tunes, then the usual ones. */
const HUGE_LIST = [...Array.from({ length: 50_000 }, (_, index) => `ft:gpt-4o-mini:org:run-${index}`), 'gpt-4o', 'gpt-4o-mini'];

describe('the list of models read from the provider is bounded', () => {
  let fake: FakeOpenAI;
  /** The default bound (MODELS_MAX_IDS=2000). */
  let app: TestApp;
  /** A bound above the list's length, on the same database and provider. */
  let roomy: TestApp;

  beforeAll(async () => {
    fake = await FakeOpenAI.start({ models: HUGE_LIST, recordBodies: false });
    app = await startTestApp({ fake });
    roomy = await startTestApp({ fake, database: app.database, env: { MODELS_MAX_IDS: '60000' } });
  });

  afterAll(async () => {
    await roomy?.close();
    await app?.close();
    await fake?.stop();
    fake?.assertNoSchemaViolations();
  });

  const listsAskedWith = (apiKey: string) =>
    fake.requestsTo('GET', '/v1/models').filter((entry) => entry.headers.authorization === `Bearer ${apiKey}`).length;

  it('keeps at most MODELS_MAX_IDS ids: a longer list checks no name, is read once while cached, and the server says why', async () => {
    expect(app.config.openai.modelsMaxIds).toBe(2_000);
    const user = await registerUserWithKey(app.baseUrl);
    const afterKeyCheck = listsAskedWith(user.apiKey);

    // A name the key has, past the bound, is not refused; nor is one it lacks (the list cannot tell them apart).
    expect((await createAssistant(app.baseUrl, user.cookie, { name: 'Known', model: 'gpt-4o' })).model).toBe('gpt-4o');
    expect((await createAssistant(app.baseUrl, user.cookie, { name: 'Typo', model: 'gpto' })).model).toBe('gpto');
    expect(listsAskedWith(user.apiKey) - afterKeyCheck).toBe(1);
    const warnings = app.logs.entries().filter((entry) => entry.userId === user.userId && String(entry.msg).includes('MODELS_MAX_IDS'));
    expect(warnings).toEqual([expect.objectContaining({ limit: 2_000 })]);
  });

  it('checks names against the whole list when the bound holds it', async () => {
    const user = await registerUserWithKey(roomy.baseUrl);
    const refused = await request(roomy.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Typo', model: 'gpto' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'unknown_model', details: [{ field: 'model', suggestions: expect.arrayContaining(['gpt-4o']) }] });
    expect((await createAssistant(roomy.baseUrl, user.cookie, { name: 'Known', model: 'gpt-4o' })).model).toBe('gpt-4o');
  });
});
