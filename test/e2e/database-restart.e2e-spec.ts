import { jest } from '@jest/globals';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { chatUser } from '../support/chat-helpers.js';
import { FakeOpenAI } from '../support/fake-openai/index.js';
import { eventually } from '../support/platform-api.js';
import { freePort } from '../support/test-database-server.js';
import type { TestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(120_000);

interface Outcome {
  kind: 'chat' | 'read';
  status: number;
  code?: string;
  durationMs: number;
  messageIds: string[];
}

/** A real PostgreSQL restart (its own server, so other test files are not disturbed) under a load of chats and reads. */
describe('database restart under load', () => {
  let folder: string;
  let server: EmbeddedPostgres;
  let app: TestApp;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    await mkdir(join(process.cwd(), '.data'), { recursive: true });
    folder = await mkdtemp(join(process.cwd(), '.data', 'restart-'));
    server = new EmbeddedPostgres({ dir: join(folder, 'postgres'), port: await freePort(), database: 'platform' });
    const url = await server.start();
    const database: TestDatabase = { url, name: 'platform', drop: async () => undefined };
    fake = await FakeOpenAI.start({ recordBodies: false });
    app = await startTestApp({ database, fake, env: { DATABASE_CONNECT_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn' } });
  });

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers 503 in the gap without hanging, recovers by itself, and keeps every acknowledged message', async () => {
    const user = await chatUser(app);
    fake.setDefaultResponse({ tokens: 5, deltaDelayMs: 10 });
    const outcomes: Outcome[] = [];
    let running = true;

    const chatLoop = async () => {
      while (running) {
        const started = Date.now();
        const response = await request(app.baseUrl)
          .post('/api/chat')
          .set('Cookie', user.cookie)
          .send({ assistantId: user.assistant.id, message: `load ${started}`, stream: false })
          .timeout(15_000)
          .catch((error: { response?: request.Response }) => error.response);
        outcomes.push({
          kind: 'chat',
          status: response?.status ?? 0,
          code: response?.body?.code,
          durationMs: Date.now() - started,
          messageIds: response?.status === 200 ? [response.body.userMessageId, response.body.messageId] : [],
        });
      }
    };
    const readLoop = async () => {
      while (running) {
        const started = Date.now();
        const response = await request(app.baseUrl).get('/api/threads').set('Cookie', user.cookie).timeout(15_000);
        outcomes.push({ kind: 'read', status: response.status, code: response.body?.code, durationMs: Date.now() - started, messageIds: [] });
      }
    };
    const load = Promise.all([chatLoop(), chatLoop(), chatLoop(), readLoop(), readLoop()]);

    const served = (from: number, kind: Outcome['kind']) =>
      outcomes.slice(from).filter((outcome) => outcome.kind === kind && outcome.status === 200).length;
    const under = (from: number) => () => (served(from, 'chat') >= 3 && served(from, 'read') >= 3 ? true : undefined);
    const state = () => outcomes.slice(-5);

    // Under load: chats and reads answered before the restart.
    await eventually(under(0), { timeoutMs: 20_000, describe: state });
    await server.stop();
    // The gap shows: requests are refused while the database is away.
    await eventually(() => (outcomes.some((outcome) => outcome.status !== 200) ? true : undefined), { timeoutMs: 20_000, describe: state });
    await server.start();
    await eventually(async () => ((await request(app.baseUrl).get('/health')).status === 200 ? true : undefined), { timeoutMs: 20_000 });
    // And the load is served again afterwards.
    const recovered = outcomes.length;
    await eventually(under(recovered), { timeoutMs: 20_000, describe: state });
    running = false;
    await load;

    const failures = outcomes.filter((outcome) => outcome.status !== 200);
    expect(failures.length).toBeGreaterThan(0);
    // In the gap: 503 with the envelope, never a hang and never a crash.
    for (const failure of failures) {
      expect({ status: failure.status, code: failure.code }).toEqual({ status: 503, code: 'database_unavailable' });
    }
    expect(Math.max(...outcomes.map((outcome) => outcome.durationMs))).toBeLessThan(10_000);
    // Afterwards the platform serves again on its own.
    expect(outcomes.slice(-5).every((outcome) => outcome.status === 200)).toBe(true);

    const acknowledged = outcomes.flatMap((outcome) => outcome.messageIds);
    expect(acknowledged.length).toBeGreaterThan(10);
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM messages WHERE id = ANY($1::uuid[])', [acknowledged]);
    expect(count).toBe(acknowledged.length);
    fake.assertNoSchemaViolations();
  });
});
