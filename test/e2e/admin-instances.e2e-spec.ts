import request from 'supertest';
import { eventually } from '../support/platform-api.js';
import { login, registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Two instances on one database; the second one names an administrator in ADMIN_EMAILS. */
describe('administration across instances', () => {
  let first: TestApp;
  let second: TestApp;
  let admin: Awaited<ReturnType<typeof registerUser>>;

  beforeAll(async () => {
    // A long session cache: a disabled account's sessions must end on the other instance by announcement, not by expiry.
    const env = { SESSION_CACHE_SECONDS: '60' };
    first = await startTestApp({ env });
    second = await startTestApp({ database: first.database, env: { ...env, ADMIN_EMAILS: 'Boss@Example.org, chief@example.org' } });
    admin = await registerUser(first.baseUrl);
  });

  afterAll(async () => {
    await second?.app.close();
    await first?.close();
  });

  it('disabling ends every session of the user at once on both instances, even where cached, and refuses sign-in until enabled', async () => {
    const user = await registerUser(first.baseUrl);
    const laptop = await login(second.baseUrl, user.email, user.password);
    for (const app of [first, second]) {
      for (const cookie of [user.cookie, laptop]) await request(app.baseUrl).get('/api/user').set('Cookie', cookie).expect(200);
    }
    await request(second.baseUrl).post(`/api/admin/users/${user.userId}/disable`).set('Cookie', admin.cookie).expect(200);
    // The instance that disabled it answers 401 on the very next request; the other one as soon as the announcement lands.
    for (const cookie of [user.cookie, laptop]) await request(second.baseUrl).get('/api/user').set('Cookie', cookie).expect(401);
    for (const cookie of [user.cookie, laptop]) {
      let status = 0;
      await eventually(
        async () => {
          status = (await request(first.baseUrl).get('/api/user').set('Cookie', cookie)).status;
          return status === 401 ? true : undefined;
        },
        { timeoutMs: 1_000, intervalMs: 10, describe: () => ({ status }) },
      );
    }
    const [{ sessions }] = await first.dataSource.query('SELECT count(*)::int AS sessions FROM session WHERE user_id = $1', [user.userId]);
    expect(sessions).toBe(0);
    for (const app of [first, second]) {
      const refused = await request(app.baseUrl).post('/api/login').send({ email: user.email, password: user.password });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'account_disabled' });
    }
    // A wrong password is still only invalid credentials: the state of the account shows only to its password.
    const wrong = await request(first.baseUrl).post('/api/login').send({ email: user.email, password: 'not it at all' });
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 401, code: 'invalid_credentials' });

    await request(first.baseUrl).post(`/api/admin/users/${user.userId}/enable`).set('Cookie', admin.cookie).expect(200);
    const back = await login(second.baseUrl, user.email, user.password);
    await request(first.baseUrl).get('/api/user').set('Cookie', back).expect(200);
  });

  it('a sign-in racing the disabling never leaves a live session', async () => {
    const user = await registerUser(first.baseUrl);
    const signIns = Array.from({ length: 5 }, (_, index) =>
      request((index % 2 ? first : second).baseUrl).post('/api/login').send({ email: user.email, password: user.password }),
    );
    const disabled = request(first.baseUrl).post(`/api/admin/users/${user.userId}/disable`).set('Cookie', admin.cookie);
    const [answer] = await Promise.all([disabled, ...signIns]);
    expect(answer.status).toBe(200);
    const [{ sessions }] = await first.dataSource.query('SELECT count(*)::int AS sessions FROM session WHERE user_id = $1', [user.userId]);
    expect(sessions).toBe(0);
  });

  it('ADMIN_EMAILS makes an administrator at sign-up and at sign-in on the instance that lists it', async () => {
    const boss = await registerUser(second.baseUrl, { email: 'boss@example.org' });
    expect((await request(first.baseUrl).get('/api/user').set('Cookie', boss.cookie).expect(200)).body.role).toBe('admin');
    // Signed up where the list does not name the account: a user, until it signs in where it does.
    const chief = await registerUser(first.baseUrl, { email: 'chief@example.org' });
    expect((await request(first.baseUrl).get('/api/user').set('Cookie', chief.cookie).expect(200)).body.role).toBe('user');
    await request(first.baseUrl).get('/api/admin/users').set('Cookie', chief.cookie).expect(404);
    const cookie = await login(second.baseUrl, chief.email, chief.password);
    expect((await request(first.baseUrl).get('/api/user').set('Cookie', cookie).expect(200)).body.role).toBe('admin');
    await request(first.baseUrl).get('/api/admin/users').set('Cookie', cookie).expect(200);
    const [entry] = (await request(first.baseUrl).get('/api/admin/audit').query({ action: 'sign_up' }).set('Cookie', cookie).expect(200)).body.entries;
    expect(entry).toMatchObject({ targetEmail: 'chief@example.org', detail: { role: 'user' } });
  });
});
