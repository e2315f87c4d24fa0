import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { eventually, uploadFile } from '../support/platform-api.js';
import { login, registerUser } from '../support/session-client.js';
import { minimalPdf } from '../support/sample-files.js';
import { postSse } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Polls until the cookie is refused (401), failing after `ms`. */
async function signedOutWithin(baseUrl: string, cookie: string, ms: number): Promise<void> {
  let status = 0;
  await eventually(
    async () => {
      status = (await request(baseUrl).get('/api/user').set('Cookie', cookie)).status;
      return status === 401 ? true : undefined;
    },
    { timeoutMs: ms, intervalMs: 10, describe: () => ({ status }) },
  );
}

/** Two instances of the platform on one PostgreSQL, as behind a load balancer. */
describe('several instances on one database', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    // A long session cache: whatever ends a session must reach the other instance by announcement, not by expiry.
    const env = { RATE_LIMIT_CHAT_PER_MINUTE: '3', SESSION_CACHE_SECONDS: '60' };
    first = await startTestApp({ fake: true, env });
    second = await startTestApp({ database: first.database, fake: first.fake, env });
  });

  afterAll(async () => {
    await second?.app.close();
    await first?.close();
  });

  it('accepts a session from one instance on the other, and logging out on one ends it on both', async () => {
    const user = await registerUser(first.baseUrl);
    const me = await request(second.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    expect(me.body.id).toBe(user.userId);
    await request(first.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    await request(second.baseUrl).post('/api/logout').set('Cookie', user.cookie).expect(200);
    await request(second.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(401);
    // The first instance had the session in its cache: the sign-out reaches it as an announcement.
    await signedOutWithin(first.baseUrl, user.cookie, 1_000);
  });

  it('a password change on one instance ends the other sessions on both, even where they were cached', async () => {
    const user = await registerUser(first.baseUrl);
    const laptop = await login(second.baseUrl, user.email, user.password);
    await request(first.baseUrl).get('/api/user').set('Cookie', laptop).expect(200);
    await request(second.baseUrl).get('/api/user').set('Cookie', laptop).expect(200);
    await request(first.baseUrl)
      .post('/api/user/password')
      .set('Cookie', user.cookie)
      .send({ currentPassword: user.password, newPassword: 'a brand new passphrase' })
      .expect(200);
    await signedOutWithin(first.baseUrl, laptop, 1_000);
    await signedOutWithin(second.baseUrl, laptop, 1_000);
    await request(second.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
  });

  it('refuses on one instance a run claimed on the other (409), and cancels across instances', async () => {
    const user = await chatUser(first);
    const start = await chatJson(first, user.cookie, { assistantId: user.assistant.id, message: 'Start' }).expect(200);
    const threadId = start.body.threadId;
    first.fake.enqueueResponse({ tokens: 200, deltaDelayMs: 20 });
    let conflict: request.Response | undefined;
    let cancelling: Promise<request.Response> | undefined;
    const streamed = await postSse(`${first.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { threadId, message: 'Long', stream: true },
      abortWhen: (event, events) => {
        if (event.event === 'token' && events.filter((candidate) => candidate.event === 'token').length === 2 && !cancelling) {
          cancelling = chatJson(second, user.cookie, { threadId, message: 'Other instance' }).then((response) => {
            conflict = response;
            return request(second.baseUrl).post(`/api/threads/${threadId}/cancel`).set('Cookie', user.cookie).send().then((answer) => answer);
          });
        }
        return false;
      },
    });
    const cancel = await cancelling;
    expect(conflict?.status).toBe(409);
    expect(conflict?.body.code).toBe('run_in_progress');
    expect(cancel?.status).toBe(200);
    expect(cancel?.body.status).toBe('cancelled');
    expect(streamed.events.find((event) => event.event === 'message_completed')?.data.message.status).toBe('cancelled');
  });

  it('counts rate limits across both instances', async () => {
    const user = await chatUser(first);
    await chatJson(first, user.cookie, { assistantId: user.assistant.id, message: 'one' }).expect(200);
    await chatJson(second, user.cookie, { assistantId: user.assistant.id, message: 'two' }).expect(200);
    await chatJson(first, user.cookie, { assistantId: user.assistant.id, message: 'three' }).expect(200);
    const fourth = await chatJson(second, user.cookie, { assistantId: user.assistant.id, message: 'four' });
    expect(fourth.status).toBe(429);
  });

  it('serves a file uploaded on one instance from the other, and both see its indexing finish', async () => {
    const user = await chatUser(first);
    const pdf = minimalPdf('Shared bytes');
    const uploaded = await uploadFile(first.baseUrl, user.cookie, pdf, 'shared.pdf', { assistantId: user.assistant.id });
    const download = await request(second.baseUrl)
      .get(`/api/files/${uploaded.fileIds[0]}/content`)
      .set('Cookie', user.cookie)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((download.body as Buffer).equals(pdf)).toBe(true);
    await eventually(async () => {
      const file = await request(second.baseUrl).get(`/api/files/${uploaded.fileIds[0]}`).set('Cookie', user.cookie);
      return file.body.status === 'ready' ? true : undefined;
    });
    // The indexing ran once, whichever instance claimed it.
    expect([...first.fake.files.values()].filter((file) => file.filename === 'shared.pdf')).toHaveLength(1);
  });
});
