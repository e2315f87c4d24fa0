import { jest } from '@jest/globals';
import { chatUser, messagesOf, within } from '../support/chat-helpers.js';
import { eventually } from '../support/platform-api.js';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.js';
import { getSse, postSse, tokensOf } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(120_000);

const STALE_SECONDS = 2;
const env = { RUN_STALE_AFTER_SECONDS: String(STALE_SECONDS), CHAT_STREAM_FLUSH_MS: '50' };

/** The instance writing a reply dies (SIGKILL): clients attached elsewhere are told, with what was stored, and never hang. */
describe('a reply whose instance dies', () => {
  let app: TestApp;
  let platform: PlatformProcess | undefined;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env });
    platform = await startPlatformProcess({ DATABASE_URL: app.database.url, OPENAI_BASE_URL: app.fake.baseUrl, LOG_LEVEL: 'warn', ...env });
  });

  afterAll(async () => {
    await platform?.stop('SIGKILL');
    await app?.close();
  });

  it('ends the attached client with an error event carrying the stored partial within the heartbeat timeout', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ tokens: 400, deltaDelayMs: 20 });
    const cut = await postSse(`${platform!.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'Write at length', stream: true },
      abortWhen: (_event, events) => events.filter((event) => event.event === 'token').length === 3,
    });
    const threadId = cut.events[0].data.message.threadId;
    const attached = getSse(`${app.baseUrl}/api/threads/${threadId}/stream`, { cookie: user.cookie, lastEventId: cut.events.at(-1)!.id });
    // Some of the reply is stored before the instance dies.
    await eventually(async () => {
      const [row] = await app.dataSource.query(`SELECT char_length(content) AS length FROM messages WHERE thread_id = $1 AND role = 'assistant'`, [threadId]);
      return row && row.length > 40 ? true : undefined;
    });
    const killedAt = Date.now();
    await platform!.stop('SIGKILL');
    platform = undefined;

    const followed = await within(attached, 10_000);
    if (followed === 'timed out') throw new Error('the attached client was left hanging');
    const endedAfter = Date.now() - killedAt;
    // Stale after RUN_STALE_AFTER_SECONDS, noticed at the next poll (a third of it).
    expect(endedAfter).toBeLessThan(STALE_SECONDS * 1000 * 1.5 + 1_000);
    expect(followed.events.map((event) => event.event).slice(-2)).toEqual(['error', 'done']);
    const error = followed.events.at(-2)!.data;
    expect(error.code).toBe('reply_interrupted');
    expect(error.message).toMatchObject({ role: 'assistant', status: 'incomplete', statusReason: 'interrupted' });

    const reply = (await messagesOf(app, user.cookie, threadId)).find((message: any) => message.role === 'assistant');
    expect(reply).toMatchObject({ id: error.message.id, status: 'incomplete', content: error.message.content });
    expect(reply.content.length).toBeGreaterThan(40);
    // What the client saw before and after it attached is exactly the stored partial.
    expect(tokensOf(cut.events) + tokensOf(followed.events)).toBe(reply.content);
    const [run] = await app.dataSource.query(`SELECT status, error_code FROM runs WHERE thread_id = $1`, [threadId]);
    expect(run).toEqual({ status: 'failed', error_code: 'abandoned' });
  });
});
