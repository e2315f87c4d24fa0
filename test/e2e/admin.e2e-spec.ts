import request from 'supertest';
import { AuditSweeper } from '../../src/audit/audit-sweeper.js';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { newApiKey } from '../support/platform-api.js';
import { concretePath, listRoutes } from '../support/routes.js';
import { login, registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type User = Awaited<ReturnType<typeof registerUser>>;

/** Every route of the administration, as the application serves them. */
const ADMIN_ROUTES = [
  'DELETE /api/admin/invites/:id',
  'DELETE /api/admin/users/:id',
  'DELETE /api/admin/users/:id/budget',
  'GET /api/admin/audit',
  'GET /api/admin/budgets',
  'GET /api/admin/invites',
  'GET /api/admin/signup-policy',
  'GET /api/admin/users',
  'GET /api/admin/users/:id',
  'GET /api/admin/users/:id/budget',
  'PATCH /api/admin/users/:id/role',
  'POST /api/admin/invites',
  'POST /api/admin/users/:id/disable',
  'POST /api/admin/users/:id/enable',
  'POST /api/admin/users/:id/require-password-change',
  'PUT /api/admin/budgets',
  'PUT /api/admin/signup-policy',
  'PUT /api/admin/users/:id/budget',
];

describe('administrators', () => {
  let app: TestApp;
  let admin: User;
  const api = () => request(app.baseUrl);

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
    admin = await registerUser(app.baseUrl, { email: 'first@example.org' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('the first account of an empty installation is an administrator, the next ones are users (role on GET /api/user)', async () => {
    const me = await api().get('/api/user').set('Cookie', admin.cookie).expect(200);
    expect(me.body).toMatchObject({ id: admin.userId, role: 'admin', mustChangePassword: false });
    const second = await registerUser(app.baseUrl);
    expect((await api().get('/api/user').set('Cookie', second.cookie).expect(200)).body.role).toBe('user');
  });

  it('every /api/admin/* route (read from the application) answers a non-administrator as a route that does not exist', async () => {
    const user = await registerUser(app.baseUrl);
    const routes = listRoutes(app.app).filter((route) => route.path.startsWith('/api/admin'));
    expect(routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(ADMIN_ROUTES);
    const victim = await registerUser(app.baseUrl);
    for (const route of routes) {
      const path = concretePath(route.path, victim.userId);
      const response = await api()[route.method.toLowerCase() as 'get'](path).set('Cookie', user.cookie).send({ role: 'admin', policy: 'open' });
      const missing = await api()[route.method.toLowerCase() as 'get']('/api/no-such-route').set('Cookie', user.cookie).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status, body: response.body }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 404,
        body: JSON.parse(JSON.stringify(missing.body).replace('/api/no-such-route', path)),
      });
      expect(response.body.code).toBe('not_found');
      // An unknown query parameter tells nothing either: it is looked at only once the role is known.
      const queried = await api()[route.method.toLowerCase() as 'get'](`${path}?bogus=1`).set('Cookie', user.cookie).send({});
      expect({ route: `${route.method} ${route.path}`, status: queried.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
    }
    // Nothing was done to the victim, and the user did not become an administrator.
    const victimNow = await api().get(`/api/admin/users/${victim.userId}`).set('Cookie', admin.cookie).expect(200);
    expect(victimNow.body).toMatchObject({ role: 'user', disabledAt: null, mustChangePassword: false });
    expect((await api().get('/api/user').set('Cookie', user.cookie).expect(200)).body.role).toBe('user');
    // The administrator reaches them.
    await api().get('/api/admin/users').set('Cookie', admin.cookie).expect(200);
    await api().get('/api/admin/audit').set('Cookie', admin.cookie).expect(200);
  });

  it('promotes and demotes, never the last administrator, and a demotion counts at once', async () => {
    const other = await registerUser(app.baseUrl);
    const refused = await api().patch(`/api/admin/users/${admin.userId}/role`).set('Cookie', admin.cookie).send({ role: 'user' });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'last_admin' });

    await api().patch(`/api/admin/users/${other.userId}/role`).set('Cookie', admin.cookie).send({ role: 'admin' }).expect(200);
    await api().get('/api/admin/users').set('Cookie', other.cookie).expect(200);
    // Two administrators demoting each other at once: one of them stays.
    const [a, b] = await Promise.all([
      api().patch(`/api/admin/users/${other.userId}/role`).set('Cookie', admin.cookie).send({ role: 'user' }),
      api().patch(`/api/admin/users/${admin.userId}/role`).set('Cookie', other.cookie).send({ role: 'user' }),
    ]);
    // The loser finds itself no longer an administrator (404) or the last one (409).
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([404, 409]).toContain(statuses[1]);
    const admins = await app.dataSource.query(`SELECT id FROM users WHERE role = 'admin'`);
    expect(admins).toHaveLength(1);
    // Whoever is still an administrator makes the first one an administrator again.
    const remaining = admins[0].id === admin.userId ? admin : other;
    await api().patch(`/api/admin/users/${admin.userId}/role`).set('Cookie', remaining.cookie).send({ role: 'admin' }).expect(200);
    await api().patch(`/api/admin/users/${other.userId}/role`).set('Cookie', admin.cookie).send({ role: 'user' }).expect(200);
    await api().get('/api/admin/users').set('Cookie', other.cookie).expect(404);
    const bad = await api().patch(`/api/admin/users/${other.userId}/role`).set('Cookie', admin.cookie).send({ role: 'root' });
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('lists and searches accounts with their usage this month, paged and bounded', async () => {
    const spender = await chatUser(app);
    await chatJson(app, spender.cookie, { assistantId: spender.assistant.id, message: 'Hello' }).expect(200);
    const found = await api().get('/api/admin/users').query({ search: spender.email.toUpperCase() }).set('Cookie', admin.cookie).expect(200);
    expect(found.headers['x-total-count']).toBe('1');
    expect(found.body).toEqual([
      expect.objectContaining({ id: spender.userId, email: spender.email, role: 'user', hasApiKey: true, disabledAt: null }),
    ]);
    expect(found.body[0].usage).toMatchObject({ turns: 1, calls: 1 });
    expect(found.body[0].usage.totalTokens).toBeGreaterThan(0);
    expect(found.body[0]).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(found.body)).not.toContain(spender.apiKey);

    const page = await api().get('/api/admin/users').query({ limit: 2, offset: 1 }).set('Cookie', admin.cookie).expect(200);
    expect(page.body).toHaveLength(2);
    expect(Number(page.headers['x-total-count'])).toBeGreaterThanOrEqual(4);
    expect(page.body[0].id).not.toBe(admin.userId);
    for (const query of [{ limit: 201 }, { offset: -1 }, { search: 'x'.repeat(321) }]) {
      const refused = await api().get('/api/admin/users').query(query).set('Cookie', admin.cookie);
      expect({ query, status: refused.status, code: refused.body.code }).toEqual({ query, status: 400, code: 'validation_failed' });
    }
    await api().get(`/api/admin/users/00000000-0000-4000-8000-000000000000`).set('Cookie', admin.cookie).expect(404);
  });

  it('forces a password change: the next sign-in only reaches the password change until it is done', async () => {
    const user = await registerUser(app.baseUrl);
    await api().post(`/api/admin/users/${user.userId}/require-password-change`).set('Cookie', admin.cookie).expect(200);
    const cookie = await login(app.baseUrl, user.email, user.password);
    const me = await api().get('/api/user').set('Cookie', cookie).expect(200);
    expect(me.body.mustChangePassword).toBe(true);
    for (const [method, path] of [['get', '/api/threads'], ['get', '/api/settings'], ['post', '/api/assistants']] as const) {
      const refused = await api()[method](path).set('Cookie', cookie).send({ name: 'x' });
      expect({ path, status: refused.status, code: refused.body.code }).toEqual({ path, status: 403, code: 'password_change_required' });
    }
    await api()
      .post('/api/user/password')
      .set('Cookie', cookie)
      .send({ currentPassword: user.password, newPassword: 'a fresh passphrase' })
      .expect(200);
    await api().get('/api/threads').set('Cookie', cookie).expect(200);
    expect((await api().get('/api/user').set('Cookie', cookie).expect(200)).body.mustChangePassword).toBe(false);
    const again = await login(app.baseUrl, user.email, 'a fresh passphrase');
    await api().get('/api/threads').set('Cookie', again).expect(200);
  });

  it('deletes an account the same way its owner would, and never another administrator', async () => {
    const user = await chatUser(app);
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Keep this' }).expect(200);
    await api().delete(`/api/admin/users/${user.userId}`).set('Cookie', admin.cookie).expect(200);
    await api().get('/api/user').set('Cookie', user.cookie).expect(401);
    for (const table of ['users', 'threads', 'messages', 'assistants']) {
      const column = table === 'users' ? 'id' : 'user_id';
      const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [user.userId]);
      expect({ table, n }).toEqual({ table, n: 0 });
    }
    await api().delete(`/api/admin/users/${user.userId}`).set('Cookie', admin.cookie).expect(404);
    const self = await api().delete(`/api/admin/users/${admin.userId}`).set('Cookie', admin.cookie);
    expect({ status: self.status, code: self.body.code }).toEqual({ status: 409, code: 'target_is_admin' });
    const disableSelf = await api().post(`/api/admin/users/${admin.userId}/disable`).set('Cookie', admin.cookie);
    expect({ status: disableSelf.status, code: disableSelf.body.code }).toEqual({ status: 409, code: 'target_is_admin' });
    // Nor by deleting their own account while others remain.
    const own = await api().delete('/api/user').set('Cookie', admin.cookie).send({ password: admin.password });
    expect({ status: own.status, code: own.body.code }).toEqual({ status: 409, code: 'last_admin' });
    await api().get('/api/user').set('Cookie', admin.cookie).expect(200);
  });

  it('keeps an audit entry for each event, with actor, target, address and time, and nothing secret', async () => {
    const password = 'audit trail passphrase';
    const user = await registerUser(app.baseUrl, { password });
    const apiKey = newApiKey();
    await api().post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey }).expect(200);
    await api().delete('/api/settings/apikey').set('Cookie', user.cookie).expect(200);
    await api().post('/api/login').send({ email: user.email, password: 'not the password' }).expect(401);
    await login(app.baseUrl, user.email, password);
    await api().post(`/api/admin/users/${user.userId}/disable`).set('Cookie', admin.cookie).expect(200);
    const refused = await api().post('/api/login').send({ email: user.email, password });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'account_disabled' });
    await api().post(`/api/admin/users/${user.userId}/enable`).set('Cookie', admin.cookie).expect(200);
    const invite = await api().post('/api/admin/invites').set('Cookie', admin.cookie).send({ maxUses: 2 }).expect(201);
    await api().delete(`/api/admin/invites/${invite.body.id}`).set('Cookie', admin.cookie).expect(200);
    await api().put('/api/admin/signup-policy').set('Cookie', admin.cookie).send({ policy: 'open' }).expect(200);
    await api()
      .post('/api/user/password')
      .set('Cookie', await login(app.baseUrl, user.email, password))
      .send({ currentPassword: password, newPassword: 'another audit passphrase' })
      .expect(200);

    const entries = async (query: Record<string, string | number>) =>
      (await api().get('/api/admin/audit').query(query).set('Cookie', admin.cookie).expect(200)).body.entries as any[];
    const about = (action: string) => entries({ action }).then((list) => list.filter((entry) => entry.targetId === user.userId));
    for (const action of ['sign_up', 'api_key.saved', 'api_key.removed', 'sign_in.failed', 'sign_in.succeeded', 'sign_in.refused', 'password.changed']) {
      const [entry] = await about(action);
      expect({ action, entry }).toEqual({
        action,
        entry: expect.objectContaining({ targetId: user.userId, targetEmail: user.email, address: expect.stringMatching(/127\.0\.0\.1/) }),
      });
    }
    for (const action of ['admin.user_disabled', 'admin.user_enabled']) {
      const [entry] = await about(action);
      expect({ action, entry }).toEqual({ action, entry: expect.objectContaining({ actorId: admin.userId, actorEmail: admin.email }) });
    }
    // The earlier tests' administration: role changes, forced password changes, deletions by an administrator and by the owner.
    for (const action of ['admin.role_changed', 'admin.password_change_forced', 'admin.user_deleted']) {
      const [entry] = await entries({ action });
      expect({ action, entry }).toEqual({ action, entry: expect.objectContaining({ actorId: expect.any(String), targetId: expect.any(String) }) });
    }
    expect((await entries({ action: 'admin.role_changed' })).some((entry) => entry.detail.from === 'admin' && entry.detail.to === 'user')).toBe(true);
    const [created] = await entries({ action: 'admin.invite_created' });
    expect(created).toMatchObject({ actorId: admin.userId, detail: { inviteId: invite.body.id, maxUses: 2 } });
    expect((await entries({ action: 'admin.invite_revoked' }))[0].detail).toEqual({ inviteId: invite.body.id });
    expect((await entries({ action: 'policy.signup_changed' }))[0]).toMatchObject({ actorId: admin.userId, detail: { to: 'open' } });
    const [failed] = await about('sign_in.failed');
    expect(failed).toMatchObject({ actorId: null, detail: { reason: 'wrong_password' }, at: expect.stringMatching(/^\d{4}-/) });

    // Filters: by actor, by time range; pages with before.
    const mine = await entries({ actorId: admin.userId, limit: 200 });
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((entry) => entry.actorId === admin.userId)).toBe(true);
    expect(await entries({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    const first = await api().get('/api/admin/audit').query({ limit: 2 }).set('Cookie', admin.cookie).expect(200);
    expect(first.body.entries).toHaveLength(2);
    const next = await entries({ limit: 2, before: first.body.nextBefore });
    expect(BigInt(next[0].id)).toBeLessThan(BigInt(first.body.entries[1].id));
    for (const query of [{ limit: 201 }, { action: 'drop_table' }, { actorId: 'me' }, { before: '-1' }, { from: 'yesterday' }]) {
      const bad = await api().get('/api/admin/audit').query(query).set('Cookie', admin.cookie);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
    }

    // No secret anywhere in the log: not the key, not the passwords, not the invite token.
    const [{ dump }] = await app.dataSource.query(`SELECT string_agg(audit_log::text, ' ') AS dump FROM audit_log`);
    for (const secret of [apiKey, apiKey.slice(-12), password, 'not the password', 'another audit passphrase', invite.body.token]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('purges entries past AUDIT_RETENTION_DAYS and keeps the rest', async () => {
    expect(app.config.governance.auditRetentionDays).toBe(365);
    await app.dataSource.query(
      `INSERT INTO audit_log (action, created_at, detail) VALUES ('sign_up', now() - interval '400 days', '{"old":true}'), ('sign_up', now() - interval '300 days', '{"old":false}')`,
    );
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(await app.app.get(AuditSweeper).sweep()).toBe(1);
    const left = await app.dataSource.query(`SELECT detail FROM audit_log WHERE created_at < now() - interval '200 days'`);
    expect(left).toEqual([{ detail: { old: false } }]);
    const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(after[0].n).toBe(before[0].n - 1);
  });
});
