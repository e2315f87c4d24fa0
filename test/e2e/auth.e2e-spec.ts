import request from 'supertest';
import { listRoutes, concretePath } from '../support/routes.js';
import { login, registerUser, sessionCookie, sessionIdOf } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The routes anyone may call without a session (metrics has its own optional token). */
const PUBLIC_ROUTES = [
  'GET /api',
  'GET /api/shared/:token',
  'GET /api/shared/:token/files/:position',
  'GET /config',
  'GET /health',
  'GET /metrics',
  'POST /api/login',
  'POST /api/logout',
  'POST /api/register',
];

describe('accounts and sessions', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('register → user → logout → 401 → login → user, with a new session id and the old cookie dead', async () => {
    const { cookie: registered, email, password, userId } = await registerUser(testApp.baseUrl, { name: 'Ada' });
    const me = await request(testApp.baseUrl).get('/api/user').set('Cookie', registered).expect(200);
    expect(me.body).toEqual({
      id: userId,
      email,
      name: 'Ada',
      hasApiKey: false,
      apiKeyHint: null,
      defaultAssistantId: null,
      // The first account of the installation administers it.
      role: 'admin',
      mustChangePassword: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    await request(testApp.baseUrl).post('/api/logout').set('Cookie', registered).expect(200);
    const afterLogout = await request(testApp.baseUrl).get('/api/user').set('Cookie', registered).expect(401);
    expect(afterLogout.body.code).toBe('not_authenticated');
    const [{ count }] = await testApp.dataSource.query('SELECT count(*)::int AS count FROM session WHERE sid = $1', [
      sessionIdOf(registered),
    ]);
    expect(count).toBe(0);

    // Signing in while holding a cookie still yields a different session id.
    const loginResponse = await request(testApp.baseUrl)
      .post('/api/login')
      .set('Cookie', registered)
      .send({ email, password })
      .expect(200);
    const loggedIn = sessionCookie(loginResponse);
    expect(sessionIdOf(loggedIn)).not.toBe(sessionIdOf(registered));
    await request(testApp.baseUrl).get('/api/user').set('Cookie', loggedIn).expect(200);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', registered).expect(401);
  });

  it('sets an HttpOnly, SameSite=Lax cookie, and a Secure __Host- cookie behind an HTTPS proxy it trusts', async () => {
    const email = `cookie-${Date.now()}@example.org`;
    const plain = await request(testApp.baseUrl).post('/api/register').send({ email, password: 'password-123' }).expect(201);
    const plainCookie = (plain.headers['set-cookie'] as unknown as string[])[0];
    expect(plainCookie).toMatch(/^sid=/);
    expect(plainCookie).toMatch(/HttpOnly/i);
    expect(plainCookie).toMatch(/SameSite=Lax/i);
    expect(plainCookie).not.toMatch(/Secure/i);

    const proxied = await startTestApp({ database: testApp.database, env: { TRUST_PROXY: '1' } });
    try {
      const response = await request(proxied.baseUrl)
        .post('/api/login')
        .set('X-Forwarded-Proto', 'https')
        .send({ email, password: 'password-123' })
        .expect(200);
      const secureCookie = (response.headers['set-cookie'] as unknown as string[])[0];
      expect(secureCookie).toMatch(/^__Host-sid=/);
      expect(secureCookie).toMatch(/Secure/i);
      expect(secureCookie).toMatch(/Path=\//);
      expect(secureCookie).not.toMatch(/Domain=/i);
    } finally {
      await proxied.close();
    }
  });

  it('normalizes e-mails and keeps them unique, also under concurrent registrations', async () => {
    const base = `Mixed.Case-${Date.now()}@Example.org`;
    const first = await request(testApp.baseUrl).post('/api/register').send({ email: `  ${base} `, password: 'password-123' });
    expect(first.status).toBe(201);
    expect(first.body.email).toBe(base.toLowerCase());
    const again = await request(testApp.baseUrl).post('/api/register').send({ email: base.toUpperCase(), password: 'password-123' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('email_taken');
    await login(testApp.baseUrl, base.toUpperCase(), 'password-123');

    const racing = `race-${Date.now()}@example.org`;
    const results = await Promise.all(
      [1, 2].map(() => request(testApp.baseUrl).post('/api/register').send({ email: racing, password: 'password-123' })),
    );
    expect(results.map((result) => result.status).sort()).toEqual([201, 409]);
  });

  it('enforces password length and never truncates long passwords', async () => {
    const short = await request(testApp.baseUrl)
      .post('/api/register')
      .send({ email: `short-${Date.now()}@example.org`, password: 'seven77' });
    expect(short.status).toBe(400);
    expect(short.body.details[0].field).toBe('password');

    const sixtyFour = 'p'.repeat(64);
    const user = await registerUser(testApp.baseUrl, { password: sixtyFour });
    await login(testApp.baseUrl, user.email, sixtyFour);

    const prefix = 'x'.repeat(72);
    const long = await registerUser(testApp.baseUrl, { password: `${prefix}-first` });
    await login(testApp.baseUrl, long.email, `${prefix}-first`);
    const sharedPrefix = await request(testApp.baseUrl).post('/api/login').send({ email: long.email, password: `${prefix}-second` });
    expect(sharedPrefix.status).toBe(401);
    const multibyte = '密码'.repeat(40);
    const unicode = await registerUser(testApp.baseUrl, { password: multibyte });
    await login(testApp.baseUrl, unicode.email, multibyte);
  });

  it('answers an unknown e-mail and a wrong password alike', async () => {
    const user = await registerUser(testApp.baseUrl);
    const wrongPassword = await request(testApp.baseUrl).post('/api/login').send({ email: user.email, password: 'not-the-password' });
    const unknownEmail = await request(testApp.baseUrl)
      .post('/api/login')
      .send({ email: `nobody-${Date.now()}@example.org`, password: 'not-the-password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
  });

  it('changing the password ends the other sessions, keeps this one, and replaces the password', async () => {
    const user = await registerUser(testApp.baseUrl);
    const other = await login(testApp.baseUrl, user.email, user.password);
    const wrong = await request(testApp.baseUrl)
      .post('/api/user/password')
      .set('Cookie', user.cookie)
      .send({ currentPassword: 'wrong-password', newPassword: 'new password 123' });
    expect(wrong.status).toBe(400);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', other).expect(200);

    await request(testApp.baseUrl)
      .post('/api/user/password')
      .set('Cookie', user.cookie)
      .send({ currentPassword: user.password, newPassword: 'new password 123' })
      .expect(200);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', other).expect(401);
    await request(testApp.baseUrl).post('/api/login').send({ email: user.email, password: user.password }).expect(401);
    await login(testApp.baseUrl, user.email, 'new password 123');
  });

  it('deleting the account removes every row the user owns and ends all sessions', async () => {
    const user = await registerUser(testApp.baseUrl);
    const other = await login(testApp.baseUrl, user.email, user.password);
    for (const name of ['A', 'B']) {
      const assistant = await request(testApp.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name }).expect(201);
      await request(testApp.baseUrl)
        .post(`/api/upload`)
        .set('Cookie', user.cookie)
        .field('assistantId', assistant.body.id)
        .attach('file', Buffer.from(`notes for ${name}`), `${name}.txt`)
        .expect(201);
    }
    await request(testApp.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: 'sk-test-account-deletion-0001' }).expect(200);
    const [assistant] = (await request(testApp.baseUrl).get('/api/assistants').set('Cookie', user.cookie).expect(200)).body;
    const chat = await request(testApp.baseUrl)
      .post('/api/chat')
      .set('Cookie', user.cookie)
      .send({ assistantId: assistant.id, message: 'Remember this', stream: false })
      .expect(200);
    await request(testApp.baseUrl).put(`/api/messages/${chat.body.messageId}/feedback`).set('Cookie', user.cookie).send({ rating: 'up' }).expect(200);
    const shared = await request(testApp.baseUrl).post(`/api/threads/${chat.body.threadId}/shares`).set('Cookie', user.cookie).send({}).expect(201);
    const token = (await request(testApp.baseUrl).post('/api/tokens').set('Cookie', user.cookie).send({ name: 'script', scopes: ['read', 'write'] }).expect(201)).body.token;
    // A vector store (over /v1) holding a document, which an assistant uses.
    const [document] = (await request(testApp.baseUrl).get('/api/files').set('Cookie', user.cookie).expect(200)).body;
    const store = await request(testApp.baseUrl).post('/v1/vector_stores').set('Authorization', `Bearer ${token}`).send({ file_ids: [`file-${document.id.replace(/-/g, '')}`] }).expect(200);
    await request(testApp.baseUrl).post(`/v1/vector_stores/${store.body.id}/file_batches`).set('Authorization', `Bearer ${token}`).send({ file_ids: [`file-${document.id.replace(/-/g, '')}`] }).expect(200);
    await request(testApp.baseUrl).post('/v1/assistants').set('Authorization', `Bearer ${token}`).send({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [store.body.id] } } }).expect(200);
    // Titles are off in this app: the title call a new thread makes elsewhere is recorded as it would be.
    await testApp.dataSource.query(
      `INSERT INTO model_calls (user_id, thread_id, purpose, model, input_tokens, output_tokens)
       SELECT user_id, id, 'title', 'gpt-4o-mini', 12, 4 FROM threads WHERE user_id = $1`,
      [user.userId],
    );
    // An administrator's limits for the user, and a turn's hold on them (set by other suites' routes).
    await testApp.dataSource.query(`INSERT INTO user_budgets (user_id, tokens, usd) VALUES ($1, 1000, NULL)`, [user.userId]);
    await testApp.dataSource.query(`INSERT INTO budget_reservations (user_id, tokens, usd, reserved_until) VALUES ($1, 10, 0, now() + interval '1 minute')`, [user.userId]);
    const tables = (await testApp.dataSource.query(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'user_id' ORDER BY table_name`,
    )) as Array<{ table_name: string }>;
    const countOwned = async () => {
      const counts: Record<string, number> = {};
      for (const { table_name } of tables) {
        const [{ count }] = await testApp.dataSource.query(`SELECT count(*)::int AS count FROM "${table_name}" WHERE user_id = $1`, [
          user.userId,
        ]);
        counts[table_name] = count;
      }
      const [{ count: users }] = await testApp.dataSource.query('SELECT count(*)::int AS count FROM users WHERE id = $1', [user.userId]);
      counts.users = users;
      return counts;
    };
    expect(tables.map((table) => table.table_name)).toEqual(
      expect.arrayContaining(['assistants', 'session', 'files', 'file_chunks', 'assistant_files', 'threads', 'messages', 'runs']),
    );
    // The user owns rows in every table that has owners (but the queues of upstream work and of byte removals, done by now).
    const before = await countOwned();
    expect(Object.keys(before).filter((table) => before[table] === 0 && !['upstream_jobs', 'file_byte_deletions'].includes(table))).toEqual([]);
    expect(before).toMatchObject({ session: 2, assistants: 3, files: 2, threads: 1, messages: 2, runs: 1, message_feedback: 1, thread_shares: 1, api_tokens: 1, users: 1 });

    const refused = await request(testApp.baseUrl).delete('/api/user').set('Cookie', user.cookie).send({ password: 'nope-nope' });
    expect(refused.status).toBe(400);
    await request(testApp.baseUrl).delete('/api/user').set('Cookie', user.cookie).send({ password: user.password }).expect(200);

    const after = await countOwned();
    expect(Object.keys(after).filter((table) => after[table] !== 0)).toEqual([]);
    // The share link died with the account.
    await request(testApp.baseUrl).get(shared.body.path).expect(404);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(401);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', other).expect(401);
    await request(testApp.baseUrl).post('/api/login').send({ email: user.email, password: user.password }).expect(401);
  });

  it('answers 401 on every route that is not public (routes read from the application)', async () => {
    const routes = listRoutes(testApp.app);
    const protectedRoutes = routes.filter((route) => !route.isPublic);
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(6);
    // Exactly these are open to everyone; a route marked public by mistake fails here.
    expect(routes.filter((route) => route.isPublic).map((route) => `${route.method} ${route.path}`).sort()).toEqual(PUBLIC_ROUTES);
    for (const route of protectedRoutes) {
      const response = await request(testApp.baseUrl)[route.method.toLowerCase() as 'get'](concretePath(route.path)).send({});
      // The /v1 routes answer in OpenAI's error format, with the same code.
      const code = route.path.startsWith('/v1/') ? response.body.error?.code : response.body.code;
      expect({ route: `${route.method} ${route.path}`, status: response.status, code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        code: 'not_authenticated',
      });
    }
  });
});
