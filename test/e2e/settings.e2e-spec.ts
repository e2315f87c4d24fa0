import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SecretBox } from '../../src/common/crypto/secret-box.js';
import { parseEncryptionKeys } from '../../src/config/config.js';
import { Sql } from '../../src/database/sql.js';
import { rotateApiKeys } from '../../src/settings/key-rotation.js';
import { SettingsRepository } from '../../src/settings/settings.repository.js';
import { tablesContaining } from '../support/database-search.js';
import { eventually } from '../support/eventually.js';
import { registerUser } from '../support/session-client.js';
import { minimalPdf } from '../support/sample-files.js';
import { startTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';

const newKey = () => `sk-test-${randomBytes(16).toString('hex')}`;

/** The file once its status is one of `statuses`. */
async function waitForStatus(app: TestApp, cookie: string, fileId: string, statuses: string[]): Promise<any> {
  let last: { status?: string } | undefined;
  return eventually(
    async () => {
      const response = await request(app.baseUrl).get(`/api/files/${fileId}`).set('Cookie', cookie).expect(200);
      last = response.body;
      return statuses.includes(response.body.status) ? response.body : undefined;
    },
    { intervalMs: 50, describe: () => last },
  );
}

describe('per-user OpenAI API keys', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // The most verbose logging, so a key in any log line would show.
    testApp = await startTestApp({ fake: true, env: { LOG_LEVEL: 'trace' } });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('checks the key upstream, stores it encrypted, and only ever shows a hint', async () => {
    const user = await registerUser(testApp.baseUrl);
    const apiKey = newKey();
    const saved = await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey }).expect(200);
    expect(saved.body).toEqual({ message: expect.any(String) });

    const check = testApp.fake.requestsTo('GET', '/v1/models').at(-1);
    expect(check?.headers.authorization).toBe(`Bearer ${apiKey}`);

    const hint = `sk-…${apiKey.slice(-4)}`;
    const me = await request(testApp.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    expect(me.body).toMatchObject({ hasApiKey: true, apiKeyHint: hint });
    const settings = await request(testApp.baseUrl).get('/api/settings').set('Cookie', user.cookie).expect(200);
    expect(settings.body).toEqual({ hasApiKey: true, apiKeyHint: hint, defaultAssistantId: null, budget: expect.objectContaining({ paidBy: 'own' }) });

    expect(await tablesContaining(testApp.dataSource, apiKey)).toEqual([]);
    expect(await tablesContaining(testApp.dataSource, apiKey.slice(8))).toEqual([]);
    const [row] = await testApp.dataSource.query('SELECT api_key_ciphertext, api_key_key_id FROM users WHERE id = $1', [user.userId]);
    expect(row.api_key_key_id).toBe('k1');
    expect(Buffer.from(row.api_key_ciphertext, 'base64').length).toBe(12 + 16 + apiKey.length);

    for (const body of [saved.text, me.text, settings.text]) expect(body).not.toContain(apiKey.slice(3));
    expect(testApp.logs.text()).not.toContain(apiKey.slice(3));
  });

  it('refuses a key the provider rejects (400) and stores nothing', async () => {
    const user = await registerUser(testApp.baseUrl);
    const response = await request(testApp.baseUrl)
      .post('/api/settings/apikey')
      .set('Cookie', user.cookie)
      .send({ apiKey: `sk-invalid-${randomBytes(12).toString('hex')}` });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('api_key_invalid');
    const settings = await request(testApp.baseUrl).get('/api/settings').set('Cookie', user.cookie).expect(200);
    expect(settings.body.hasApiKey).toBe(false);
  });

  it('answers 502 and stores nothing when the provider cannot be reached', async () => {
    const user = await registerUser(testApp.baseUrl);
    testApp.fake.failNext('models', { kind: 'drop' }, 2);
    const response = await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: newKey() });
    expect(response.status).toBe(502);
    expect(response.body.code).toBe('upstream_unavailable');
    const settings = await request(testApp.baseUrl).get('/api/settings').set('Cookie', user.cookie).expect(200);
    expect(settings.body.hasApiKey).toBe(false);
  });

  it('validates the key field', async () => {
    const user = await registerUser(testApp.baseUrl);
    const response = await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: 'short' });
    expect(response.status).toBe(400);
    expect(response.body.details[0].field).toBe('apiKey');
  });

  it("sends each user's own key on that user's requests only", async () => {
    const alice = await registerUser(testApp.baseUrl);
    const bob = await registerUser(testApp.baseUrl);
    const aliceKey = newKey();
    const bobKey = newKey();
    await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', alice.cookie).send({ apiKey: aliceKey }).expect(200);
    await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', bob.cookie).send({ apiKey: bobKey }).expect(200);

    const upload = async (cookie: string, name: string) => {
      const assistant = await request(testApp.baseUrl).post('/api/assistants').set('Cookie', cookie).send({ name }).expect(201);
      const uploaded = await request(testApp.baseUrl)
        .post(`/api/assistants/${assistant.body.id}/files`)
        .set('Cookie', cookie)
        .attach('file', minimalPdf(name), `${name}.pdf`)
        .expect(201);
      await waitForStatus(testApp, cookie, uploaded.body.fileIds[0], ['ready', 'failed']);
    };
    await Promise.all([upload(alice.cookie, `alice-${Date.now()}`), upload(bob.cookie, `bob-${Date.now()}`)]);

    const uploads = testApp.fake.requestsTo('POST', '/v1/files');
    const byKey = (key: string) =>
      uploads.filter((entry) => entry.headers.authorization === `Bearer ${key}`).map((entry) => (entry.body as any).files[0].filename);
    expect(byKey(aliceKey)).toEqual([expect.stringMatching(/^alice-/)]);
    expect(byKey(bobKey)).toEqual([expect.stringMatching(/^bob-/)]);
  });

  it('uses a replaced key from the next request on', async () => {
    const user = await registerUser(testApp.baseUrl);
    const assistant = await request(testApp.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Keys' }).expect(201);
    const chat = () =>
      request(testApp.baseUrl)
        .post('/api/chat')
        .set('Cookie', user.cookie)
        .send({ assistantId: assistant.body.id, message: 'Which key pays for this?', stream: false })
        .expect(200);
    const keysSeen = () => testApp.fake.requestsTo('POST', '/v1/responses').map((entry) => entry.headers.authorization);
    const [first, second] = [newKey(), newKey()];

    await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: first }).expect(200);
    await chat();
    expect(keysSeen()).toContain(`Bearer ${first}`);
    const before = keysSeen().length;
    await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: second }).expect(200);
    await chat();
    const after = keysSeen().slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((header) => header === `Bearer ${first}`)).toEqual([]);
    expect(after).toContain(`Bearer ${second}`);
  });

  it('forgets the key on delete: upstream work then reports api_key_missing', async () => {
    const user = await registerUser(testApp.baseUrl);
    await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: newKey() }).expect(200);
    await request(testApp.baseUrl).delete('/api/settings/apikey').set('Cookie', user.cookie).expect(200);
    const settings = await request(testApp.baseUrl).get('/api/settings').set('Cookie', user.cookie).expect(200);
    expect(settings.body).toMatchObject({ hasApiKey: false, apiKeyHint: null });

    const assistant = await request(testApp.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'No key' }).expect(201);
    const uploaded = await request(testApp.baseUrl)
      .post(`/api/assistants/${assistant.body.id}/files`)
      .set('Cookie', user.cookie)
      .attach('file', minimalPdf(), 'doc.pdf')
      .expect(201);
    const file = await waitForStatus(testApp, user.cookie, uploaded.body.fileIds[0], ['failed']);
    expect(file.status).toBe('failed');
    expect(file.error).toMatch(/No OpenAI API key/);
  });

  it('sets, validates and clears the default assistant', async () => {
    const owner = await registerUser(testApp.baseUrl);
    const stranger = await registerUser(testApp.baseUrl);
    const mine = await request(testApp.baseUrl).post('/api/assistants').set('Cookie', owner.cookie).send({ name: 'Mine' }).expect(201);
    const theirs = await request(testApp.baseUrl).post('/api/assistants').set('Cookie', stranger.cookie).send({ name: 'Theirs' }).expect(201);

    const foreign = await request(testApp.baseUrl)
      .post('/api/settings/default-assistant')
      .set('Cookie', owner.cookie)
      .send({ assistantId: theirs.body.id });
    expect(foreign.status).toBe(404);
    const malformed = await request(testApp.baseUrl).post('/api/settings/default-assistant').set('Cookie', owner.cookie).send({ assistantId: 'x' });
    expect(malformed.status).toBe(400);
    const missing = await request(testApp.baseUrl).post('/api/settings/default-assistant').set('Cookie', owner.cookie).send({});
    expect(missing.status).toBe(400);

    await request(testApp.baseUrl).post('/api/settings/default-assistant').set('Cookie', owner.cookie).send({ assistantId: mine.body.id }).expect(200);
    expect((await request(testApp.baseUrl).get('/api/settings').set('Cookie', owner.cookie)).body.defaultAssistantId).toBe(mine.body.id);
    await request(testApp.baseUrl).post('/api/settings/default-assistant').set('Cookie', owner.cookie).send({ assistantId: null }).expect(200);
    expect((await request(testApp.baseUrl).get('/api/user').set('Cookie', owner.cookie)).body.defaultAssistantId).toBeNull();
  });
});

