import request from 'supertest';
import { createAssistant } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** 16 pairs of the longest keys and values OpenAI allowed. */
const LARGEST = Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`${index}`.padEnd(64, 'k'), 'v'.repeat(512)]));

describe('threads carry metadata, as OpenAI threads did', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  const api = () => request(app.baseUrl);

  it('stores metadata given at creation, shows it everywhere, and replaces it on PATCH', async () => {
    const user = await registerUser(app.baseUrl);
    const assistant = await createAssistant(app.baseUrl, user.cookie, { name: 'Support' });
    const created = await api()
      .post('/api/thread/new')
      .set('Cookie', user.cookie)
      .send({ assistantId: assistant.id, metadata: { ticket: 'T-1234', channel: 'mail' } })
      .expect(201);
    expect(created.body.metadata).toEqual({ ticket: 'T-1234', channel: 'mail' });
    const fetched = await api().get(`/api/threads/${created.body.id}`).set('Cookie', user.cookie).expect(200);
    expect(fetched.body.metadata).toEqual({ ticket: 'T-1234', channel: 'mail' });
    const listed = await api().get('/api/threads').set('Cookie', user.cookie).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, metadata: { ticket: 'T-1234', channel: 'mail' } })]);

    const renamed = await api().patch(`/api/threads/${created.body.id}`).set('Cookie', user.cookie).send({ title: 'Renamed' }).expect(200);
    expect(renamed.body.metadata).toEqual({ ticket: 'T-1234', channel: 'mail' });
    const replaced = await api().patch(`/api/threads/${created.body.id}`).set('Cookie', user.cookie).send({ metadata: LARGEST }).expect(200);
    expect(replaced.body.metadata).toEqual(LARGEST);

    const plain = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(201);
    expect(plain.body.metadata).toEqual({});
  });

  it('refuses metadata past what OpenAI allowed, on create and on PATCH', async () => {
    const user = await registerUser(app.baseUrl);
    const assistant = await createAssistant(app.baseUrl, user.cookie, { name: 'Strict' });
    const thread = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(201);
    const invalid: unknown[] = [
      { ...LARGEST, extra: 'x' },
      { ['k'.repeat(65)]: 'v' },
      { key: 'v'.repeat(513) },
      { '': 'empty key' },
      { count: 3 },
      ['a', 'b'],
      null,
      'text',
    ];
    for (const metadata of invalid) {
      const createdWith = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: assistant.id, metadata });
      expect({ metadata, status: createdWith.status, code: createdWith.body.code }).toEqual({ metadata, status: 400, code: 'validation_failed' });
      const patched = await api().patch(`/api/threads/${thread.body.id}`).set('Cookie', user.cookie).send({ metadata });
      expect({ metadata, status: patched.status, field: patched.body.details?.[0]?.field }).toEqual({ metadata, status: 400, field: 'metadata' });
    }
    const unchanged = await api().get(`/api/threads/${thread.body.id}`).set('Cookie', user.cookie).expect(200);
    expect(unchanged.body.metadata).toEqual({});
  });
});
