import request from 'supertest';
import { requestFrom } from '../support/raw-http.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('cross-site request protection', () => {
  let testApp: TestApp;
  const allowedOrigin = 'https://app.example.org';

  beforeAll(async () => {
    testApp = await startTestApp({ env: { ALLOWED_ORIGINS: allowedOrigin } });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const clearDefault = (cookie: string) =>
    request(testApp.baseUrl).post('/api/settings/default-assistant').set('Cookie', cookie).send({ assistantId: null });

  it('refuses a cross-site POST that carries the cookie', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const byOrigin = await clearDefault(cookie).set('Origin', 'https://evil.example');
    expect(byOrigin.status).toBe(403);
    expect(byOrigin.body.code).toBe('cross_site_request');
    const byFetchMetadata = await clearDefault(cookie).set('Sec-Fetch-Site', 'cross-site').set('Origin', 'https://evil.example');
    expect(byFetchMetadata.status).toBe(403);
    // Fetch metadata alone is enough: a browser that sends no Origin is still refused.
    const byFetchMetadataAlone = await clearDefault(cookie).set('Sec-Fetch-Site', 'cross-site');
    expect(byFetchMetadataAlone.status).toBe(403);
    expect(byFetchMetadataAlone.body.code).toBe('cross_site_request');
    const sameSite = await clearDefault(cookie).set('Sec-Fetch-Site', 'same-site');
    expect(sameSite.status).toBe(403);
    const nullOrigin = await clearDefault(cookie).set('Origin', 'null');
    expect(nullOrigin.status).toBe(403);
    const logout = await request(testApp.baseUrl).post('/api/logout').set('Cookie', cookie).set('Origin', 'https://evil.example');
    expect(logout.status).toBe(403);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', cookie).expect(200);
  });

  it('lets same-origin, configured-origin and header-less clients through', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    await clearDefault(cookie).set('Origin', testApp.baseUrl).set('Sec-Fetch-Site', 'same-origin').expect(200);
    await clearDefault(cookie).set('Origin', testApp.baseUrl).expect(200);
    await clearDefault(cookie).expect(200);
    const configured = await clearDefault(cookie).set('Origin', allowedOrigin).set('Sec-Fetch-Site', 'cross-site');
    expect(configured.status).toBe(200);
    expect(configured.headers['access-control-allow-origin']).toBe(allowedOrigin);
    expect(configured.headers['access-control-allow-credentials']).toBe('true');
  });

  it('gives CORS credentials only to configured origins', async () => {
    const preflightAllowed = await request(testApp.baseUrl)
      .options('/api/settings')
      .set('Origin', allowedOrigin)
      .set('Access-Control-Request-Method', 'POST');
    expect(preflightAllowed.headers['access-control-allow-origin']).toBe(allowedOrigin);
    const preflightOther = await request(testApp.baseUrl)
      .options('/api/settings')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflightOther.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('requires a JSON body on JSON routes (415 otherwise)', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const form = await request(testApp.baseUrl)
      .post('/api/settings/default-assistant')
      .set('Cookie', cookie)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('assistantId=');
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('unsupported_media_type');
    const text = await request(testApp.baseUrl)
      .post('/api/login')
      .set('Content-Type', 'text/plain')
      .send('{"email":"a@example.org","password":"x"}');
    expect(text.status).toBe(415);
  });
});

