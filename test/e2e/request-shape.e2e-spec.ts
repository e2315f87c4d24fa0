import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { eventually } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

/** One key per entry, about 870 KB: under the 1 MB body limit. */
const MANY_KEYS = `{${Array.from({ length: 80_000 }, (_, index) => `"k${index}":0`).join(',')}}`;
const LONG_ARRAY = `{"email":[${Array(100_000).fill('0').join(',')}],"password":"x"}`;
/** 90,000 one-key objects in arrays of 900: every object and array is small, the body is not. */
const MANY_SMALL_OBJECTS = `{"email":[${Array.from({ length: 100 }, () => `[${Array(900).fill('{"a":0}').join(',')}]`).join(',')}]}`;
const HOSTILE_BODIES: Array<[string, string, RegExp]> = [
  ['80,000 keys', MANY_KEYS, /object of more than 128 keys/],
  ['100,000 array items', LONG_ARRAY, /array of more than 1000 items/],
  ['90,000 small objects', MANY_SMALL_OBJECTS, /more than 5000 values/],
];

let sequence = 0;

/** Posts a body and returns the answer with the server's own time for it (from its request log line). */
async function timedPost(app: TestApp, path: string, body: string) {
  const requestId = `shape-${++sequence}`;
  const response = await request(app.baseUrl).post(path).set('Content-Type', 'application/json').set('X-Request-Id', requestId).send(body);
  const logged = await eventually(() => app.logs.entries().find((entry) => entry.requestId === requestId && entry.msg === 'request'));
  return { response, serverMs: logged.durationMs as number };
}

/**
 * Posts a body five times: every answer, and the median server time (one try
 * may meet a garbage collection, or the other tests sharing the machine).
 */
async function timedPosts(app: TestApp, path: string, body: string) {
  const tries = [];
  for (let attempt = 0; attempt < 5; attempt++) tries.push(await timedPost(app, path, body));
  const times = tries.map((attempt) => attempt.serverMs).sort((a, b) => a - b);
  return { responses: tries.map((attempt) => attempt.response), serverMs: times[2] };
}

/**
 * The bound on the server's time for a refusal. On a quiet machine a refusal
 * takes about 10 ms (this file's 15 refusals take 145 ms); before the shape limits,
 * parsing and validating the same bodies took 5.9 s. The bound catches that
 * kind of regression and leaves room for a machine busy with other tests.
 */
const REFUSAL_BOUND_MS = 500;
/** Says so, or shows the time when it is not. */
const quick = (serverMs: number) => (serverMs < REFUSAL_BOUND_MS ? 'quick' : `${serverMs} ms`);

/** Sends a body without Content-Length (chunked), as a client that does not say how much it sends. */
function postChunked(baseUrl: string, path: string, body: string): Promise<{ status: number; body: any }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    outgoing.on('error', reject);
    for (let offset = 0; offset < body.length; offset += 4_096) outgoing.write(body.slice(offset, offset + 4_096));
    outgoing.end();
  });
}

