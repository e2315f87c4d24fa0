import request from 'supertest';
import { requestFrom, type RawResponse } from '../support/raw-http.js';
import { login, registerUser } from '../support/session-client.js';
import { startTestApp } from '../support/test-app.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A sign-in from a chosen local address, with how long it took. */
async function timedLogin(address: string, baseUrl: string, email: string, password: string): Promise<RawResponse & { ms: number }> {
  const started = performance.now();
  const response = await requestFrom(address, baseUrl, 'POST', '/api/login', { json: { email, password } });
  return { ...response, ms: performance.now() - started };
}

async function storedHash(dataSource: { query(sql: string, params: unknown[]): Promise<unknown> }, userId: string): Promise<string> {
  const rows = (await dataSource.query('SELECT password_hash FROM users WHERE id = $1', [userId])) as Array<{ password_hash: string }>;
  return rows[0].password_hash;
}

describe('password hashing is admitted, not queued forever', () => {
  it("refuses a burst of correct sign-ins past the queue with 503 server_busy, while another user's sign-in stays fast", async () => {
    // Cost 10 takes tens of milliseconds per hash: 120 of them in line would take seconds.
    const app = await startTestApp({
      env: { BCRYPT_COST: '10', BCRYPT_CONCURRENCY: '1', BCRYPT_QUEUE_LENGTH: '4', BCRYPT_QUEUE_WAIT_MS: '10000' },
    });
    try {
      const attacker = await registerUser(app.baseUrl);
      const victim = await registerUser(app.baseUrl);
      const victimLogin = () => timedLogin('127.0.0.2', app.baseUrl, victim.email, victim.password);

      // Five rounds: the victim signs in alone (the baseline), then from another address while 60
      // parallel correct sign-ins to the attacker's own account are being served (once the first
      // of them is answered). Taking both in each round exposes them to the same background load.
      const baseline: number[] = [];
      const underAttack: number[] = [];
      const attackStatuses: RawResponse[] = [];
      for (let round = 0; round < 5; round++) {
        baseline.push((await victimLogin()).ms);
        let markAnswered!: () => void;
        const firstAnswer = new Promise<void>((resolve) => (markAnswered = resolve));
        const burst = Promise.all(
          Array.from({ length: 60 }, () =>
            requestFrom('127.0.0.1', app.baseUrl, 'POST', '/api/login', { json: { email: attacker.email, password: attacker.password } }).then(
              (response) => (markAnswered(), response),
            ),
          ),
        );
        await firstAnswer;
        const victimResponse = await victimLogin();
        expect({ status: victimResponse.status, email: victimResponse.body.email, code: victimResponse.body.code }).toEqual({ status: 200, email: victim.email, code: undefined });
        underAttack.push(victimResponse.ms);
        attackStatuses.push(...(await burst));
      }
      // In line behind a wave, the victim would wait for dozens of hashes; admitted fairly, for about one.
      expect(median(underAttack)).toBeLessThan(median(baseline) * 6);
      const busy = attackStatuses.filter((response) => response.status === 503);
      expect(attackStatuses.filter((response) => response.status !== 200 && response.status !== 503)).toEqual([]);
      expect(busy.length).toBeGreaterThan(150);
      expect(busy[0].body).toMatchObject({ error: expect.any(String), code: 'server_busy' });
      expect(Number(busy[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
    }
  }, 90_000); // Long enough for an unbounded queue to get through the waves and fail on the figures.

  it('counts successful sign-ins per account and per address (429 with Retry-After beyond)', async () => {
    const app = await startTestApp({
      env: { RATE_LIMIT_SIGNINS_PER_ACCOUNT: '3', RATE_LIMIT_SIGNINS_PER_ADDRESS: '5', RATE_LIMIT_SIGNIN_WINDOW_SECONDS: '600' },
    });
    try {
      const first = await registerUser(app.baseUrl);
      const second = await registerUser(app.baseUrl);
      const from = (address: string, user: { email: string; password: string }) =>
        requestFrom(address, app.baseUrl, 'POST', '/api/login', { json: { email: user.email, password: user.password } });

      // Wrong passwords are failures, not sign-ins: they use up neither budget.
      for (let index = 0; index < 3; index++) {
        const wrong = await requestFrom('127.0.0.11', app.baseUrl, 'POST', '/api/login', { json: { email: first.email, password: `wrong-${index}` } });
        expect(wrong.status).toBe(401);
      }
      const statuses: number[] = [];
      for (let index = 0; index < 4; index++) statuses.push((await from('127.0.0.11', first)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      // The account's limit holds from any address.
      const elsewhere = await from('127.0.0.12', first);
      expect(elsewhere.status).toBe(429);
      expect(elsewhere.body).toEqual({ error: expect.stringMatching(/account/), code: 'rate_limited' });
      const retryAfter = Number(elsewhere.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(500);
      expect(retryAfter).toBeLessThanOrEqual(600);

      // The address's limit holds for any account: 3 sign-ins and 1 refusal above, 2 more here, then 429.
      expect((await from('127.0.0.11', second)).status).toBe(200);
      expect((await from('127.0.0.11', second)).status).toBe(200);
      const address = await from('127.0.0.11', second);
      expect(address.status).toBe(429);
      expect(address.body.error).toMatch(/address/);
      expect((await from('127.0.0.13', second)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('rehashes the stored password at sign-in when BCRYPT_COST changed', async () => {
    const before = await startTestApp({ env: { BCRYPT_COST: '4' } });
    const after = await startTestApp({ database: before.database, env: { BCRYPT_COST: '6' } });
    try {
      const user = await registerUser(before.baseUrl);
      expect(await storedHash(before.dataSource, user.userId)).toMatch(/^\$2b\$04\$/);
      await login(after.baseUrl, user.email, user.password);
      const upgraded = await storedHash(before.dataSource, user.userId);
      expect(upgraded).toMatch(/^\$2b\$06\$/);
      // The new hash holds the same password (and only it); at the cost already stored, it is left alone.
      await login(after.baseUrl, user.email, user.password);
      await request(after.baseUrl).post('/api/login').send({ email: user.email, password: 'not the password' }).expect(401);
      expect(await storedHash(before.dataSource, user.userId)).toBe(upgraded);
    } finally {
      await after.app.close();
      await before.close();
    }
  });
});
