import request from 'supertest';
import type { Fault } from '../support/fake-openai/index.js';
import { chatJson, chatUser, messagesOf, responseRequests, waitUntilFree } from '../support/chat-helpers.js';
import { postSse, tokensOf } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface FaultCase {
  name: string;
  /** Applied to the next POST /v1/responses. */
  arm: (app: TestApp) => void;
  status: number;
  code: string;
  /** Seconds to wait: the Retry-After header of a JSON reply, retryAfterSeconds of the stream's error event. */
  retryAfter?: number;
  /** Text relayed before the failure (stored as the partial reply). */
  partial?: string;
  /** The partial reply's statusReason when it is the provider's reason rather than the code. */
  reason?: string;
}

const DELTAS = ['One ', 'two ', 'three ', 'four ', 'five.'];
const failWith = (fault: Fault) => (app: TestApp) => app.fake.failNext('responses', fault);
const streamFault = (fault: Fault) => (app: TestApp) => app.fake.enqueueResponse({ deltas: DELTAS, fault });

const CASES: FaultCase[] = [
  { name: '401 invalid key', arm: failWith({ kind: 'invalid_api_key' }), status: 400, code: 'api_key_invalid' },
  { name: '429 rate limit', arm: failWith({ kind: 'rate_limit', retryAfterSeconds: 7 }), status: 429, code: 'upstream_rate_limited', retryAfter: 7 },
  // The provider sends no Retry-After with it: the platform's own default wait is an hour.
  { name: 'insufficient quota', arm: failWith({ kind: 'insufficient_quota' }), status: 429, code: 'upstream_quota_exceeded', retryAfter: 3600 },
  { name: '500 server error', arm: failWith({ kind: 'server_error' }), status: 502, code: 'upstream_unavailable' },
  { name: 'a hang before any answer', arm: failWith({ kind: 'hang' }), status: 504, code: 'upstream_timeout' },
  { name: 'a connection dropped before headers', arm: failWith({ kind: 'drop' }), status: 502, code: 'upstream_unavailable' },
  { name: 'a stream cut after 3 deltas', arm: streamFault({ kind: 'cut', afterDeltas: 3 }), status: 502, code: 'upstream_unavailable', partial: 'One two three ' },
  { name: 'a stream that stalls after 2 deltas', arm: streamFault({ kind: 'stall', afterDeltas: 2 }), status: 504, code: 'upstream_timeout', partial: 'One two ' },
  { name: 'an error event after 2 deltas', arm: streamFault({ kind: 'error_event', afterDeltas: 2 }), status: 502, code: 'upstream_error', partial: 'One two ' },
  {
    name: 'an error event in the flat shape of the spec after 2 deltas',
    arm: streamFault({ kind: 'error_event', afterDeltas: 2, shape: 'flat' }),
    status: 502,
    code: 'upstream_error',
    partial: 'One two ',
  },
  { name: 'response.failed after 2 deltas', arm: streamFault({ kind: 'failed', afterDeltas: 2 }), status: 502, code: 'upstream_error', partial: 'One two ' },
  {
    name: 'response.incomplete after 4 deltas',
    arm: streamFault({ kind: 'incomplete', afterDeltas: 4, reason: 'max_output_tokens' }),
    status: 502,
    code: 'reply_incomplete',
    partial: 'One two three four ',
    reason: 'max_output_tokens',
  },
];

describe('chat when the provider fails', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: { OPENAI_FIRST_TOKEN_TIMEOUT_MS: '400', OPENAI_TIMEOUT_MS: '400' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function expectAftermath(user: Awaited<ReturnType<typeof chatUser>>, threadId: string, fault: FaultCase, question: string) {
    await waitUntilFree(app, threadId);
    const messages = await messagesOf(app, user.cookie, threadId);
    expect(messages[0]).toMatchObject({ role: 'user', content: question });
    if (fault.partial) {
      expect(messages).toHaveLength(2);
      expect(messages[1]).toMatchObject({ role: 'assistant', content: fault.partial, status: 'incomplete', statusReason: fault.reason ?? fault.code });
    } else {
      expect(messages).toHaveLength(1);
    }
    // The thread is free for the next turn.
    await chatJson(app, user.cookie, { threadId, message: 'Try again' }).expect(200);
  }

  describe.each(CASES)('$name', (fault) => {
    it(`answers ${fault.code} in JSON, keeps the user message and any partial text, and frees the thread`, async () => {
      const user = await chatUser(app);
      fault.arm(app);
      const question = `JSON question for ${fault.name}`;
      const response = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: question });
      expect(response.status).toBe(fault.status);
      expect(response.body).toMatchObject({ code: fault.code, error: expect.any(String) });
      expect(response.headers['retry-after']).toBe(fault.retryAfter === undefined ? undefined : String(fault.retryAfter));
      const stored = response.body.details[0];
      expect(stored).toMatchObject({ threadId: expect.any(String), userMessageId: expect.any(String) });
      await expectAftermath(user, stored.threadId, fault, question);
    });

    it(`sends an error event with ${fault.code}, then done, on a stream`, async () => {
      const user = await chatUser(app);
      fault.arm(app);
      const question = `Streamed question for ${fault.name}`;
      const result = await postSse(`${app.baseUrl}/api/chat`, {
        cookie: user.cookie,
        body: { assistantId: user.assistant.id, message: question, stream: true },
      });
      const names = result.events.map((event) => event.event);
      expect(names[0]).toBe('message_created');
      expect(names.slice(-2)).toEqual(['error', 'done']);
      const error = result.events.at(-2)!;
      expect(error.data).toMatchObject({ code: fault.code, error: expect.any(String) });
      expect(error.data.retryAfterSeconds).toBe(fault.retryAfter);
      expect(tokensOf(result.events)).toBe(fault.partial ?? '');
      if (fault.partial) {
        expect(error.data.message).toMatchObject({ content: fault.partial, status: 'incomplete', statusReason: fault.reason ?? fault.code });
      } else {
        expect(error.data.message).toBeUndefined();
      }
      await expectAftermath(user, result.events[0].data.message.threadId, fault, question);
    });
  });
});

