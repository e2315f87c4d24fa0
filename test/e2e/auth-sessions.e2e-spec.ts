import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { eventually } from '../support/platform-api.js';
import { login, registerUser, sessionIdOf } from '../support/session-client.js';
import { startTestApp } from '../support/test-app.js';

describe('session secrets and lifetimes', () => {
  it('accepts cookies signed with a still-listed secret and rejects a retired one', async () => {
    const oldSecret = 'old-secret-0123456789-0123456789-abcdef';
    const newSecret = 'new-secret-0123456789-0123456789-abcdef';
    const issuing = await startTestApp({ env: { SESSION_SECRETS: oldSecret } });
    const rotated = await startTestApp({ database: issuing.database, env: { SESSION_SECRETS: `${newSecret},${oldSecret}` } });
    const retired = await startTestApp({ database: issuing.database, env: { SESSION_SECRETS: newSecret } });
    try {
      const { cookie } = await registerUser(issuing.baseUrl);
      await request(rotated.baseUrl).get('/api/user').set('Cookie', cookie).expect(200);
      await request(retired.baseUrl).get('/api/user').set('Cookie', cookie).expect(401);
    } finally {
      await retired.close();
      await rotated.close();
      await issuing.close();
    }
  });

  it('expires a session after the idle timeout and after the absolute lifetime', async () => {
    const app = await startTestApp({
      env: { SESSION_IDLE_TIMEOUT_SECONDS: '1', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '3' },
    });
    try {
      const user = await registerUser(app.baseUrl);
      await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
      // What is under test is time passing unused: a request would reset the idle clock.
      await sleep(1_400);
      await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(401);

      const active = await login(app.baseUrl, user.email, user.password);
      const started = Date.now();
      // In use more often than the idle timeout, the session still ends at its absolute lifetime.
      const lastStatus = await eventually(
        async () => {
          const status = (await request(app.baseUrl).get('/api/user').set('Cookie', active)).status;
          return status === 200 ? undefined : status;
        },
        { timeoutMs: 4_500, intervalMs: 400 },
      );
      const lifetime = Date.now() - started;
      expect(lastStatus).toBe(401);
      expect(lifetime).toBeGreaterThanOrEqual(2_800);
    } finally {
      await app.close();
    }
  });
});

describe('sessions ended while a request is in flight', () => {
  it('stay ended when that request finishes and saves the session', async () => {
    // Idle timeout 8 s: a request refreshes the session's idle clock (and so saves it) every 2 s.
    const app = await startTestApp({ fake: true, env: { SESSION_IDLE_TIMEOUT_SECONDS: '8', AUTO_TITLES: 'false' } });
    try {
      const user = await chatUser(app);
      const other = await login(app.baseUrl, user.email, user.password);
      // What is under test is time passing: the idle clock is due to be written back by the next request.
      await sleep(2_200);
      app.fake.enqueueResponse({ text: 'A slow answer.', firstDeltaDelayMs: 1500 });
      const slow = chatJson(app, other, { assistantId: user.assistant.id, message: 'Take your time' }).then((response) => response);
      await eventually(() => app.fake.requestsTo('POST', '/v1/responses').length === 1 || undefined);

      await request(app.baseUrl)
        .post('/api/user/password')
        .set('Cookie', user.cookie)
        .send({ currentPassword: user.password, newPassword: 'a new password 456' })
        .expect(200);
      expect((await slow).status).toBe(200);

      await request(app.baseUrl).get('/api/user').set('Cookie', other).expect(401);
      const rows = await app.dataSource.query('SELECT count(*)::int AS count FROM "session" WHERE sid = $1', [sessionIdOf(other)]);
      expect(rows).toEqual([{ count: 0 }]);
      await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    } finally {
      await app.close();
    }
  });
});

describe('sign-in timing', () => {
  it('spends about the same time on an unknown e-mail as on a wrong password', async () => {
    const app = await startTestApp({ env: { BCRYPT_COST: '10' } });
    try {
      const user = await registerUser(app.baseUrl);
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await request(app.baseUrl).post('/api/login').send({ email, password: 'not-the-password' }).expect(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const known: number[] = [];
      const unknown: number[] = [];
      for (let round = 0; round < 5; round++) {
        known.push(await time(user.email));
        unknown.push(await time(`nobody-${round}@example.org`));
      }
      const [a, b] = [median(known), median(unknown)];
      // Both pay for one bcrypt comparison at cost 10 (tens of milliseconds); a skipped hash would be ~1 ms.
      expect(Math.min(a, b)).toBeGreaterThan(15);
      expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(2);
    } finally {
      await app.close();
    }
  });
});
