import request from 'supertest';
import { chatUser, messagesOf, waitForRunningRun, waitUntilFree, within } from '../support/chat-helpers.js';
import { getSse, postSse, tokensOf, type SseEvent, type SseResult } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Deltas of a long reply, some with characters outside the Basic Multilingual Plane (two UTF-16 units, one character). */
function replyDeltas(count: number): string[] {
  return Array.from({ length: count }, (_, index) => (index % 5 === 2 ? `t${index}😀 ` : `t${index} `));
}

const tokenCount = (events: SseEvent[]) => events.filter((event) => event.event === 'token').length;
const lastId = (result: SseResult) => result.events.at(-1)!.id!;

/** The id of the provider's latest request, so that a wait looks only at requests after it. */
const latestRequestId = (app: TestApp) => app.fake.requestsTo('POST', '/v1/responses').at(-1)?.id ?? 0;
const abortedAfter = (app: TestApp, since: number) => app.fake.waitFor((entry) => entry.id > since && entry.path === '/v1/responses' && entry.aborted, 1_000);

async function storedReply(app: TestApp, cookie: string, threadId: string): Promise<any> {
  await waitUntilFree(app, threadId);
  return (await messagesOf(app, cookie, threadId)).find((message: any) => message.role === 'assistant');
}

/** Two instances of the platform on one database: replies outlive their request and can be followed from either. */
describe('replies that outlive their connection', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const env = { CHAT_STREAM_FLUSH_MS: '50', RUN_STALE_AFTER_SECONDS: '2' };
    first = await startTestApp({ fake: true, env });
    second = await startTestApp({ database: first.database, fake: first.fake, env });
  });

  afterAll(async () => {
    await second?.app.close();
    await first?.close();
  });

  it('goes on when the client disconnects mid-reply, and the whole reply is stored', async () => {
    const user = await chatUser(first);
    const deltas = replyDeltas(30);
    first.fake.enqueueResponse({ deltas, deltaDelayMs: 15 });
    const cut = await postSse(`${first.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'A long answer please', stream: true },
      abortWhen: (_event, events) => tokenCount(events) === 3,
    });
    const threadId = cut.events[0].data.message.threadId;
    const reply = await storedReply(first, user.cookie, threadId);
    expect(reply).toMatchObject({ status: 'completed', content: deltas.join('') });
    const upstream = first.fake.requestsTo('POST', '/v1/responses').at(-1)!;
    expect(upstream.aborted).toBe(false);
  });

  it('replays what a disconnected client missed on a second instance (Last-Event-ID), then follows live: no duplicate, no gap', async () => {
    const user = await chatUser(first);
    const deltas = replyDeltas(40);
    first.fake.enqueueResponse({ deltas, deltaDelayMs: 25 });
    const cut = await postSse(`${first.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'Tell me everything', stream: true },
      abortWhen: (_event, events) => tokenCount(events) === 5,
    });
    const threadId = cut.events[0].data.message.threadId;
    // The event ids are offsets into the reply, in characters.
    expect(lastId(cut)).toBe(String([...tokensOf(cut.events)].length));
    const resumed = await getSse(`${second.baseUrl}/api/threads/${threadId}/stream`, { cookie: user.cookie, lastEventId: lastId(cut) });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toContain('text/event-stream');
    expect(resumed.events.map((event) => event.event).slice(-2)).toEqual(['message_completed', 'done']);
    // More than one token event: it followed the reply live, not only read it once at the end.
    expect(tokenCount(resumed.events)).toBeGreaterThan(1);
    const ids = resumed.events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const reply = await storedReply(first, user.cookie, threadId);
    expect(tokensOf(cut.events) + tokensOf(resumed.events)).toBe(reply.content);
    expect(reply).toMatchObject({ status: 'completed', content: deltas.join('') });
    expect(resumed.events.at(-2)!.data.message).toMatchObject({ id: reply.id, status: 'completed', content: reply.content });
    expect(resumed.events.at(-1)!.data).toEqual({ threadId, messageId: reply.id });
  });

  it('gives two tabs attached at once the same events, on either instance, and the same text as the tab that asked', async () => {
    const user = await chatUser(first);
    const deltas = replyDeltas(20);
    first.fake.enqueueResponse({ deltas, deltaDelayMs: 20 });
    const held = first.fake.holdNext('responses');
    const asking = postSse(`${first.baseUrl}/api/chat`, { cookie: user.cookie, body: { assistantId: user.assistant.id, message: 'Hi', stream: true } });
    await held.arrived;
    const threadId = (await first.dataSource.query(`SELECT thread_id FROM runs WHERE user_id = $1 AND status = 'running'`, [user.userId]))[0].thread_id;
    const opened: number[] = [];
    const url = (app: TestApp) => `${app.baseUrl}/api/threads/${threadId}/stream`;
    const tabs = [first, first, second].map((app) => getSse(url(app), { cookie: user.cookie, onOpen: (status) => opened.push(status) }));
    await within(
      (async () => {
        while (opened.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      })(),
      5_000,
    );
    held.release();
    const [one, two, three] = await Promise.all(tabs);
    const asked = await asking;
    const strip = (result: SseResult) => result.events.map(({ id, event, data }) => ({ id, event, data }));
    expect(strip(one)).toEqual(strip(two));
    expect(tokensOf(three.events)).toBe(tokensOf(one.events));
    expect(tokensOf(asked.events)).toBe(tokensOf(one.events));
    expect(tokensOf(one.events)).toBe(deltas.join(''));
    expect(three.events.at(-2)!.data.message.content).toBe(deltas.join(''));
  });

  it('answers 204 when nothing runs, 404 for another user even while a reply runs, and 400 for a bad Last-Event-ID', async () => {
    const owner = await chatUser(first);
    const intruder = await chatUser(first);
    first.fake.enqueueResponse({ text: 'Short.' });
    const done = await request(first.baseUrl).post('/api/chat').set('Cookie', owner.cookie).send({ assistantId: owner.assistant.id, message: 'Hi' }).expect(200);
    const threadId = done.body.threadId;
    const idle = await request(second.baseUrl).get(`/api/threads/${threadId}/stream`).set('Cookie', owner.cookie);
    expect(idle.status).toBe(204);
    expect(idle.text).toBe('');

    first.fake.enqueueResponse({ tokens: 40, deltaDelayMs: 25 });
    const running = postSse(`${first.baseUrl}/api/chat`, { cookie: owner.cookie, body: { threadId, message: 'Long', stream: true } });
    await waitForRunningRun(first, threadId);
    for (const app of [first, second]) {
      const foreign = await request(app.baseUrl).get(`/api/threads/${threadId}/stream`).set('Cookie', intruder.cookie);
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'not_found' });
    }
    const bad = await request(second.baseUrl).get(`/api/threads/${threadId}/stream`).set('Cookie', owner.cookie).set('Last-Event-ID', 'abc');
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    await running;
  });

  it('refuses more open streams than CHAT_STREAM_MAX_ATTACHED_PER_USER on an instance (429), and counts closed ones out', async () => {
    const limited = await startTestApp({ database: first.database, fake: first.fake, env: { CHAT_STREAM_MAX_ATTACHED_PER_USER: '2' } });
    try {
      const user = await chatUser(limited);
      const held = limited.fake.holdNext('responses');
      limited.fake.enqueueResponse({ text: 'Finally.' });
      const asking = postSse(`${limited.baseUrl}/api/chat`, { cookie: user.cookie, body: { assistantId: user.assistant.id, message: 'Hi', stream: true } });
      await held.arrived;
      const threadId = (await limited.dataSource.query(`SELECT thread_id FROM runs WHERE user_id = $1 AND status = 'running'`, [user.userId]))[0].thread_id;
      const url = `${limited.baseUrl}/api/threads/${threadId}/stream`;
      const opened: number[] = [];
      const tabs = [getSse(url, { cookie: user.cookie, onOpen: (status) => opened.push(status) }), getSse(url, { cookie: user.cookie, onOpen: (status) => opened.push(status) })];
      await within(
        (async () => {
          while (opened.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
        })(),
        5_000,
      );
      const third = await request(limited.baseUrl).get(`/api/threads/${threadId}/stream`).set('Cookie', user.cookie);
      expect({ status: third.status, code: third.body.code }).toEqual({ status: 429, code: 'rate_limited' });
      held.release();
      await Promise.all([...tabs, asking]);
      await waitUntilFree(limited, threadId);
      // The closed streams no longer count.
      await request(limited.baseUrl).get(`/api/threads/${threadId}/stream`).set('Cookie', user.cookie).expect(204);
    } finally {
      await limited.app.close();
    }
  });

  it('cancels a reply whose client went away from the other instance: the provider request is aborted within a second', async () => {
    const user = await chatUser(first);
    const since = latestRequestId(first);
    first.fake.enqueueResponse({ tokens: 200, deltaDelayMs: 20 });
    const cut = await postSse(`${first.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'Go on and on', stream: true },
      abortWhen: (_event, events) => tokenCount(events) === 2,
    });
    const threadId = cut.events[0].data.message.threadId;
    const attached = getSse(`${second.baseUrl}/api/threads/${threadId}/stream`, { cookie: user.cookie, lastEventId: lastId(cut) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const cancelledAt = Date.now();
    // Sent now (a supertest request starts only once it is awaited).
    const cancel = request(second.baseUrl).post(`/api/threads/${threadId}/cancel`).set('Cookie', user.cookie).send().then((response) => response);
    const upstream = await abortedAfter(first, since);
    expect(upstream.aborted).toBe(true);
    expect(Date.now() - cancelledAt).toBeLessThan(1_000);
    expect((await cancel).body).toMatchObject({ status: 'cancelled' });
    const followed = await attached;
    const reply = await storedReply(first, user.cookie, threadId);
    expect(reply.status).toBe('cancelled');
    expect(tokensOf(cut.events) + tokensOf(followed.events)).toBe(reply.content);
    expect(followed.events.at(-2)).toMatchObject({ event: 'message_completed', data: { message: { id: reply.id, status: 'cancelled' } } });
  });

  it('with CHAT_CONTINUE_ON_DISCONNECT=false, stops as before: partial stored as incomplete, upstream aborted within a second', async () => {
    const stopping = await startTestApp({ database: first.database, fake: first.fake, env: { CHAT_CONTINUE_ON_DISCONNECT: 'false' } });
    try {
      const user = await chatUser(stopping);
      const since = latestRequestId(stopping);
      stopping.fake.enqueueResponse({ tokens: 40, deltaDelayMs: 50 });
      const result = await postSse(`${stopping.baseUrl}/api/chat`, {
        cookie: user.cookie,
        body: { assistantId: user.assistant.id, message: 'Tell me a long story', stream: true },
        abortWhen: (_event, events) => tokenCount(events) === 3,
      });
      const disconnectedAt = Date.now();
      const upstream = await abortedAfter(stopping, since);
      expect(upstream.aborted).toBe(true);
      expect(Date.now() - disconnectedAt).toBeLessThan(1_000);
      const threadId = result.events[0].data.message.threadId;
      const reply = await storedReply(stopping, user.cookie, threadId);
      expect(reply).toMatchObject({ status: 'incomplete', statusReason: 'client_disconnected' });
      expect(reply.content.startsWith(tokensOf(result.events))).toBe(true);
      expect(reply.content.length).toBeGreaterThan(0);
    } finally {
      await stopping.app.close();
    }
  });
});
