import { jest } from '@jest/globals';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { FakeOpenAI } from '../support/fake-openai/index.js';
import { createAssistant, eventually, newApiKey, registerUserWithKey } from '../support/platform-api.js';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.js';
import { query } from '../support/query.js';
import { registerUser } from '../support/session-client.js';
import { postSse, tokensOf, type SseResult } from '../support/sse-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(120_000);

/** The configured grace period: short replies (about 1 s) end well within it, long ones (20 s) cannot. */
const GRACE_MS = 6000;

/** The error code of a fresh TCP connection to the port, or 'connected'. */
function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The client sessions on the database, apart from the one asking. */
function sessionsOn(database: TestDatabase): Promise<Array<{ pid: number; application_name: string; state: string; query: string }>> {
  return query(
    database.url,
    `SELECT pid, application_name, state, query FROM pg_stat_activity
     WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    [database.name],
  );
}

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
    let started = 0;
    await eventually(
      async () => {
        [{ count: started }] = await query(database.url, 'SELECT count(*)::int AS count FROM runs');
        return started === 100 || undefined;
      },
      { timeoutMs: 20_000, intervalMs: 20, describe: () => `${started} of 100 replies started` },
    );
    const signalledAt = Date.now();
    const stopped = platform.stop('SIGTERM');
    // New requests are refused promptly once the signal has come.
    const health = () =>
      request(platform.baseUrl)
        .get('/health')
        .then(
          (response) => response.status,
          (error: NodeJS.ErrnoException) => error.code,
        );
    const refused = await eventually(async () => {
      const outcome = await health();
      return outcome === 'ECONNREFUSED' || outcome === 503 ? outcome : undefined;
    }, { timeoutMs: 1_000 });
    expect(refused === 'ECONNREFUSED' || refused === 503).toBe(true);

    const results = await Promise.all(streams);
    expect(await stopped).toBe(0);

    const short = results.filter((_, index) => index % 2 === 0);
    const long = results.filter((_, index) => index % 2 === 1);
    // An error shows with its code, so that a failure says which one ended the reply.
    const ending = (result: SseResult) => result.events.slice(-2).map((event) => (event.event === 'error' ? `error: ${event.data.code}` : event.event));
    const unfinished = short.map(ending).filter((events) => events.join() !== 'message_completed,done');
    // On a failure the platform's warnings show beside the endings.
    expect({ unfinished, log: unfinished.length > 0 ? platform.output().slice(-4000) : '' }).toEqual({ unfinished: [], log: '' });
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
    fake.assertNoSchemaViolations();
  });

  it('lets ordinary JSON requests in flight finish and store their result, refuses new connections meanwhile, and leaves no database connection', async () => {
    // A database of its own, so that every connection to it is the platform's.
    const own = await createTestDatabase();
    let platform: PlatformProcess | undefined;
    try {
      platform = await startPlatformProcess({ DATABASE_URL: own.url, OPENAI_BASE_URL: fake.baseUrl, SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'warn' });
      const user = await registerUserWithKey(platform.baseUrl);
      const assistant = await createAssistant(platform.baseUrl, user.cookie);
      const newcomer = await registerUser(platform.baseUrl);
      fake.reset();
      // About 1.5 s of reply, streamed by the provider to a client that asked for one JSON answer.
      fake.enqueueResponse({ tokens: 30, deltaDelayMs: 50 });
      const chat = request(platform.baseUrl)
        .post('/api/chat')
        .set('Cookie', user.cookie)
        .send({ assistantId: assistant.id, message: 'in flight', stream: false })
        .then((response) => ({ response, receivedAt: Date.now() }));
      // Saving a key waits for the provider's check of it, held here until after the signal.
      const check = fake.holdNext('models');
      const apiKey = newApiKey();
      const keySave = request(platform.baseUrl)
        .post('/api/settings/apikey')
        .set('Cookie', newcomer.cookie)
        .send({ apiKey })
        .then((response) => response);
      await check.arrived;
      await fake.waitFor((recorded) => recorded.method === 'POST' && recorded.path === '/v1/responses', 10_000);
      expect((await sessionsOn(own)).map((session) => session.application_name)).toContain('assistants-platform');

      const signalledAt = Date.now();
      const stopped = platform.stop('SIGTERM');
      const port = Number(new URL(platform.baseUrl).port);
      // The listener closes promptly; a connection tried meanwhile is simply let in and closed.
      const refusedAt = await eventually(async () => ((await connectError(port)) === 'ECONNREFUSED' ? Date.now() : undefined), { timeoutMs: 1_000 });
      expect(refusedAt - signalledAt).toBeLessThan(1_000);
      // What is under test is time passing: the process stays up while the key check is held.
      await delay(1_200);
      expect(platform.child.exitCode).toBeNull();
      check.release();

      const { response: reply, receivedAt } = await chat;
      expect(reply.status).toBe(200);
      expect(reply.body.status).toBe('completed');
      // The reply was still being written when the signal came.
      expect(receivedAt - signalledAt).toBeGreaterThan(500);
      const saved = await keySave;
      expect(saved.status).toBe(200);
      expect(await stopped).toBe(0);
      const errors = platform
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && (JSON.parse(line) as { level: number }).level >= 50);
      expect(errors).toEqual([]);

      const [message] = await query(own.url, 'SELECT content, status FROM messages WHERE id = $1', [reply.body.messageId]);
      expect(message).toEqual({ content: reply.body.content[0].text, status: 'completed' });
      const [{ running }] = await query(own.url, `SELECT count(*)::int AS running FROM runs WHERE status = 'running'`);
      expect(running).toBe(0);
      const [stored] = await query(own.url, 'SELECT api_key_ciphertext IS NOT NULL AS encrypted, api_key_key_id FROM users WHERE id = $1', [
        newcomer.userId,
      ]);
      expect(stored).toEqual({ encrypted: true, api_key_key_id: 'k1' });

      // Its pool and its notification listener were closed: the database sees none of its sessions any more.
      let left: unknown[] = [];
      await eventually(
        async () => {
          left = await sessionsOn(own);
          return left.length === 0 ? true : undefined;
        },
        { timeoutMs: 5_000, describe: () => left },
      );
      fake.assertNoSchemaViolations();
    } finally {
      // Only a failed test leaves it running.
      await platform?.stop('SIGKILL');
      await own.drop();
    }
  });
});
