import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerUserWithKey } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ADMIN_EMAIL = 'budgets-admin@example.org';
const SHARED_KEY = 'sk-test-shared-key-never-shown-0123456789';

const VALID = {
  period: 'day',
  timeZone: 'Pacific/Auckland',
  softPercent: 90,
  default: { tokens: 50_000, usd: null },
  sharedKey: { tokens: 10_000, usd: 1.25, models: ['gpt-4o-mini', 'gpt-4.1-nano'], tools: ['file_search'], maxOutputTokens: 512 },
};

describe('budget administration', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof registerUser>>;

  beforeAll(async () => {
    app = await startTestApp({
      fake: true,
      env: {
        ADMIN_EMAILS: ADMIN_EMAIL,
        OPENAI_API_KEY: SHARED_KEY,
        BUDGET_TOKENS: '100000',
        BUDGET_USD: '20.5',
        SHARED_KEY_BUDGET_TOKENS: '20000',
        SHARED_KEY_MODELS: 'gpt-4o-mini',
        SHARED_KEY_MAX_OUTPUT_TOKENS: '1024',
      },
    });
    admin = await registerUser(app.baseUrl, { email: ADMIN_EMAIL });
  });

  afterAll(async () => {
    await app?.close();
  });

  const api = () => request(app.baseUrl);
  const auditEntries = async (action: string) =>
    (await api().get('/api/admin/audit').query({ action }).set('Cookie', admin.cookie).expect(200)).body.entries as any[];

  it('starts from the environment, and a PUT replaces the policy whole, answers it and audits it without secrets', async () => {
    const initial = await api().get('/api/admin/budgets').set('Cookie', admin.cookie).expect(200);
    expect(initial.body).toEqual({
      period: 'month',
      timeZone: 'UTC',
      softPercent: 80,
      default: { tokens: 100_000, usd: 20.5 },
      sharedKey: { tokens: 20_000, usd: null, models: ['gpt-4o-mini'], tools: [], maxOutputTokens: 1024 },
    });

    const saved = await api().put('/api/admin/budgets').set('Cookie', admin.cookie).send(VALID).expect(200);
    expect(saved.body).toEqual(VALID);
    expect((await api().get('/api/admin/budgets').set('Cookie', admin.cookie).expect(200)).body).toEqual(VALID);

    const [entry] = await auditEntries('policy.budget_changed');
    expect(entry).toMatchObject({
      actorId: admin.userId,
      actorEmail: ADMIN_EMAIL,
      detail: { period: 'day', timeZone: 'Pacific/Auckland', previousPeriod: 'month', sharedModels: ['gpt-4o-mini', 'gpt-4.1-nano'], sharedUsd: 1.25 },
    });
    const everything = JSON.stringify([initial.body, saved.body, entry]) + app.logs.text();
    expect(everything).not.toContain(SHARED_KEY);
    expect(everything).not.toContain(SHARED_KEY.slice(8));

    // The users see the new period and time zone in their budget.
    const user = await registerUser(app.baseUrl);
    const settings = await api().get('/api/settings').set('Cookie', user.cookie).expect(200);
    expect(settings.body.budget).toMatchObject({ period: 'day', paidBy: 'shared', softPercent: 90, tokens: { limit: 10_000, used: 0, remaining: 10_000 }, usd: { limit: 1.25 } });
  });

  it('refuses a policy it cannot use with 400 and keeps the one it has', async () => {
    await api().put('/api/admin/budgets').set('Cookie', admin.cookie).send(VALID).expect(200);
    const bad: Array<[string, unknown]> = [
      ['empty body', {}],
      ['period', { ...VALID, period: 'week' }],
      ['time zone', { ...VALID, timeZone: 'Mars/Olympus_Mons' }],
      ['soft percent 0', { ...VALID, softPercent: 0 }],
      ['soft percent 101', { ...VALID, softPercent: 101 }],
      ['negative tokens', { ...VALID, default: { tokens: -1, usd: null } }],
      ['fractional tokens', { ...VALID, default: { tokens: 1.5, usd: null } }],
      ['usd as text', { ...VALID, default: { tokens: null, usd: '5' } }],
      ['missing usd', { ...VALID, default: { tokens: null } }],
      ['unknown nested field', { ...VALID, default: { tokens: null, usd: null, euros: 1 } }],
      ['unknown field', { ...VALID, currency: 'EUR' }],
      ['default not an object', { ...VALID, default: 5 }],
      ['201 models', { ...VALID, sharedKey: { ...VALID.sharedKey, models: Array.from({ length: 201 }, (_, index) => `model-${index}`) } }],
      ['a model name of 101 characters', { ...VALID, sharedKey: { ...VALID.sharedKey, models: ['m'.repeat(101)] } }],
      ['an unknown tool', { ...VALID, sharedKey: { ...VALID.sharedKey, tools: ['shell'] } }],
      ['output cap 0', { ...VALID, sharedKey: { ...VALID.sharedKey, maxOutputTokens: 0 } }],
      ['a hostile list', { ...VALID, sharedKey: { ...VALID.sharedKey, models: Array.from({ length: 20_000 }, () => 'x') } }],
    ];
    for (const [name, body] of bad) {
      const response = await api().put('/api/admin/budgets').set('Cookie', admin.cookie).send(body as object);
      expect({ name, status: response.status, code: response.body.code }).toEqual({ name, status: 400, code: expect.stringMatching(/^(validation_failed|bad_request|body_too_complex)$/) });
    }
    expect((await api().get('/api/admin/budgets').set('Cookie', admin.cookie).expect(200)).body).toEqual(VALID);
  });

  it("sets, shows and removes a user's own limits (audited); an unknown user is 404", async () => {
    await api().put('/api/admin/budgets').set('Cookie', admin.cookie).send(VALID).expect(200);
    const own = await registerUserWithKey(app.baseUrl);
    const path = `/api/admin/users/${own.userId}/budget`;

    const start = await api().get(path).set('Cookie', admin.cookie).expect(200);
    expect(start.body).toEqual({ override: null, effective: { tokens: 50_000, usd: null }, used: { tokens: 0, usd: 0 }, resetsAt: expect.any(String) });
    expect(new Date(start.body.resetsAt).getTime()).toBeGreaterThan(Date.now());

    // Six decimals, and a whole number JavaScript writes with an exponent, are taken.
    await api().put(path).set('Cookie', admin.cookie).send({ tokens: null, usd: 0.000001 }).expect(200);
    await api().put(path).set('Cookie', admin.cookie).send({ tokens: null, usd: 1e7 }).expect(200);
    const set = await api().put(path).set('Cookie', admin.cookie).send({ tokens: null, usd: 3.5 }).expect(200);
    expect(set.body).toEqual({ ...start.body, override: { tokens: null, usd: 3.5 }, effective: { tokens: null, usd: 3.5 } });
    expect((await api().get(path).set('Cookie', admin.cookie).expect(200)).body).toEqual(set.body);

    const cleared = await api().delete(path).set('Cookie', admin.cookie).expect(200);
    expect(cleared.body).toEqual(start.body);

    const [changed] = await auditEntries('admin.user_budget_changed');
    expect(changed).toMatchObject({ actorId: admin.userId, targetId: own.userId, targetEmail: own.email, detail: { tokens: null, usd: 3.5 } });
    const [removed] = await auditEntries('admin.user_budget_cleared');
    expect(removed).toMatchObject({ actorId: admin.userId, targetId: own.userId, detail: { removed: true } });
    expect(JSON.stringify([changed, removed])).not.toContain(own.apiKey.slice(8));

    // A fraction JavaScript writes with an exponent (4e-323, 1.5e-7) has more than 6 decimals too: a clear 400, not a 500.
    for (const body of [{ tokens: -5, usd: null }, { tokens: null }, { tokens: 10, usd: null, extra: 1 }, { tokens: 'many', usd: null }, { tokens: null, usd: 4e-323 }, { tokens: null, usd: 1.5e-7 }, { tokens: null, usd: 0.1234567 }]) {
      const response = await api().put(path).set('Cookie', admin.cookie).send(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    const unknown = `/api/admin/users/${randomUUID()}/budget`;
    await api().get(unknown).set('Cookie', admin.cookie).expect(404);
    await api().put(unknown).set('Cookie', admin.cookie).send({ tokens: 1, usd: null }).expect(404);
    await api().delete(unknown).set('Cookie', admin.cookie).expect(404);
  });

  it('answers a non-administrator 404 on every budget route, and changes nothing', async () => {
    const user = await registerUser(app.baseUrl);
    const before = (await api().get('/api/admin/budgets').set('Cookie', admin.cookie).expect(200)).body;
    const attempts = [
      api().get('/api/admin/budgets').set('Cookie', user.cookie),
      api().put('/api/admin/budgets').set('Cookie', user.cookie).send({ ...VALID, softPercent: 1 }),
      api().get(`/api/admin/users/${user.userId}/budget`).set('Cookie', user.cookie),
      api().put(`/api/admin/users/${user.userId}/budget`).set('Cookie', user.cookie).send({ tokens: null, usd: null }),
      api().delete(`/api/admin/users/${user.userId}/budget`).set('Cookie', user.cookie),
    ];
    for (const response of await Promise.all(attempts)) expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await api().get('/api/admin/budgets').set('Cookie', admin.cookie).expect(200)).body).toEqual(before);
    expect((await api().get(`/api/admin/users/${user.userId}/budget`).set('Cookie', admin.cookie).expect(200)).body.override).toBeNull();
  });
});
