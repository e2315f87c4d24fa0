import { jest } from '@jest/globals';
import request from 'supertest';
import { FakeOpenAI } from '../support/fake-openai/index.js';
import { createAssistant, registerUserWithKey } from '../support/platform-api.js';
import { startPlatformProcess } from '../support/platform-process.js';
import { query } from '../support/query.js';
import { postSse, tokensOf, type SseResult } from '../support/sse-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(120_000);

/** The configured grace period: short replies (about 1 s) end well within it, long ones (20 s) cannot. */
const GRACE_MS = 6000;

describe('graceful shutdown under load', () => {
  let database: TestDatabase;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await FakeOpenAI.start({ recordBodies: false });
  });

  afterAll(async () => {
    await fake?.stop();
    await database?.drop();
  });

  it('stops accepting, lets short replies finish, ends the rest with server_shutting_down after storing them, and exits 0', async () => {
    const platform = await startPlatformProcess({ DATABASE_URL: database.url, OPENAI_BASE_URL: fake.baseUrl, SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'warn' });
    const user = await registerUserWithKey(platform.baseUrl);
    const assistant = await createAssistant(platform.baseUrl, user.cookie);
    fake.setResponder((body) => {
      const message = JSON.stringify(body.input);
      return message.includes('short') ? { tokens: 20, deltaDelayMs: 50 } : { tokens: 400, deltaDelayMs: 50 };
    });

    const streams: Array<Promise<SseResult>> = [];
    for (let index = 0; index < 100; index++) {
      streams.push(
        postSse(`${platform.baseUrl}/api/chat`, {
          cookie: user.cookie,
          body: { assistantId: assistant.id, message: `${index % 2 === 0 ? 'short' : 'long'} ${index}`, stream: true },
        }),
      );
    }
    // Wait until every stream has begun before asking the server to stop.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [{ count }] = await query(database.url, 'SELECT count(*)::int AS count FROM runs');
      if (count === 100) break;
      if (Date.now() > deadline) throw new Error(`only ${count} of 100 replies started`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const signalledAt = Date.now();
    const stopped = platform.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await request(platform.baseUrl).get('/health').then(
      (response) => response.status,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused === 'ECONNREFUSED' || refused === 503).toBe(true);

    const results = await Promise.all(streams);
    expect(await stopped).toBe(0);

    const short = results.filter((_, index) => index % 2 === 0);
    const long = results.filter((_, index) => index % 2 === 1);
    for (const result of short) {
      expect(result.events.map((event) => event.event).slice(-2)).toEqual(['message_completed', 'done']);
    }
    // Some replies were still being written when the signal came, and were allowed to finish.
    expect(short.some((result) => result.events.at(-1)!.receivedAt > signalledAt + 200)).toBe(true);
    for (const result of long) {
      const error = result.events.at(-2);
      expect(error?.event).toBe('error');
      expect(error?.data.code).toBe('server_shutting_down');
      // Ended when the configured grace period ran out, not before and not at the reply's own end.
      expect(error!.receivedAt - signalledAt).toBeGreaterThanOrEqual(GRACE_MS - 100);
      expect(error!.receivedAt - signalledAt).toBeLessThan(GRACE_MS + 5000);
      expect(error?.data.message.content).toBe(tokensOf(result.events));
      expect(result.events.at(-1)?.event).toBe('done');
      const [row] = await query(database.url, 'SELECT content, status FROM messages WHERE id = $1', [error!.data.message.id]);
      expect(row).toEqual({ content: tokensOf(result.events), status: 'incomplete' });
    }

    const [{ running }] = await query(database.url, `SELECT count(*)::int AS running FROM runs WHERE status = 'running'`);
    expect(running).toBe(0);
    const stored = await query(
      database.url,
      `SELECT status, status_reason, count(*)::int AS count FROM messages WHERE role = 'assistant' GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(stored).toEqual([
      { status: 'completed', status_reason: null, count: 50 },
      { status: 'incomplete', status_reason: 'server_shutting_down', count: 50 },
    ]);
  });
});
