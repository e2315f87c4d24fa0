import { jest } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { multipartPieces, sendChunked } from '../support/raw-multipart.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(60_000);

const PER_CLIENT = 5;
const PER_ADDRESS = 12;
const WINDOW_SECONDS = 3;

interface Answer {
  status: number;
  retryAfter?: string;
  body: any;
}

/** One POST from a chosen loopback address, with any body and headers. */
function postFrom(app: TestApp, localAddress: string, path: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const url = new URL(path, app.baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: incoming.statusCode ?? 0, retryAfter: incoming.headers['retry-after'] as string | undefined, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const notJson = (app: TestApp, address: string, headers: Record<string, string> = {}) =>
  postFrom(app, address, '/api/thread/new', 'title=hello', { 'content-type': 'application/x-www-form-urlencoded', ...headers });

describe('clients that keep sending refused bodies', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      env: { REFUSALS_PER_CLIENT: String(PER_CLIENT), REFUSALS_PER_ADDRESS: String(PER_ADDRESS), REFUSAL_WINDOW_SECONDS: String(WINDOW_SECONDS) },
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('have their next bodies refused unread (429, Retry-After) while their reads and other clients of the same address go on, until the window ends', async () => {
    const abuser = await registerUser(app.baseUrl);
    const neighbour = await registerUser(app.baseUrl);
    for (let attempt = 0; attempt < PER_CLIENT; attempt++) {
      expect((await notJson(app, '127.0.0.1', { cookie: abuser.cookie })).status).toBe(415);
    }

    const valid = await request(app.baseUrl).post('/api/thread/new').set('Cookie', abuser.cookie).send({ title: 'kept out' });
    expect({ status: valid.status, code: valid.body.code }).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(valid.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(valid.headers['retry-after'])).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(valid.headers.connection).toBe('close');

    // A large body is answered before most of it is sent: the gate reads none of it.
    const upload = await sendChunked(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: abuser.cookie, 'content-type': 'multipart/form-data; boundary=gate' },
      pieces: multipartPieces('gate', 1, 64 * 1024 * 1024),
    });
    expect(upload.status).toBe(429);
    expect(upload.sentAll).toBe(false);
    expect(upload.sentBeforeAnswer).toBeLessThan(8 * 1024 * 1024);

    await request(app.baseUrl).get('/api/threads').set('Cookie', abuser.cookie).expect(200);
    await request(app.baseUrl).post('/api/thread/new').set('Cookie', neighbour.cookie).send({ title: 'mine' }).expect(201);
    const threads = await request(app.baseUrl).get('/api/threads').set('Cookie', abuser.cookie).expect(200);
    expect(JSON.stringify(threads.body)).not.toContain('kept out');

    await sleep(WINDOW_SECONDS * 1000 + 200);
    await request(app.baseUrl).post('/api/thread/new').set('Cookie', abuser.cookie).send({ title: 'after the pause' }).expect(201);
  });

  it('count every kind of refused body: malformed JSON, too complex, too large', async () => {
    const address = '127.0.0.21';
    const bodies: Array<[string, Record<string, string>]> = [
      ['{"email":', { 'content-type': 'application/json' }],
      [`{${Array.from({ length: 200 }, (_, index) => `"k${index}":0`).join(',')}}`, { 'content-type': 'application/json' }],
      [JSON.stringify({ email: 'x'.repeat(40 * 1024) }), { 'content-type': 'application/json' }],
    ];
    const statuses = [];
    for (let attempt = 0; attempt < PER_CLIENT; attempt++) {
      const [body, headers] = bodies[attempt % bodies.length];
      statuses.push((await postFrom(app, address, '/api/login', body, headers)).status);
    }
    expect(statuses).toEqual([400, 400, 413, 400, 400]);
    const next = await postFrom(app, address, '/api/login', JSON.stringify({ email: 'someone@example.org', password: 'whatever it is' }), { 'content-type': 'application/json' });
    expect({ status: next.status, code: next.body.code }).toEqual({ status: 429, code: 'rate_limited' });
  });

  it('do not count answers that refuse the request for what it says (validation, wrong password)', async () => {
    const address = '127.0.0.22';
    for (let attempt = 0; attempt < PER_CLIENT * 2; attempt++) {
      const answer = await postFrom(app, address, '/api/register', JSON.stringify({ email: 'not an e-mail', password: 'x' }), { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
    }
    const wrong = await postFrom(app, address, '/api/login', JSON.stringify({ email: 'nobody@example.org', password: 'wrong password' }), { 'content-type': 'application/json' });
    expect(wrong.status).toBe(401);
  });

  it('meet the bound of their address when they change cookies, while another address is not touched', async () => {
    const address = '127.0.0.23';
    for (let attempt = 0; attempt < PER_ADDRESS; attempt++) {
      expect((await notJson(app, address, { cookie: `sid=forged-${attempt}` })).status).toBe(415);
    }
    const fresh = await postFrom(app, address, '/api/login', JSON.stringify({ email: 'nobody@example.org', password: 'wrong password' }), {
      'content-type': 'application/json',
      cookie: 'sid=forged-fresh',
    });
    expect({ status: fresh.status, code: fresh.body.code }).toEqual({ status: 429, code: 'rate_limited' });
    const elsewhere = await postFrom(app, '127.0.0.24', '/api/login', JSON.stringify({ email: 'nobody@example.org', password: 'wrong password' }), {
      'content-type': 'application/json',
    });
    expect(elsewhere.status).toBe(401);
  });
});
