import request from 'supertest';
import { tablesContaining } from '../support/database-search.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = /^ap_[A-Za-z0-9_-]{43}$/;

describe('personal API tokens', () => {
  let app: TestApp;
  let admin: { cookie: string; userId: string };
  const api = () => request(app.baseUrl);

  beforeAll(async () => {
    app = await startTestApp({ env: { API_TOKENS_MAX_PER_USER: '3' } });
    // The first account administers the installation.
    admin = await registerUser(app.baseUrl);
  });

  afterAll(async () => {
    await app?.close();
  });

  const makeToken = async (cookie: string, body: Record<string, unknown> = {}) =>
    (await api().post('/api/tokens').set('Cookie', cookie).send({ name: 'script', scopes: ['read', 'write', 'chat'], ...body }).expect(201)).body;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('is shown once, stored only as a hash, listed without the token, and audited', async () => {
    const user = await registerUser(app.baseUrl);
    const created = await makeToken(user.cookie, { name: 'backup job', scopes: ['read'], expiresInDays: 30 });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'backup job',
      scopes: ['read'],
      token: expect.stringMatching(TOKEN),
      prefix: created.token.slice(0, 9),
      createdAt: expect.stringMatching(/Z$/),
      expiresAt: expect.stringMatching(/Z$/),
      lastUsedAt: null,
    });
    const days = (Date.parse(created.expiresAt) - Date.parse(created.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 1);

    // Nothing in the database holds the token, nor anything but its prefix.
    expect(await tablesContaining(app.dataSource, created.token)).toEqual([]);
    expect(await tablesContaining(app.dataSource, created.token.slice(9))).toEqual([]);
    const listed = await api().get('/api/tokens').set('Cookie', user.cookie).expect(200);
    expect(listed.body).toEqual([{ ...created, token: undefined }].map(({ token: _token, ...rest }) => rest));
    expect(JSON.stringify(listed.body)).not.toContain(created.token.slice(9));

    await api().delete(`/api/tokens/${created.id}`).set('Cookie', user.cookie).expect(200);
    const audit = await api().get(`/api/admin/audit?actorId=${user.userId}`).set('Cookie', admin.cookie).expect(200);
    const actions = (audit.body.entries ?? audit.body).map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['api_token.created', 'api_token.revoked']));
    expect(JSON.stringify(audit.body)).not.toContain(created.token.slice(9));
  });

  it('authenticates /api requests from its header only, without the cross-site check, and records its use', async () => {
    const user = await registerUser(app.baseUrl);
    const { token, id } = await makeToken(user.cookie);
    const me = await api().get('/api/user').set(bearer(token)).expect(200);
    expect(me.body.id).toBe(user.userId);
    // A state change from a script with a browser-like Origin: no cookie acts, so no cross-site refusal.
    const made = await api().post('/api/assistants').set(bearer(token)).set('Origin', 'https://elsewhere.example').send({ name: 'From a script' });
    expect(made.status).toBe(201);
    const [listed] = (await api().get('/api/tokens').set('Cookie', user.cookie).expect(200)).body;
    expect(listed.id).toBe(id);
    expect(listed.lastUsedAt).toEqual(expect.stringMatching(/Z$/));
    // Written at most once a minute.
    const [{ last_used_at: before }] = await app.dataSource.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [id]);
    await api().get('/api/user').set(bearer(token)).expect(200);
    const [{ last_used_at: after }] = await app.dataSource.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [id]);
    expect(after.getTime()).toBe(before.getTime());

    // Never from the query string.
    for (const query of [`access_token=${token}`, `api_key=${token}`, `token=${token}`]) {
      const response = await api().get(`/api/user?${query}`);
      expect({ query, status: response.status, code: response.body.code }).toEqual({ query, status: 401, code: 'not_authenticated' });
    }
    // Not in the logs either, whether it worked or was refused (query strings included).
    expect(app.logs.text()).not.toContain(token.slice(9));
    // A bearer request never falls back to the session the same client also holds.
    const withBoth = await api().get('/api/user').set('Cookie', user.cookie).set(bearer('ap_not-a-real-token'));
    expect({ status: withBoth.status, code: withBoth.body.code }).toEqual({ status: 401, code: 'invalid_api_token' });
  });

  it('answers 401 invalid_api_token to malformed, unknown, expired and revoked tokens', async () => {
    const user = await registerUser(app.baseUrl);
    const expired = await makeToken(user.cookie, { expiresInDays: 1 });
    await app.dataSource.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    const revoked = await makeToken(user.cookie);
    await api().get('/api/user').set(bearer(revoked.token)).expect(200);
    await api().delete(`/api/tokens/${revoked.id}`).set('Cookie', user.cookie).expect(200);
    const unknown = `ap_${'A'.repeat(43)}`;
    for (const header of [`Bearer ${expired.token}`, `Bearer ${revoked.token}`, `Bearer ${unknown}`, 'Bearer ap_short', 'Bearer', `Bearer ${expired.token}x`, `bearer ${'x'.repeat(5000)}`]) {
      const response = await api().get('/api/assistants').set('Authorization', header);
      expect({ header: header.slice(0, 60), status: response.status, code: response.body.code }).toEqual({ header: header.slice(0, 60), status: 401, code: 'invalid_api_token' });
    }
  });

  it('holds each request to the scopes of its token', async () => {
    const user = await registerUser(app.baseUrl);
    const read = await makeToken(user.cookie, { scopes: ['read'] });
    const write = await makeToken(user.cookie, { scopes: ['read', 'write'] });
    const chat = await makeToken(user.cookie, { scopes: ['chat'] });
    const expectRefused = (response: request.Response) =>
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: 'insufficient_scope' });

    await api().get('/api/assistants').set(bearer(read.token)).expect(200);
    expectRefused(await api().post('/api/assistants').set(bearer(read.token)).send({ name: 'No' }));
    const created = await api().post('/api/assistants').set(bearer(write.token)).send({ name: 'Yes' }).expect(201);
    expectRefused(await api().delete(`/api/assistants/${created.body.id}`).set(bearer(read.token)));
    // Running the model needs chat, whatever else the token may do.
    expectRefused(await api().post('/api/chat').set(bearer(write.token)).send({ assistantId: created.body.id, message: 'hi', stream: false }));
    expectRefused(await api().get(`/api/threads/${created.body.id}/stream`).set(bearer(read.token)));
    expectRefused(await api().get('/api/assistants').set(bearer(chat.token)));
    // A chat token passes the scope check (the user has no OpenAI key: the turn itself is refused for that).
    const chatted = await api().post('/api/chat').set(bearer(chat.token)).send({ assistantId: created.body.id, message: 'hi', stream: false });
    expect(chatted.body.code).not.toBe('insufficient_scope');
    // Nothing the refused requests asked for was done.
    const names = (await api().get('/api/assistants').set('Cookie', user.cookie).expect(200)).body.map((assistant: { name: string }) => assistant.name);
    expect(names).toEqual(['Yes']);
  });

  it('cannot manage tokens, the OpenAI key, the password or the account, and finds no administration', async () => {
    const user = await registerUser(app.baseUrl);
    const { token, id } = await makeToken(user.cookie);
    const sessionOnly: Array<[string, string, object]> = [
      ['post', '/api/tokens', { name: 'more', scopes: ['read'] }],
      ['get', '/api/tokens', {}],
      ['delete', `/api/tokens/${id}`, {}],
      ['post', '/api/settings/apikey', { apiKey: 'sk-test-0123456789' }],
      ['delete', '/api/settings/apikey', {}],
      ['post', '/api/user/password', { currentPassword: user.password, newPassword: 'another long passphrase' }],
      ['delete', '/api/user', { password: user.password }],
    ];
    for (const [method, path, body] of sessionOnly) {
      const response = await (api() as any)[method](path).set(bearer(token)).send(body);
      expect({ route: `${method} ${path}`, status: response.status, code: response.body.code }).toEqual({ route: `${method} ${path}`, status: 403, code: 'session_required' });
    }
    // Still there: the token and the account.
    expect((await api().get('/api/tokens').set('Cookie', user.cookie).expect(200)).body).toHaveLength(1);

    // An administrator's token meets administration as a route that does not exist.
    const adminToken = await makeToken(admin.cookie);
    for (const path of ['/api/admin/users', '/api/admin/audit', `/api/admin/users/${user.userId}`]) {
      const response = await api().get(path).set(bearer(adminToken.token));
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 404, code: 'not_found' });
    }
    const disable = await api().post(`/api/admin/users/${user.userId}/disable`).set(bearer(adminToken.token)).send({});
    expect(disable.status).toBe(404);
    await api().get('/api/user').set(bearer(token)).expect(200);
  });

  it("stop working at once when the user is disabled or must change the password, and another user's objects are 404", async () => {
    const owner = await registerUser(app.baseUrl);
    const intruder = await registerUser(app.baseUrl);
    const ownerToken = await makeToken(owner.cookie);
    const intruderToken = await makeToken(intruder.cookie);
    const assistant = await api().post('/api/assistants').set(bearer(ownerToken.token)).send({ name: 'Private' }).expect(201);
    for (const [method, path] of [['get', `/api/assistants/${assistant.body.id}`], ['patch', `/api/assistants/${assistant.body.id}`], ['delete', `/api/assistants/${assistant.body.id}`], ['delete', `/api/tokens/${ownerToken.id}`]]) {
      const headers = path.startsWith('/api/tokens') ? { Cookie: intruder.cookie } : bearer(intruderToken.token);
      const response = await (api() as any)[method](path).set(headers).send(method === 'patch' ? { name: 'Mine' } : {});
      expect({ path, method, status: response.status, code: response.body.code }).toEqual({ path, method, status: 404, code: 'not_found' });
    }
    expect((await api().get('/api/assistants').set(bearer(intruderToken.token)).expect(200)).body).toEqual([]);

    await api().get('/api/user').set(bearer(ownerToken.token)).expect(200);
    await api().post(`/api/admin/users/${owner.userId}/disable`).set('Cookie', admin.cookie).send({}).expect(200);
    const refused = await api().get('/api/user').set(bearer(ownerToken.token));
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: 'invalid_api_token' });
    await api().post(`/api/admin/users/${owner.userId}/enable`).set('Cookie', admin.cookie).send({}).expect(200);
    await api().get('/api/user').set(bearer(ownerToken.token)).expect(200);
    // Nor while an administrator requires a new password (the credentials may be known to someone else).
    await api().post(`/api/admin/users/${owner.userId}/require-password-change`).set('Cookie', admin.cookie).send({}).expect(200);
    const held = await api().get('/api/user').set(bearer(ownerToken.token));
    expect({ status: held.status, code: held.body.code }).toEqual({ status: 401, code: 'invalid_api_token' });
  });

  it('refuses bad requests and holds the number of tokens per user, under a burst too', async () => {
    const user = await registerUser(app.baseUrl);
    const bad: Array<Record<string, unknown>> = [
      { name: '', scopes: ['read'] },
      { name: 'x'.repeat(101), scopes: ['read'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin'] },
      { name: 'x', scopes: ['read', 'read'] },
      { name: 'x', scopes: 'read' },
      { name: 'x', scopes: ['read'], expiresInDays: 0 },
      { name: 'x', scopes: ['read'], expiresInDays: 3651 },
      { name: 'x', scopes: ['read'], expiresInDays: null },
      { name: 'x', scopes: ['read'], token: 'ap_chosen' },
    ];
    for (const body of bad) {
      const response = await api().post('/api/tokens').set('Cookie', user.cookie).send(body);
      expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code: 'validation_failed' });
    }
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, index) => api().post('/api/tokens').set('Cookie', user.cookie).send({ name: `t${index}`, scopes: ['read'] })),
    );
    expect(burst.filter((response) => response.status === 201)).toHaveLength(3);
    for (const response of burst.filter((response) => response.status !== 201)) {
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 409, code: 'api_token_limit_reached' });
    }
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM api_tokens WHERE user_id = $1', [user.userId]);
    expect(count).toBe(3);
    // Deleting one makes room again.
    const [first] = (await api().get('/api/tokens').set('Cookie', user.cookie).expect(200)).body;
    await api().delete(`/api/tokens/${first.id}`).set('Cookie', user.cookie).expect(200);
    await makeToken(user.cookie);
  });
});