describe('hostile request shapes', () => {
  let app: TestApp;
  /** The same platform with the sign-in routes' body limit as large as any other's: only the shape limits stand. */
  let shapeOnly: TestApp;
  let cookie: string;

  beforeAll(async () => {
    app = await startTestApp();
    shapeOnly = await startTestApp({ database: app.database, env: { AUTH_BODY_LIMIT: '1mb' } });
    ({ cookie } = await registerUser(app.baseUrl));
  });

  afterAll(async () => {
    await shapeOnly?.app.close();
    await app?.close();
  });

  it('refuses bodies of too many keys, items or values to /api/login before validation, quickly (median of 5 under half a second, where parsing took seconds), with a short answer', async () => {
    for (const [name, body, message] of HOSTILE_BODIES) {
      const { responses, serverMs } = await timedPosts(shapeOnly, '/api/login', body);
      for (const response of responses) {
        expect({ name, status: response.status, body: response.body }).toEqual({
          name,
          status: 400,
          body: { error: expect.stringMatching(message), code: 'body_too_complex' },
        });
        expect(response.text.length).toBeLessThan(200);
      }
      expect(`${name}: ${quick(serverMs)}`).toBe(`${name}: quick`);
    }
  });

  it('with the default settings, refuses them at /api/login for their size (413) and elsewhere for their shape, as fast', async () => {
    for (const [name, body, message] of HOSTILE_BODIES) {
      const login = await timedPosts(app, '/api/login', body);
      for (const response of login.responses) {
        expect({ name, status: response.status, code: response.body.code }).toEqual({ name, status: 413, code: 'payload_too_large' });
      }
      const assistants = await timedPosts(app, '/api/assistants', body);
      for (const response of assistants.responses) {
        expect({ name, status: response.status, error: response.body.error }).toEqual({ name, status: 400, error: expect.stringMatching(message) });
      }
      expect(`${name}: login ${quick(login.serverMs)}, assistants ${quick(assistants.serverMs)}`).toBe(`${name}: login quick, assistants quick`);
    }
    // Small enough for the sign-in limit (about 25 KB), too many keys all the same.
    const smallButWide = `{${Array.from({ length: 2_500 }, (_, index) => `"k${index}":0`).join(',')}}`;
    const refused = await request(app.baseUrl).post('/api/login').set('Content-Type', 'application/json').send(smallButWide);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'body_too_complex' });
  });

  it('keeps GET /health fast while hostile bodies keep arriving', async () => {
    let attacking = true;
    const attacker = async (target: TestApp) => {
      for (let round = 0; round < 4; round++) {
        for (const [, body] of HOSTILE_BODIES) {
          const response = await request(target.baseUrl).post('/api/login').set('Content-Type', 'application/json').send(body);
          expect([400, 413]).toContain(response.status);
        }
      }
    };
    const healthTimes: number[] = [];
    const watcher = async () => {
      while (attacking) {
        const started = performance.now();
        await request(shapeOnly.baseUrl).get('/health').expect(200);
        healthTimes.push(performance.now() - started);
      }
    };
    const watching = watcher();
    try {
      await Promise.all([attacker(shapeOnly), attacker(shapeOnly), attacker(app)]);
    } finally {
      attacking = false;
      await watching;
    }
    expect(healthTimes.length).toBeGreaterThan(3);
    // Before, each of these bodies held the event loop for seconds; the bound leaves room for a loaded machine.
    expect(Math.max(...healthTimes)).toBeLessThan(1_000);
  });

  it('refuses the same shapes on any route, signed in or not, before the route is looked up', async () => {
    for (const path of ['/api/assistants', '/api/chat', '/api/thread/new', '/api/no-such-route']) {
      for (const headers of [{}, { Cookie: cookie }]) {
        const response = await request(app.baseUrl).post(path).set(headers).set('Content-Type', 'application/json').send(MANY_KEYS);
        expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 400, code: 'body_too_complex' });
      }
    }
    const deep = await request(app.baseUrl).post('/api/login').set('Content-Type', 'application/json').send(`${'['.repeat(40)}${']'.repeat(40)}`);
    expect(deep.body).toEqual({ error: 'The request body nests objects and arrays more than 32 levels deep', code: 'body_too_complex' });
  });

  it('refuses JSON in another encoding than UTF-8 (415), since the shape is read from UTF-8', async () => {
    const utf16 = Buffer.from('{"email":"a@b.c","password":"x"}', 'utf16le');
    const response = await request(app.baseUrl).post('/api/login').set('Content-Type', 'application/json; charset=utf-16le').send(utf16);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it('lists at most 20 problems in a validation answer, with short fields and messages', async () => {
    const unknownKeys = Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`unknown${index}`, 1]));
    const many = await request(app.baseUrl).post('/api/thread/new').set('Cookie', cookie).send({ title: 'A', ...unknownKeys }).expect(400);
    expect(many.body.code).toBe('validation_failed');
    expect(many.body.details).toHaveLength(20);
    expect(many.body.error).toMatch(/^unknown0 is not an accepted field; .* \(and 100 more\)$/);

    const longKey = 'k'.repeat(500_000);
    const long = await request(app.baseUrl).post('/api/thread/new').set('Cookie', cookie).send({ [longKey]: 1 }).expect(400);
    expect(long.body.details).toEqual([{ field: expect.stringMatching(/^k{199}…$/), message: expect.stringMatching(/^k{199}…$/) }]);
    expect(long.text.length).toBeLessThan(1_000);
  });

  it('bounds the validation answer for thousands of bad fields when the shape limits allow them', async () => {
    const loose = await startTestApp({ database: app.database, env: { JSON_MAX_KEYS: '10000', JSON_MAX_NODES: '20000' } });
    try {
      const body = Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`field${index}`, 'x'.repeat(20)]));
      const response = await request(loose.baseUrl).post('/api/thread/new').set('Cookie', cookie).send(body).expect(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.details).toHaveLength(20);
      expect(response.body.error).toMatch(/\(and 4980 more\)$/);
      expect(response.text.length).toBeLessThan(4_000);
    } finally {
      await loose.app.close();
    }
  });

  describe('the small body limit of the sign-in routes', () => {
    const oversized = JSON.stringify({ email: 'a@example.org', password: 'p'.repeat(40 * 1024) });
    const ROUTES: Array<['post' | 'delete', string]> = [
      ['post', '/api/register'],
      ['post', '/api/login'],
      ['post', '/api/user/password'],
      ['delete', '/api/user'],
    ];

    it('answers 413 to a 40 KB body on register, login, password change and account deletion', async () => {
      for (const [method, path] of ROUTES) {
        const response = await request(app.baseUrl)[method](path).set('Content-Type', 'application/json').send(oversized);
        expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 413, code: 'payload_too_large' });
      }
    });

    it('holds whatever the body says of its length, and however the path is written', async () => {
      const chunked = await postChunked(app.baseUrl, '/api/login', oversized);
      expect({ status: chunked.status, code: chunked.body.code }).toEqual({ status: 413, code: 'payload_too_large' });
      for (const path of ['/API/Login', '/api/login/', '/api/USER/password/']) {
        const response = await request(app.baseUrl).post(path).set('Content-Type', 'application/json').send(oversized);
        expect({ path, status: response.status }).toEqual({ path, status: 413 });
      }
    });

    it('leaves the other routes their own limit', async () => {
      const response = await request(app.baseUrl).post('/api/thread/new').set('Content-Type', 'application/json').send(JSON.stringify({ title: 't'.repeat(40 * 1024) }));
      expect(response.status).toBe(401);
    });
  });
});
