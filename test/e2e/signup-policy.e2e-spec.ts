import request from 'supertest';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type User = Awaited<ReturnType<typeof registerUser>>;

const PASSWORD = 'correct horse battery staple';
let counter = 0;
const email = (domain = 'example.org') => `signup-${++counter}-${Date.now().toString(36)}@${domain}`;

describe('sign-up policy', () => {
  let app: TestApp;
  let admin: User;
  const api = () => request(app.baseUrl);
  const register = (body: Record<string, unknown>) => api().post('/api/register').send({ password: PASSWORD, ...body });
  const setPolicy = (body: Record<string, unknown>) => api().put('/api/admin/signup-policy').set('Cookie', admin.cookie).send(body);
  const createInvite = (body: Record<string, unknown> = {}) => api().post('/api/admin/invites').set('Cookie', admin.cookie).send(body);
  const refusal = (response: request.Response) => ({ status: response.status, code: response.body.code });

  beforeAll(async () => {
    // SIGNUP_POLICY gives the first value: closed, yet the first account of the empty installation gets in.
    app = await startTestApp({ env: { SIGNUP_POLICY: 'closed', SIGNUP_DOMAINS: 'example.org', INVITE_MAX_ACTIVE: '30', INVITE_MAX_DAYS: '2' } });
    admin = await registerUser(app.baseUrl);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('starts from SIGNUP_POLICY and refuses sign-up while closed', async () => {
    const current = await api().get('/api/admin/signup-policy').set('Cookie', admin.cookie).expect(200);
    expect(current.body).toMatchObject({ policy: 'closed', domains: ['example.org'] });
    expect(refusal(await register({ email: email() }))).toEqual({ status: 403, code: 'signup_closed' });
  });

  it('open: anyone signs up', async () => {
    await setPolicy({ policy: 'open' }).expect(200);
    await register({ email: email() }).expect(201);
  });

  it('domain: only the listed e-mail domains, set at run time', async () => {
    const set = await setPolicy({ policy: 'domain', domains: ['Team.Example', '@corp.example'] }).expect(200);
    expect(set.body).toMatchObject({ policy: 'domain', domains: ['team.example', 'corp.example'] });
    expect(refusal(await register({ email: email('example.org') }))).toEqual({ status: 403, code: 'domain_not_allowed' });
    expect(refusal(await register({ email: email('evil-team.example') }))).toEqual({ status: 403, code: 'domain_not_allowed' });
    await register({ email: email('team.example') }).expect(201);
    await register({ email: email('corp.example') }).expect(201);
    const tooMany = Array.from({ length: 201 }, (_, index) => `d${index}.example`);
    const refusedBodies = [{ policy: 'domain', domains: [] }, { policy: 'domain', domains: ['not a domain'] }, { policy: 'sometimes' }, { policy: 'domain', domains: tooMany }];
    for (const body of refusedBodies) {
      const label = JSON.stringify(body).slice(0, 60);
      expect({ label, ...refusal(await setPolicy(body)) }).toEqual({ label, status: 400, code: 'validation_failed' });
    }
    expect((await api().get('/api/admin/signup-policy').set('Cookie', admin.cookie).expect(200)).body.domains).toEqual(['team.example', 'corp.example']);
  });

  it('invite: refuses without a valid invite; a single-use invite admits once; revoked and expired ones admit no one', async () => {
    await setPolicy({ policy: 'invite' }).expect(200);
    expect(refusal(await register({ email: email() }))).toEqual({ status: 403, code: 'invite_required' });
    expect(refusal(await register({ email: email(), inviteToken: 'A'.repeat(43) }))).toEqual({ status: 403, code: 'invite_required' });

    const single = await createInvite().expect(201);
    expect(single.body).toMatchObject({ maxUses: 1, uses: 0, active: true, revokedAt: null });
    // At least 128 bits: 43 base64url characters carry 256.
    expect(single.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A sign-up that fails (e-mail taken) does not spend the invite.
    expect(refusal(await register({ email: admin.email, inviteToken: single.body.token }))).toEqual({ status: 409, code: 'email_taken' });
    await register({ email: email(), inviteToken: single.body.token }).expect(201);
    expect(refusal(await register({ email: email(), inviteToken: single.body.token }))).toEqual({ status: 403, code: 'invite_required' });

    const revoked = await createInvite({ maxUses: 5 }).expect(201);
    await api().delete(`/api/admin/invites/${revoked.body.id}`).set('Cookie', admin.cookie).expect(200);
    expect(refusal(await register({ email: email(), inviteToken: revoked.body.token }))).toEqual({ status: 403, code: 'invite_required' });

    const expiring = await createInvite({ maxUses: 5, expiresInHours: 1 }).expect(201);
    await register({ email: email(), inviteToken: expiring.body.token }).expect(201);
    await app.dataSource.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.body.id]);
    expect(refusal(await register({ email: email(), inviteToken: expiring.body.token }))).toEqual({ status: 403, code: 'invite_required' });

    const listed = await api().get('/api/admin/invites').set('Cookie', admin.cookie).expect(200);
    const byId = new Map(listed.body.map((invite: any) => [invite.id, invite]));
    expect(byId.get(single.body.id)).toMatchObject({ uses: 1, active: false });
    expect(byId.get(revoked.body.id)).toMatchObject({ uses: 0, active: false, revokedAt: expect.any(String) });
    expect(byId.get(expiring.body.id)).toMatchObject({ uses: 1, active: false });
    expect(JSON.stringify(listed.body)).not.toContain(single.body.token);
    const [{ stored }] = await app.dataSource.query(`SELECT string_agg(invites::text, ' ') AS stored FROM invites`);
    expect(stored).not.toContain(single.body.token);
  });

  it('an N-use invite admits exactly N of 20 parallel sign-ups', async () => {
    await setPolicy({ policy: 'invite' }).expect(200);
    const invite = await createInvite({ maxUses: 3 }).expect(201);
    const answers = await Promise.all(Array.from({ length: 20 }, () => register({ email: email(), inviteToken: invite.body.token })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status !== 201).map(refusal)).toEqual(Array(17).fill({ status: 403, code: 'invite_required' }));
    const [{ uses }] = await app.dataSource.query('SELECT uses FROM invites WHERE id = $1', [invite.body.id]);
    expect(uses).toBe(3);
  });

  it('bounds invites: uses, lifetime (INVITE_MAX_DAYS) and how many may be active (INVITE_MAX_ACTIVE)', async () => {
    for (const body of [{ maxUses: 0 }, { maxUses: 10_001 }, { expiresInHours: 0 }, { expiresInHours: 49 }, { maxUses: 'many' }]) {
      expect({ body, ...refusal(await createInvite(body)) }).toEqual({ body, status: 400, code: 'validation_failed' });
    }
    await app.dataSource.query('UPDATE invites SET revoked_at = now()');
    for (let index = 0; index < 30; index++) await createInvite().expect(201);
    expect(refusal(await createInvite())).toEqual({ status: 409, code: 'invite_limit_reached' });
    const page = await api().get('/api/admin/invites').query({ limit: 10 }).set('Cookie', admin.cookie).expect(200);
    expect(page.body).toHaveLength(10);
    expect((await api().get('/api/admin/invites').query({ limit: 201 }).set('Cookie', admin.cookie)).status).toBe(400);
  });
});
