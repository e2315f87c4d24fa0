import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { eventually } from '../support/platform-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('usage', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reports tokens and cost in total and by day, assistant, thread and model', async () => {
    const user = await chatUser(app, { name: 'Writer', model: 'gpt-4o' });
    const second = await request(app.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Coder', model: 'gpt-4o-mini' }).expect(201);
    app.fake.enqueueResponse(
      { text: 'a', usage: { input_tokens: 1000, output_tokens: 100 } },
      { text: 'b', usage: { input_tokens: 2000, output_tokens: 200 } },
      { text: 'c', usage: { input_tokens: 400, output_tokens: 40 } },
    );
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'one' }).expect(200);
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'two' }).expect(200);
    await chatJson(app, user.cookie, { assistantId: second.body.id, message: 'three' }).expect(200);
    const other = await chatUser(app);
    await chatJson(app, other.cookie, { assistantId: other.assistant.id, message: 'not mine' }).expect(200);

    const writerCost = (3000 * 2.5 + 300 * 10) / 1e6;
    const coderCost = (400 * 0.15 + 40 * 0.6) / 1e6;
    const byDay = await request(app.baseUrl).get('/api/usage').set('Cookie', user.cookie).expect(200);
    expect(byDay.body.totals).toMatchObject({ inputTokens: 3400, outputTokens: 340, totalTokens: 3740, turns: 3, calls: 3 });
    expect(byDay.body.byPurpose.reply).toMatchObject({ inputTokens: 3400, calls: 3 });
    expect(byDay.body.byPurpose.title.calls).toBe(0);
    expect(byDay.body.totals.cost).toBeCloseTo(writerCost + coderCost, 8);
    expect(byDay.body.groups).toEqual([expect.objectContaining({ key: new Date().toISOString().slice(0, 10), turns: 3 })]);

    const byAssistant = await request(app.baseUrl).get('/api/usage?groupBy=assistant').set('Cookie', user.cookie).expect(200);
    expect(byAssistant.body.groups.map((group: any) => [group.label, group.turns, group.inputTokens])).toEqual([
      ['Writer', 2, 3000],
      ['Coder', 1, 400],
    ]);
    const byModel = await request(app.baseUrl).get('/api/usage?groupBy=model').set('Cookie', user.cookie).expect(200);
    expect(byModel.body.groups.map((group: any) => group.key)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    const byThread = await request(app.baseUrl).get('/api/usage?groupBy=thread').set('Cookie', user.cookie).expect(200);
    expect(byThread.body.groups).toHaveLength(2);

    const past = await request(app.baseUrl).get('/api/usage?from=2020-01-01&to=2020-02-01').set('Cookie', user.cookie).expect(200);
    expect(past.body.totals).toMatchObject({ turns: 0, cost: 0 });
    const invalid = await request(app.baseUrl).get('/api/usage?groupBy=week&from=yesterday').set('Cookie', user.cookie);
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((detail: any) => detail.field).sort()).toEqual(['from', 'groupBy']);
  });
});

describe('usage of titles and summaries', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      fake: true,
      env: { AUTO_TITLES: 'true', CONTEXT_SUMMARIZE_AFTER: '4', CONTEXT_WINDOW_MESSAGES: '2', CONTEXT_SUMMARY_INTERVAL: '2' },
    });
    // Titles and summaries are told apart by their instructions; replies come from the queue.
    app.fake.setResponder((body) => {
      const instructions = String(body.instructions ?? '');
      if (instructions.startsWith('Write a short title')) return { text: 'Tides explained', usage: { input_tokens: 40, output_tokens: 10 } };
      if (instructions.includes('running summary')) return { text: 'The user asks about tides.', usage: { input_tokens: 400, output_tokens: 100 } };
      return undefined;
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('counts the title and summary calls made with the user’s key, by purpose and in every total', async () => {
    const user = await chatUser(app, { model: 'gpt-4o' });
    app.fake.enqueueResponse({ text: 'The moon.', usage: { input_tokens: 1000, output_tokens: 100 } }, { text: 'Twice a day.', usage: { input_tokens: 1000, output_tokens: 100 } });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'What makes the tides?' }).expect(200);
    expect(first.body.title).toBe('Tides explained');
    // The fourth message makes the thread long enough for a summary, written after the reply.
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'How often?' }).expect(200);
    const report = await eventually(async () => {
      const response = await request(app.baseUrl).get('/api/usage').set('Cookie', user.cookie).expect(200);
      return response.body.byPurpose.summary.calls === 1 ? response.body : undefined;
    });

    const [replyCost, titleCost, summaryCost] = [(2000 * 2.5 + 200 * 10) / 1e6, (40 * 0.15 + 10 * 0.6) / 1e6, (400 * 0.15 + 100 * 0.6) / 1e6];
    expect(report.byPurpose).toEqual({
      reply: { inputTokens: 2000, outputTokens: 200, totalTokens: 2200, cost: expect.closeTo(replyCost, 8), calls: 2 },
      title: { inputTokens: 40, outputTokens: 10, totalTokens: 50, cost: expect.closeTo(titleCost, 8), calls: 1 },
      summary: { inputTokens: 400, outputTokens: 100, totalTokens: 500, cost: expect.closeTo(summaryCost, 8), calls: 1 },
    });
    expect(report.totals).toEqual({ inputTokens: 2440, outputTokens: 310, totalTokens: 2750, cost: expect.closeTo(replyCost + titleCost + summaryCost, 8), turns: 2, calls: 4 });
    expect(report.groups).toEqual([expect.objectContaining({ inputTokens: 2440, turns: 2, calls: 4 })]);

    const byThread = await request(app.baseUrl).get('/api/usage?groupBy=thread').set('Cookie', user.cookie).expect(200);
    expect(byThread.body.groups.map((group: any) => [group.key, group.label, group.inputTokens, group.calls])).toEqual([
      [first.body.threadId, 'Tides explained', 2440, 4],
    ]);
    const byModel = await request(app.baseUrl).get('/api/usage?groupBy=model').set('Cookie', user.cookie).expect(200);
    expect(byModel.body.groups.map((group: any) => [group.key, group.inputTokens, group.turns, group.calls])).toEqual([
      ['gpt-4o', 2000, 2, 2],
      [expect.stringMatching(/^gpt-4o-mini/), 440, 0, 2],
    ]);
    const byAssistant = await request(app.baseUrl).get('/api/usage?groupBy=assistant').set('Cookie', user.cookie).expect(200);
    expect(byAssistant.body.groups.map((group: any) => [group.label, group.inputTokens])).toEqual([['Helper', 2440]]);

    // Another user sees none of it.
    const other = await chatUser(app);
    const theirs = await request(app.baseUrl).get('/api/usage').set('Cookie', other.cookie).expect(200);
    expect(theirs.body.totals).toMatchObject({ calls: 0, cost: 0 });
    expect(theirs.body.byPurpose.title).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0, calls: 0 });
  });
});
