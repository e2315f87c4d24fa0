import request from 'supertest';
import { eventually } from '../support/platform-api.js';
import { login, registerUser, sessionCookie, sessionIdOf } from '../support/session-client.js';
import { startTestApp } from '../support/test-app.js';

/** Behind a proxy it trusts (TRUST_PROXY=1), the platform takes the client's address from X-Forwarded-For. */
const signInFrom = (baseUrl: string, address: string, email: string, password: string) =>
  request(baseUrl).post('/api/login').set('X-Forwarded-For', address).send({ email, password });

const ATTACKERS = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'];

describe('a lock-out that only hurts the attacker', () => {
  it('lets the owner sign in from a new address while an attacker hammers the e-mail from several others', async () => {
    const app = await startTestApp({
      env: {
        TRUST_PROXY: '1',
        RATE_LIMIT_LOGIN_FAILURES: '3',
        RATE_LIMIT_LOGIN_WINDOW_SECONDS: '900',
        LOGIN_BACKOFF_AFTER_FAILURES: '4',
        LOGIN_BACKOFF_MAX_MS: '600',
      },
    });
    try {
      const victim = await registerUser(app.baseUrl);
      // Each attacking address guesses until it is refused; all of them at once.
      const guesses = await Promise.all(
        ATTACKERS.map(async (address) => {
          const statuses: number[] = [];
          for (let guess = 0; guess < 5; guess++) statuses.push((await signInFrom(app.baseUrl, address, victim.email, `guess-${guess}`)).status);
          return statuses;
        }),
      );
      for (const statuses of guesses) expect(statuses).toEqual([401, 401, 401, 429, 429]);

      // The hammering goes on while the owner signs in from an address of their own.
      const hammering = Promise.all(ATTACKERS.map((address) => signInFrom(app.baseUrl, address, victim.email, 'one more guess')));
      const started = Date.now();
      const owner = await signInFrom(app.baseUrl, '203.0.113.7', victim.email, victim.password);
      const ownerMs = Date.now() - started;
      expect(owner.status).toBe(200);
      expect(owner.body.email).toBe(victim.email);
      expect((await hammering).map((response) => response.status)).toEqual([429, 429, 429, 429]);
      await request(app.baseUrl).get('/api/user').set('Cookie', sessionCookie(owner)).expect(200);

      // Twelve failures on the e-mail, from every address together, slow every sign-in to it down,
      // by a bounded delay (LOGIN_BACKOFF_MAX_MS) rather than a refusal.
      expect(ownerMs).toBeGreaterThanOrEqual(600);
      const wrong = await signInFrom(app.baseUrl, '203.0.113.8', victim.email, 'another guess');
      expect(wrong.status).toBe(401);
      // A locked address stays locked for the e-mail, whatever password it sends.
      expect((await signInFrom(app.baseUrl, ATTACKERS[0], victim.email, victim.password)).status).toBe(429);
    } finally {
      await app.close();
    }
  });

  it("lets a signed-in user change the password and delete the account despite an attacker's failures, with a limit of their own", async () => {
    const app = await startTestApp({ env: { TRUST_PROXY: '1', RATE_LIMIT_LOGIN_FAILURES: '3', RATE_LIMIT_LOGIN_WINDOW_SECONDS: '900' } });
    try {
      const victim = await registerUser(app.baseUrl);
      for (const address of ATTACKERS.slice(0, 2)) {
        for (let guess = 0; guess < 4; guess++) await signInFrom(app.baseUrl, address, victim.email, `guess-${guess}`);
      }
      expect((await signInFrom(app.baseUrl, ATTACKERS[0], victim.email, 'guess-9')).status).toBe(429);

      await request(app.baseUrl)
        .post('/api/user/password')
        .set('Cookie', victim.cookie)
        .send({ currentPassword: victim.password, newPassword: 'a fresh passphrase 1' })
        .expect(200);

      // The user's own wrong passwords have their own limit.
      const attempts: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        const response = await request(app.baseUrl)
          .post('/api/user/password')
          .set('Cookie', victim.cookie)
          .send({ currentPassword: `not it ${attempt}`, newPassword: 'another passphrase 2' });
        attempts.push(response.status);
        if (response.status === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(attempts).toEqual([400, 400, 400, 429]);

      const other = await registerUser(app.baseUrl);
      for (let guess = 0; guess < 4; guess++) await signInFrom(app.baseUrl, ATTACKERS[2], other.email, `guess-${guess}`);
      await request(app.baseUrl).delete('/api/user').set('Cookie', other.cookie).send({ password: other.password }).expect(200);
      await request(app.baseUrl).get('/api/user').set('Cookie', other.cookie).expect(401);
    } finally {
      await app.close();
    }
  });
});

describe('sessions per user', () => {
  it('ends the oldest sessions when a sign-in goes past SESSION_MAX_PER_USER, on every instance', async () => {
    // A long session cache: the ended session must reach the other instance by announcement.
    const env = { SESSION_MAX_PER_USER: '2', SESSION_CACHE_SECONDS: '60' };
    const first = await startTestApp({ env });
    const second = await startTestApp({ database: first.database, env });
    try {
      const user = await registerUser(first.baseUrl);
      const phone = await login(first.baseUrl, user.email, user.password);
      // Both instances hold the oldest session in their caches.
      await request(first.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
      await request(second.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);

      const laptop = await login(first.baseUrl, user.email, user.password);
      const stillSignedIn = async (baseUrl: string, cookie: string) => (await request(baseUrl).get('/api/user').set('Cookie', cookie)).status;
      await eventually(async () => ((await stillSignedIn(second.baseUrl, user.cookie)) === 401 ? true : undefined), { timeoutMs: 2_000 });
      expect(await stillSignedIn(first.baseUrl, user.cookie)).toBe(401);
      expect(await stillSignedIn(first.baseUrl, phone)).toBe(200);
      expect(await stillSignedIn(second.baseUrl, laptop)).toBe(200);
      const rows = (await first.dataSource.query('SELECT sid FROM "session" WHERE user_id = $1 ORDER BY sid', [user.userId])) as Array<{
        sid: string;
      }>;
      expect(rows.map((row) => row.sid)).toEqual([sessionIdOf(phone), sessionIdOf(laptop)].sort());

      // Parallel sign-ins still leave at most the bound.
      await Promise.all(Array.from({ length: 8 }, () => login(second.baseUrl, user.email, user.password)));
      const [{ count }] = (await first.dataSource.query('SELECT count(*)::int AS count FROM "session" WHERE user_id = $1', [user.userId])) as Array<{
        count: number;
      }>;
      expect(count).toBe(2);
    } finally {
      await second.app.close();
      await first.close();
    }
  });
});
