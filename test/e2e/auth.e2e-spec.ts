import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { eventually } from '../support/platform-api.js';
import { listRoutes, concretePath } from '../support/routes.js';
import { login, registerUser, sessionCookie, sessionIdOf } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';


/** The routes anyone may call without a session (metrics has its own optional token). */
const PUBLIC_ROUTES = ['GET /api', 'GET /config', 'GET /health', 'GET /metrics', 'POST /api/login', 'POST /api/logout', 'POST /api/register'];

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
    await request(testApp.baseUrl)
      .post('/api/chat')
      .set('Cookie', user.cookie)
      .send({ assistantId: assistant.id, message: 'Remember this', stream: false })
      .expect(200);
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
    // The user owns rows in every table that has owners (but the queue of upstream work, done by now).
    const before = await countOwned();
    expect(Object.keys(before).filter((table) => before[table] === 0 && table !== 'upstream_jobs')).toEqual([]);
    expect(before).toMatchObject({ session: 2, assistants: 2, files: 2, threads: 1, messages: 2, runs: 1, users: 1 });

    const refused = await request(testApp.baseUrl).delete('/api/user').set('Cookie', user.cookie).send({ password: 'nope-nope' });
    expect(refused.status).toBe(400);
    await request(testApp.baseUrl).delete('/api/user').set('Cookie', user.cookie).send({ password: user.password }).expect(200);

    const after = await countOwned();
    expect(Object.keys(after).filter((table) => after[table] !== 0)).toEqual([]);
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
      expect({ route: `${route.method} ${route.path}`, status: response.status, code: response.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        code: 'not_authenticated',
      });
    }
  });
});

describe('session secrets and lifetimes', () => {
  it('accepts cookies signed with a still-listed secret and rejects a retired one', async () => {
    const oldSecret = 'old-secret-0123456789-0123456789-abcdef';
    const newSecret = 'new-secret-0123456789-0123456789-abcdef';
    const issuing = await startTestApp({ env: { SESSION_SECRETS: oldSecret } });
    const rotated = await startTestApp({ database: issuing.database, env: { SESSION_SECRETS: `${newSecret},${oldSecret}` } });
    const retired = await startTestApp({ database: issuing.database, env: { SESSION_SECRETS: newSecret } });
    try {
      const { cookie } = await registerUser(issuing.baseUrl);
      await request(rotated.baseUrl).get('/api/user').set('Cookie', cookie).expect(200);
      await request(retired.baseUrl).get('/api/user').set('Cookie', cookie).expect(401);
    } finally {
      await retired.close();
      await rotated.close();
      await issuing.close();
    }
  });

  it('expires a session after the idle timeout and after the absolute lifetime', async () => {
    const app = await startTestApp({
      env: { SESSION_IDLE_TIMEOUT_SECONDS: '1', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '3' },
    });
    try {
      const user = await registerUser(app.baseUrl);
      await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
      // What is under test is time passing unused: a request would reset the idle clock.
      await delay(1_400);
      await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(401);

      const active = await login(app.baseUrl, user.email, user.password);
      const started = Date.now();
      // In use more often than the idle timeout, the session still ends at its absolute lifetime.
      const lastStatus = await eventually(
        async () => {
          const status = (await request(app.baseUrl).get('/api/user').set('Cookie', active)).status;
          return status === 200 ? undefined : status;
        },
        { timeoutMs: 4_500, intervalMs: 400 },
      );
      const lifetime = Date.now() - started;
      expect(lastStatus).toBe(401);
      expect(lifetime).toBeGreaterThanOrEqual(2_800);
    } finally {
      await app.close();
    }
  });
});

describe('sessions ended while a request is in flight', () => {
  it('stay ended when that request finishes and saves the session', async () => {
    // Idle timeout 8 s: a request refreshes the session's idle clock (and so saves it) every 2 s.
    const app = await startTestApp({ fake: true, env: { SESSION_IDLE_TIMEOUT_SECONDS: '8', AUTO_TITLES: 'false' } });
    try {
      const user = await chatUser(app);
      const other = await login(app.baseUrl, user.email, user.password);
      // What is under test is time passing: the idle clock is due to be written back by the next request.
      await delay(2_200);
      app.fake.enqueueResponse({ text: 'A slow answer.', firstDeltaDelayMs: 1500 });
      const slow = chatJson(app, other, { assistantId: user.assistant.id, message: 'Take your time' }).then((response) => response);
      await eventually(() => app.fake.requestsTo('POST', '/v1/responses').length === 1 || undefined);

      await request(app.baseUrl)
        .post('/api/user/password')
        .set('Cookie', user.cookie)
        .send({ currentPassword: user.password, newPassword: 'a new password 456' })
        .expect(200);
      expect((await slow).status).toBe(200);

      await request(app.baseUrl).get('/api/user').set('Cookie', other).expect(401);
      const rows = await app.dataSource.query('SELECT count(*)::int AS count FROM "session" WHERE sid = $1', [sessionIdOf(other)]);
      expect(rows).toEqual([{ count: 0 }]);
      await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    } finally {
      await app.close();
    }
  });
});

describe('sign-in timing', () => {
  it('spends about the same time on an unknown e-mail as on a wrong password', async () => {
    const app = await startTestApp({ env: { BCRYPT_COST: '10' } });
    try {
      const user = await registerUser(app.baseUrl);
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await request(app.baseUrl).post('/api/login').send({ email, password: 'not-the-password' }).expect(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const known: number[] = [];
      const unknown: number[] = [];
      for (let round = 0; round < 5; round++) {
        known.push(await time(user.email));
        unknown.push(await time(`nobody-${round}@example.org`));
      }
      const [a, b] = [median(known), median(unknown)];
      // Both pay for one bcrypt comparison at cost 10 (tens of milliseconds); a skipped hash would be ~1 ms.
      expect(Math.min(a, b)).toBeGreaterThan(15);
      expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(2);
    } finally {
      await app.close();
    }
  });
});