describe('retries before the first token', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: { OPENAI_MAX_RETRIES: '2', OPENAI_MAX_RETRY_WAIT_MS: '3000' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('retries a 500 and a dropped connection, and succeeds once the provider recovers', async () => {
    const user = await chatUser(app);
    app.fake.failNext('responses', { kind: 'server_error' });
    app.fake.failNext('responses', { kind: 'drop' });
    app.fake.enqueueResponse({ text: 'Recovered.' });
    const before = responseRequests(app).length;
    const response = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Are you there?' }).expect(200);
    expect(response.body.content[0].text).toBe('Recovered.');
    expect(app.fake.requestsTo('POST', '/v1/responses').length - before).toBe(3);
  });

  it('waits the Retry-After of a rate limit before retrying', async () => {
    const user = await chatUser(app);
    app.fake.failNext('responses', { kind: 'rate_limit', retryAfterSeconds: 1 });
    const started = Date.now();
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Patience' }).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('does not retry what waiting cannot fix, nor beyond the capped wait', async () => {
    const user = await chatUser(app);
    app.fake.failNext('responses', { kind: 'invalid_api_key' });
    const before = app.fake.requestsTo('POST', '/v1/responses').length;
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Key?' }).expect(400);
    expect(app.fake.requestsTo('POST', '/v1/responses').length - before).toBe(1);

    app.fake.failNext('responses', { kind: 'rate_limit', retryAfterSeconds: 30 });
    const slow = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Long wait?' });
    expect(slow.status).toBe(429);
    expect(slow.headers['retry-after']).toBe('30');
  });

  it('keeps the previous reply, neither superseded nor left out of context, when a regenerate fails before any text', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'The first answer.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Explain tides' }).expect(200);
    const threadId = first.body.threadId;

    // Refused outright on a stream (not retried)...
    app.fake.failNext('responses', { kind: 'invalid_api_key' });
    const refused = await postSse(`${app.baseUrl}/api/threads/${threadId}/regenerate`, { cookie: user.cookie, body: { stream: true } });
    expect(refused.events.map((event) => event.event)).toEqual(['error', 'done']);
    expect(refused.events[0].data).toMatchObject({ code: 'api_key_invalid' });
    expect(refused.events[0].data.message).toBeUndefined();

    // ...and failing on every try in JSON, the retries used up.
    const before = app.fake.requestsTo('POST', '/v1/responses').length;
    app.fake.failNext('responses', { kind: 'server_error' }, 3);
    const exhausted = await request(app.baseUrl).post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false });
    expect(exhausted.status).toBe(502);
    expect(exhausted.body.code).toBe('upstream_unavailable');
    expect(exhausted.body.details[0]).toMatchObject({ threadId, messageId: null });
    expect(app.fake.requestsTo('POST', '/v1/responses').length - before).toBe(3);

    const messages = await messagesOf(app, user.cookie, threadId);
    expect(messages.map((message: any) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Explain tides', 'completed'],
      ['assistant', 'The first answer.', 'completed'],
    ]);
    await chatJson(app, user.cookie, { threadId, message: 'And the moon?' }).expect(200);
    expect(responseRequests(app).at(-1).input.map((item: any) => item.content)).toEqual(['Explain tides', 'The first answer.', 'And the moon?']);
  });

  it('never retries once text has been relayed', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ deltas: ['Half ', 'an ', 'answer'], fault: { kind: 'cut', afterDeltas: 2 } });
    const before = app.fake.requestsTo('POST', '/v1/responses').length;
    const response = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Go' });
    expect(response.status).toBe(502);
    expect(app.fake.requestsTo('POST', '/v1/responses').length - before).toBe(1);
  });
});

describe('chat when the database pool is busy as the reply ends', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Two connections, and a short wait for one: a reply that ends while both are taken cannot store at once.
    app = await startTestApp({ fake: true, env: { DATABASE_POOL_SIZE: '2', DATABASE_CONNECT_TIMEOUT_MS: '200' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps trying to store a finished reply instead of reporting it lost', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ deltas: ['Stored ', 'in ', 'the ', 'end.'], deltaDelayMs: 100 });
    let holding: Promise<unknown> | undefined;
    const streamed = await postSse(`${app.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'Busy pool?', stream: true },
      abortWhen: (event) => {
        // Takes both connections for a second, from the first token on: the reply ends while they are held.
        if (event.event === 'token' && !holding) {
          holding = Promise.all([app.dataSource.query('SELECT pg_sleep(1)'), app.dataSource.query('SELECT pg_sleep(1)')]);
        }
        return false;
      },
    });
    await holding;
    expect(streamed.events.map((event) => event.event)).toEqual(['message_created', 'token', 'token', 'token', 'token', 'message_completed', 'done']);
    const completed = streamed.events.find((event) => event.event === 'message_completed')!;
    expect(completed.data.message).toMatchObject({ content: 'Stored in the end.', status: 'completed' });
    expect(app.logs.entries().some((line) => line.msg === 'no database connection to store the reply; trying again')).toBe(true);
    const messages = await messagesOf(app, user.cookie, streamed.events[0].data.message.threadId);
    expect(messages.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Busy pool?', 'completed'],
      ['assistant', 'Stored in the end.', 'completed'],
    ]);
  });
});