describe('shared fallback key and key rotation', () => {
  it('uses the operator fallback key for users without their own, when configured', async () => {
    const fallback = newKey();
    const app = await startTestApp({ fake: true, env: { OPENAI_API_KEY: fallback } });
    try {
      const user = await registerUser(app.baseUrl);
      const assistant = await request(app.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Shared' }).expect(201);
      const uploaded = await request(app.baseUrl)
        .post(`/api/assistants/${assistant.body.id}/files`)
        .set('Cookie', user.cookie)
        .attach('file', minimalPdf(), 'shared.pdf')
        .expect(201);
      const file = await waitForStatus(app, user.cookie, uploaded.body.fileIds[0], ['ready', 'failed']);
      expect(file.status).toBe('ready');
      expect(app.fake.requestsTo('POST', '/v1/files').at(-1)?.headers.authorization).toBe(`Bearer ${fallback}`);
      expect(app.logs.text()).not.toContain(fallback.slice(3));
    } finally {
      await app.close();
    }
  });

  it('re-encrypts stored keys with the new master key; old ciphertexts decrypt until then', async () => {
    const oldEntry = TEST_ENCRYPTION_KEY;
    const newEntry = `k2:${randomBytes(32).toString('base64')}`;
    const before = await startTestApp({ fake: true });
    const apiKey = newKey();
    const user = await registerUser(before.baseUrl);
    await request(before.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey }).expect(200);
    await before.app.close();

    const both = await startTestApp({ database: before.database, fake: before.fake, env: { ENCRYPTION_KEYS: `${newEntry},${oldEntry}` } });
    try {
      const [beforeRotation] = await both.dataSource.query('SELECT api_key_key_id FROM users WHERE id = $1', [user.userId]);
      expect(beforeRotation.api_key_key_id).toBe('k1');
      const result = await rotateApiKeys(new SettingsRepository(both.app.get(Sql)), new SecretBox(parseEncryptionKeys('ENCRYPTION_KEYS', [newEntry, oldEntry])));
      expect(result.rotated).toBeGreaterThanOrEqual(1);
      const [afterRotation] = await both.dataSource.query('SELECT api_key_key_id FROM users WHERE id = $1', [user.userId]);
      expect(afterRotation.api_key_key_id).toBe('k2');
    } finally {
      await both.app.close();
    }

    const onlyNew = await startTestApp({ database: before.database, fake: before.fake, env: { ENCRYPTION_KEYS: newEntry } });
    try {
      const cookie = (await request(onlyNew.baseUrl).post('/api/login').send({ email: user.email, password: user.password }).expect(200))
        .headers['set-cookie'][0].split(';')[0];
      const assistant = await request(onlyNew.baseUrl).post('/api/assistants').set('Cookie', cookie).send({ name: 'Rotated' }).expect(201);
      const uploaded = await request(onlyNew.baseUrl)
        .post(`/api/assistants/${assistant.body.id}/files`)
        .set('Cookie', cookie)
        .attach('file', minimalPdf(), 'rotated.pdf')
        .expect(201);
      const file = await waitForStatus(onlyNew, cookie, uploaded.body.fileIds[0], ['ready', 'failed']);
      expect(file.status).toBe('ready');
      expect(onlyNew.fake.requestsTo('POST', '/v1/files').at(-1)?.headers.authorization).toBe(`Bearer ${apiKey}`);
    } finally {
      await onlyNew.app.close();
      await before.database.drop();
      await before.fake.stop();
    }
  });
});
