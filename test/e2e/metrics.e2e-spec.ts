import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { eventually } from '../support/platform-api.js';
import { postSse } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `) ? wanted.every((label) => candidate.includes(label)) : false);
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('metrics', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('exposes request, run, token, upstream and pool figures in Prometheus format without a session', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ deltas: ['a', 'b', 'c'] });
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi' }).expect(200);
    app.fake.failNext('responses', { kind: 'server_error' });
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Again' }).expect(502);
    await request(app.baseUrl).get(`/api/threads/00000000-0000-4000-8000-000000000000`).set('Cookie', user.cookie).expect(404);

    const scrape = await request(app.baseUrl).get('/metrics').expect(200);
    expect(scrape.headers['content-type']).toContain('text/plain');
    const text = scrape.text;
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/api/chat', status: '200' })).toBe(1);
    expect(sample(text, 'http_requests_total', { route: '/api/threads/:id', status: '404' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/chat' })).toBe(2);
    expect(sample(text, 'chat_runs_total', { outcome: 'completed' })).toBe(1);
    expect(sample(text, 'chat_runs_total', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'chat_tokens_relayed_total')).toBe(3);
    expect(sample(text, 'upstream_errors_total', { code: 'upstream_unavailable' })).toBe(1);
    expect(sample(text, 'chat_streams_open')).toBe(0);
    expect(sample(text, 'db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
  });

  it('counts a streamed reply as an open stream while it streams, and not once it has ended', async () => {
    const user = await chatUser(app);
    const openStreams = async () => sample((await request(app.baseUrl).get('/metrics').expect(200)).text, 'chat_streams_open');
    app.fake.enqueueResponse({ deltas: ['One', ' two', ' three', ' four', ' five'], deltaDelayMs: 200 });
    const streamed = postSse(`${app.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'Count to five, slowly', stream: true },
    });

    const seenOpenAt = await eventually(async () => ((await openStreams()) >= 1 ? Date.now() : undefined));
    const result = await streamed;
    expect(result.status).toBe(200);
    const tokens = result.events.filter((event) => event.event === 'token');
    expect(tokens).toHaveLength(5);
    expect(result.events.at(-1)?.event).toBe('done');
    // The scrape that saw the stream open was taken while the reply was still arriving.
    expect(tokens.filter((token) => token.receivedAt > seenOpenAt).length).toBeGreaterThan(0);
    await eventually(async () => ((await openStreams()) === 0 ? true : undefined), { describe: openStreams });
  });

  it('counts signed-in requests answered from the session cache', async () => {
    const user = await chatUser(app);
    const before = await request(app.baseUrl).get('/metrics').expect(200);
    for (let index = 0; index < 5; index++) await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    const after = await request(app.baseUrl).get('/metrics').expect(200);
    const hits = sample(after.text, 'session_cache_lookups_total', { result: 'hit' }) - sample(before.text, 'session_cache_lookups_total', { result: 'hit' });
    expect(hits).toBe(5);
  });

  it('can require a bearer token', async () => {
    const guarded = await startTestApp({ database: app.database, env: { METRICS_TOKEN: 'scrape-secret-123' } });
    try {
      await request(guarded.baseUrl).get('/metrics').expect(401);
      await request(guarded.baseUrl).get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
      await request(guarded.baseUrl).get('/metrics').set('Authorization', 'Bearer scrape-secret-123').expect(200);
    } finally {
      await guarded.app.close();
    }
  });

  it('in production serves the figures only behind METRICS_TOKEN: without one it answers 404 and warns at start', async () => {
    const production = { NODE_ENV: 'production', SESSION_SECRETS: randomBytes(32).toString('base64url'), ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` };
    const open = await startTestApp({ database: app.database, env: production });
    try {
      const refused = await request(open.baseUrl).get('/metrics');
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 404, code: 'not_found' });
      expect(refused.text).not.toContain('http_requests_total');
      const warnings = open.logs.entries().filter((entry) => entry.level === 'warn' && String(entry.msg).includes('METRICS_TOKEN'));
      expect(warnings).toHaveLength(1);
    } finally {
      await open.app.close();
    }

    const token = randomBytes(24).toString('base64url');
    const guarded = await startTestApp({ database: app.database, env: { ...production, METRICS_TOKEN: token } });
    try {
      await request(guarded.baseUrl).get('/metrics').expect(401);
      await request(guarded.baseUrl).get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
      const scrape = await request(guarded.baseUrl).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      expect(scrape.text).toContain('http_requests_total');
      expect(guarded.logs.text()).not.toContain('METRICS_TOKEN is not set');
    } finally {
      await guarded.app.close();
    }
  });

  it('outside production keeps /metrics open without a token, as before', async () => {
    expect(app.config.isProduction).toBe(false);
    await request(app.baseUrl).get('/metrics').expect(200);
    expect(app.logs.text()).not.toContain('METRICS_TOKEN is not set');
  });
});
