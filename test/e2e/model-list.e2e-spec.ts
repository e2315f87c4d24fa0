import request from 'supertest';
import { registerUserWithKey } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /api/models: the chat models the signed-in user may choose', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it("answers the chat models of the user's key, sorted, without embedding models", async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const answer = await request(app.baseUrl).get('/api/models').set('Cookie', user.cookie).expect(200);
    expect(answer.body).toEqual({ models: ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4o', 'gpt-4o-mini', 'gpt-5', 'gpt-5-mini'], available: true });
  });

  it('answers to a token with the read scope, and refuses one without it', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const token = async (scopes: string[]) =>
      (await request(app.baseUrl).post('/api/tokens').set('Cookie', user.cookie).send({ name: 'models', scopes }).expect(201)).body.token as string;
    const reader = await token(['read']);
    const listed = await request(app.baseUrl).get('/api/models').set('Authorization', `Bearer ${reader}`).expect(200);
    expect(listed.body.models).toContain('gpt-4o');
    const writer = await token(['write']);
    const refused = await request(app.baseUrl).get('/api/models').set('Authorization', `Bearer ${writer}`).expect(403);
    expect(refused.body.code).toBeDefined();
  });

  it('reads the list from the provider once for a flood of requests that arrive while it is being read', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const before = app.fake.requestsTo('GET', '/v1/models').length;
    const held = app.fake.holdNext('models');
    const flood = Array.from({ length: 20 }, () => request(app.baseUrl).get('/api/models').set('Cookie', user.cookie));
    const answers = Promise.all(flood);
    await held.arrived;
    // Give every other request time to reach the platform while the first read waits.
    await new Promise((resolve) => setTimeout(resolve, 300));
    held.release();
    for (const answer of await answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.available).toBe(true);
    }
    expect(app.fake.requestsTo('GET', '/v1/models').length - before).toBe(1);
  });

  it('says the list is unavailable without a key or when the provider fails, and needs a sign-in', async () => {
    const keyless = await registerUser(app.baseUrl);
    const none = await request(app.baseUrl).get('/api/models').set('Cookie', keyless.cookie).expect(200);
    expect(none.body).toEqual({ models: [], available: false });

    const user = await registerUserWithKey(app.baseUrl);
    // The key check read the list once without caching it for the user; the next read fails.
    app.fake.failNext('models', { kind: 'server_error' });
    const failing = await request(app.baseUrl).get('/api/models').set('Cookie', user.cookie).expect(200);
    expect(failing.body).toEqual({ models: [], available: false });

    await request(app.baseUrl).get('/api/models').expect(401);
  });
});
