import OpenAI from 'openai';
import request from 'supertest';
import { registerUserWithKey } from '../support/platform-api.js';
import { apiToken, platformClient, v1Suite } from '../support/openai-wire/v1-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const LIMIT = { ASSISTANTS_MAX_PER_USER: '3' };

/**
 * Assistants carry up to 256,000 characters of instructions each, and the
 * list of them is answered whole: without a bound on how many one user keeps,
 * one user's list could outgrow the process.
 */
describe('assistants one user keeps (ASSISTANTS_MAX_PER_USER)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: LIMIT });
  });

  afterAll(async () => {
    await app?.close();
  });

  const api = () => request(app.baseUrl);
  const create = (cookie: string, name: string) => api().post('/api/assistants').set('Cookie', cookie).send({ name, instructions: 'x'.repeat(256_000) });

  it('refuses one more with 409 assistant_limit_reached, counting the trash, and takes one again after a deletion for good', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const ids: string[] = [];
    for (const name of ['One', 'Two', 'Three']) ids.push((await create(user.cookie, name).expect(201)).body.id);

    const refused = await create(user.cookie, 'Four').expect(409);
    expect(refused.body).toEqual(expect.objectContaining({ code: 'assistant_limit_reached', error: expect.stringContaining('at most 3 assistants') }));

    await api().delete(`/api/assistants/${ids[0]}`).set('Cookie', user.cookie).expect(200);
    const trashed = await api().get('/api/assistants?trashed=true').set('Cookie', user.cookie).expect(200);
    expect(trashed.body.map((assistant: { id: string }) => assistant.id)).toEqual([ids[0]]);
    await create(user.cookie, 'Four').expect(409);

    await api().delete(`/api/assistants/${ids[0]}?permanent=true`).set('Cookie', user.cookie).expect(200);
    await create(user.cookie, 'Four').expect(201);
    const listed = await api().get('/api/assistants').set('Cookie', user.cookie).expect(200);
    expect(listed.body.map((assistant: { name: string }) => assistant.name)).toEqual(['Four', 'Three', 'Two']);

    // Another user's count is their own.
    const other = await registerUserWithKey(app.baseUrl);
    await create(other.cookie, 'Mine').expect(201);
  });

  it('holds when many are created at once', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => create(user.cookie, `At once ${index}`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    const listed = await api().get('/api/assistants').set('Cookie', user.cookie).expect(200);
    expect(listed.body).toHaveLength(3);
  });

});

describe('assistants one user keeps, made through /v1', () => {
  const suite = v1Suite(LIMIT);

  it('are bounded the same way (409 assistant_limit_reached)', async () => {
    const user = await registerUserWithKey(suite.app.baseUrl);
    const client = platformClient(suite.app, await apiToken(suite.app, user.cookie), suite.answers);
    for (const name of ['One', 'Two', 'Three']) await client.beta.assistants.create({ model: 'gpt-4o-mini', name });
    const error = await client.beta.assistants.create({ model: 'gpt-4o-mini', name: 'Four' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect({ status: (error as InstanceType<typeof OpenAI.APIError>).status, code: (error as InstanceType<typeof OpenAI.APIError>).code }).toEqual({
      status: 409,
      code: 'assistant_limit_reached',
    });
    expect((await client.beta.assistants.list()).data).toHaveLength(3);
  });
});