describe('rate limits', () => {
  it('refuses the 11th failed sign-in with 429 and Retry-After, per address and e-mail, despite X-Forwarded-For', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_LOGIN_FAILURES: '10', RATE_LIMIT_LOGIN_WINDOW_SECONDS: '900' } });
    try {
      const victim = await registerUser(app.baseUrl);
      const bystander = await registerUser(app.baseUrl);
      for (let attempt = 1; attempt <= 10; attempt++) {
        const response = await requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', {
          json: { email: victim.email, password: `wrong-${attempt}` },
        });
        expect(response.status).toBe(401);
      }
      const eleventh = await requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', {
        json: { email: victim.email, password: victim.password },
      });
      expect(eleventh.status).toBe(429);
      expect(eleventh.body.code).toBe('rate_limited');
      const retryAfter = Number(eleventh.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);

      // The e-mail itself is not locked: its owner signs in from another address.
      const otherAddress = await requestFrom('127.0.0.3', app.baseUrl, 'POST', '/api/login', {
        json: { email: victim.email, password: victim.password },
      });
      expect(otherAddress.status).toBe(200);

      // The attacking address is locked for other e-mails too, and a forged
      // X-Forwarded-For does not make it look like someone else.
      const spoofed = await requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', {
        headers: { 'X-Forwarded-For': '203.0.113.9' },
        json: { email: bystander.email, password: bystander.password },
      });
      expect(spoofed.status).toBe(429);

      // A different e-mail from another address is unaffected.
      const unaffected = await requestFrom('127.0.0.2', app.baseUrl, 'POST', '/api/login', {
        json: { email: bystander.email, password: bystander.password },
      });
      expect(unaffected.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('counts parallel failed sign-ins before checking them, so a burst cannot pass the limit', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_LOGIN_FAILURES: '10', RATE_LIMIT_LOGIN_WINDOW_SECONDS: '900', BCRYPT_COST: '8' } });
    try {
      const victim = await registerUser(app.baseUrl);
      const burst = await Promise.all(
        Array.from({ length: 30 }, (_, attempt) =>
          requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', { json: { email: victim.email, password: `guess-${attempt}` } }),
        ),
      );
      const statuses = burst.map((response) => response.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    } finally {
      await app.close();
    }
  });

  it('does not count successful sign-ins against the address', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_LOGIN_FAILURES: '3', RATE_LIMIT_LOGIN_WINDOW_SECONDS: '900' } });
    try {
      const users = [await registerUser(app.baseUrl), await registerUser(app.baseUrl)];
      for (let round = 0; round < 3; round++) {
        for (const user of users) {
          const response = await requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', {
            json: { email: user.email, password: user.password },
          });
          expect(response.status).toBe(200);
        }
      }
      // Three failures reach the address's limit: it is refused from then on, whatever the e-mail.
      for (const password of ['wrong-1', 'wrong-2', 'wrong-3']) {
        const failed = await requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', { json: { email: users[0].email, password } });
        expect(failed.status).toBe(401);
      }
      const locked = await requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', {
        json: { email: users[1].email, password: users[1].password },
      });
      expect(locked.status).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('limits registrations per address', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_REGISTRATIONS: '2' } });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 3; index++) {
        const response = await requestFrom('127.0.0.4', app.baseUrl, 'POST', '/api/register', {
          json: { email: `reg-${index}-${Date.now()}@example.org`, password: 'password-123' },
        });
        statuses.push(response.status);
        if (response.status === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([201, 201, 429]);
      const elsewhere = await requestFrom('127.0.0.5', app.baseUrl, 'POST', '/api/register', {
        json: { email: `reg-other-${Date.now()}@example.org`, password: 'password-123' },
      });
      expect(elsewhere.status).toBe(201);
    } finally {
      await app.close();
    }
  });

  it("holds each signed-in user to a request budget without touching other users'", async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_REQUESTS_PER_MINUTE: '5' } });
    try {
      const heavy = await registerUser(app.baseUrl);
      const light = await registerUser(app.baseUrl);
      const statuses: number[] = [];
      for (let index = 0; index < 6; index++) {
        statuses.push((await request(app.baseUrl).get('/api/user').set('Cookie', heavy.cookie)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const limited = await request(app.baseUrl).get('/api/settings').set('Cookie', heavy.cookie);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ error: expect.any(String), code: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await request(app.baseUrl).get('/api/user').set('Cookie', light.cookie).expect(200);
    } finally {
      await app.close();
    }
  });
});
