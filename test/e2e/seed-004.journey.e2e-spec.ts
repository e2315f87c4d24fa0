import request from 'supertest';
import { responseRequests, waitUntilFree } from '../support/chat-helpers.js';
import { eventually, registerUserWithKey } from '../support/platform-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TITLE_MODEL = 'title-model';
const SUMMARY_MODEL = 'summary-model';

/**
 * Seed 004's flow (a Responses-API chat service: plain chat, auto titles,
 * summary + window context, usage and cost, soft delete), walked as its users
 * did, on this platform's routes and with seed 004's own context settings
 * (a window of 5 pairs, a summary after 10 messages, updated every 5):
 * POST /chat {input, conversation_id?}        -> POST /api/chat {message, threadId?} (no assistant needed)
 * GET /conversations/{id}                     -> GET /api/threads/:id (title, summary, messageCount, tokens, totalCost)
 * PATCH /conversations/{id} {title}           -> PATCH /api/threads/:id
 * DELETE /conversations/{id}?soft=true        -> DELETE /api/threads/:id?soft=true (the trash; restore with POST .../restore)
 * GET /conversations?user_id=…                -> GET /api/threads (the session says who)
 * GET /health, GET /config                    -> the same
 */
describe('seed 004 journey: plain chat, a long thread that keeps its first facts, the trash, usage by purpose', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      fake: true,
      env: {
        AUTO_TITLES: 'true',
        TITLE_MODEL,
        SUMMARY_MODEL,
        CONTEXT_MODE: 'summary_window',
        CONTEXT_WINDOW_MESSAGES: '10',
        CONTEXT_SUMMARIZE_AFTER: '10',
        CONTEXT_SUMMARY_INTERVAL: '5',
      },
    });
    // Titles and summaries by their models; a summary keeps what its input (earlier summary included) says of the cat.
    app.fake.setResponder((body) => {
      if (body.model === TITLE_MODEL) return { text: 'Cat facts', usage: { input_tokens: 30, output_tokens: 5 } };
      if (body.model === SUMMARY_MODEL) {
        const seen = JSON.stringify(body.input) + String(body.instructions ?? '');
        const text = seen.includes('Mistral') ? "The user's cat is called Mistral." : 'Small talk.';
        return { text, usage: { input_tokens: 300, output_tokens: 20 } };
      }
      return undefined;
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('chats without an assistant through 23 messages, the first fact still reaching the provider; trash and restore; usage shows titles and summaries', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const api = () => request(app.baseUrl);
    expect((await api().get('/health').expect(200)).body).toMatchObject({ status: 'ok' });
    expect((await api().get('/config').expect(200)).body.chatModel).toEqual(expect.any(String));

    // The first message, with no assistant anywhere: a new thread, titled automatically.
    app.fake.enqueueResponse({ text: 'Nice to meet Mistral!', usage: { input_tokens: 100, output_tokens: 10 } });
    const first = await api().post('/api/chat').set('Cookie', user.cookie).send({ message: 'Hi! My cat is called Mistral.' }).expect(200);
    const threadId = first.body.threadId;
    expect(first.body).toMatchObject({ title: 'Cat facts', content: [{ type: 'text', text: 'Nice to meet Mistral!' }], usage: { totalTokens: 110 } });
    expect(first.body.cost).toEqual(expect.any(Number));
    expect(first.body.message.assistantId).toBeNull();

    // Ten more exchanges of small talk: 22 messages, well past the window and the summary threshold.
    for (let turn = 1; turn <= 10; turn++) {
      app.fake.enqueueResponse({ text: `Reply ${turn}.`, usage: { input_tokens: 100, output_tokens: 10 } });
      await api().post('/api/chat').set('Cookie', user.cookie).send({ threadId, message: `Small talk ${turn}.` }).expect(200);
      await waitUntilFree(app, threadId);
    }
    // Summaries are written after a reply: wait for the first one, which covers the first message.
    await eventually(async () => {
      const response = await api().get(`/api/threads/${threadId}`).set('Cookie', user.cookie).expect(200);
      return response.body.summary !== null ? true : undefined;
    });
    // The 23rd message: the provider still learns of the cat, by the summary or by the history.
    app.fake.enqueueResponse({ text: 'Your cat is Mistral.' });
    const asked = await api().post('/api/chat').set('Cookie', user.cookie).send({ threadId, message: "What is my cat's name?" }).expect(200);
    expect(asked.body.content).toEqual([{ type: 'text', text: 'Your cat is Mistral.' }]);
    const last = responseRequests(app).filter((body) => body.model !== TITLE_MODEL && body.model !== SUMMARY_MODEL).at(-1);
    expect(JSON.stringify(last.input) + String(last.instructions ?? '')).toContain('Mistral');
    // With this window the first message itself is no longer sent: the summary carries it.
    expect(JSON.stringify(last.input)).not.toContain('Hi! My cat is called Mistral.');
    expect(JSON.stringify(last.input)).toContain("The user's cat is called Mistral.");

    const thread = await eventually(async () => {
      const response = await api().get(`/api/threads/${threadId}`).set('Cookie', user.cookie).expect(200);
      return response.body.messageCount === 24 ? response.body : undefined;
    });
    expect(thread).toMatchObject({ title: 'Cat facts', assistantId: null, summary: "The user's cat is called Mistral." });
    expect(thread.totalTokens).toBeGreaterThan(0);
    await api().patch(`/api/threads/${threadId}`).set('Cookie', user.cookie).send({ title: 'Mistral the cat' }).expect(200);

    // Soft delete (seed 004's default), the trash, restore.
    await api().delete(`/api/threads/${threadId}?soft=true`).set('Cookie', user.cookie).expect(200);
    expect((await api().get('/api/threads').set('Cookie', user.cookie).expect(200)).body).toEqual([]);
    await api().get(`/api/threads/${threadId}`).set('Cookie', user.cookie).expect(404);
    const trashed = await api().get('/api/threads?trashed=true').set('Cookie', user.cookie).expect(200);
    expect(trashed.body.map((item: any) => [item.id, item.title, item.deletedAt !== null])).toEqual([[threadId, 'Mistral the cat', true]]);
    await api().post(`/api/threads/${threadId}/restore`).set('Cookie', user.cookie).expect(200);
    const restored = await api().get(`/api/threads/${threadId}`).set('Cookie', user.cookie).expect(200);
    expect(restored.body).toMatchObject({ id: threadId, messageCount: 24, deletedAt: null });
    expect((await api().get('/api/threads?trashed=true').set('Cookie', user.cookie).expect(200)).body).toEqual([]);

    // Usage: every call made with the user's key, by purpose, the title and summary rows included.
    const usage = await eventually(async () => {
      const response = await api().get('/api/usage').set('Cookie', user.cookie).expect(200);
      return response.body.byPurpose.summary.calls >= 1 ? response.body : undefined;
    });
    expect(usage.byPurpose.reply.calls).toBe(12);
    expect(usage.byPurpose.title).toMatchObject({ calls: 1, inputTokens: 30, outputTokens: 5 });
    expect(usage.byPurpose.summary).toMatchObject({ inputTokens: 300 * usage.byPurpose.summary.calls, outputTokens: 20 * usage.byPurpose.summary.calls });
    // (The made-up title and summary models have no price, so their cost is 0; tokens and calls are counted.)
    expect(usage.totals.calls).toBe(12 + 1 + usage.byPurpose.summary.calls);
    const byThread = await api().get('/api/usage?groupBy=thread').set('Cookie', user.cookie).expect(200);
    expect(byThread.body.groups).toEqual([expect.objectContaining({ calls: usage.totals.calls, turns: 12 })]);

    // Deleting for good, when asked.
    await api().delete(`/api/threads/${threadId}?soft=false`).set('Cookie', user.cookie).expect(200);
    expect((await api().get('/api/threads?trashed=true').set('Cookie', user.cookie).expect(200)).body).toEqual([]);
    await api().post(`/api/threads/${threadId}/restore`).set('Cookie', user.cookie).expect(404);
  });
});
