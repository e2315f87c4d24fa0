import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
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
    expect(byDay.body.totals).toMatchObject({ inputTokens: 3400, outputTokens: 340, totalTokens: 3740, turns: 3 });
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
