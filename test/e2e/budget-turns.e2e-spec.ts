import request from 'supertest';
import { periodAt } from '../../src/budgets/budget-period.js';
import { budgetOf, conversationRows, reservationsOf, setBudgetPolicy, setUserBudget, spendAt } from '../support/budget-helpers.js';
import { chatJson, chatUser, responseRequests } from '../support/chat-helpers.js';
import { createAssistant } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { postSse } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ADMIN_EMAIL = 'budget-admin@example.org';
const SHARED_KEY = 'sk-test-shared-budget-key-0123456789';
/** What the fake reports for every reply, and what a turn holds at its start: five turns fill a budget of 750. */
const USAGE = { input_tokens: 100, output_tokens: 50 };
const PER_TURN = 150;

describe('turns under budgets', () => {
  let app: TestApp;
  let adminCookie: string;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: { ADMIN_EMAILS: ADMIN_EMAIL, OPENAI_API_KEY: SHARED_KEY, BUDGET_RESERVE_TOKENS: String(PER_TURN) } });
    adminCookie = (await registerUser(app.baseUrl, { email: ADMIN_EMAIL })).cookie;
  });

  beforeEach(() => {
    app.fake.setDefaultResponse({ text: 'Fine.', usage: USAGE });
  });

  afterAll(async () => {
    await app?.close();
  });

  const newThread = async (cookie: string, assistantId: string) =>
    (await request(app.baseUrl).post('/api/thread/new').set('Cookie', cookie).send({ title: 'Budgeted', assistantId }).expect(201)).body.id as string;

  it('lets at most the turns the budget covers start when twenty are sent at once; the others are 402 budget_exceeded', async () => {
    const user = await chatUser(app);
    await setUserBudget(app, adminCookie, user.userId, { tokens: 5 * PER_TURN, usd: null }).expect(200);
    const threads = await Promise.all(Array.from({ length: 20 }, () => newThread(user.cookie, user.assistant.id)));
    const before = await conversationRows(app, user.userId);

    const answers = await Promise.all(threads.map((threadId) => chatJson(app, user.cookie, { threadId, message: 'Go' })));
    const started = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 402);
    expect(started).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const answer of refused) {
      expect(answer.body).toEqual({
        code: 'budget_exceeded',
        error: expect.any(String),
        limit: { unit: 'tokens', value: 750 },
        resetsAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    }
    // Only the five that started stored their question and reply.
    expect(await conversationRows(app, user.userId)).toEqual({ threads: 20, messages: before.messages + 10, runs: before.runs + 5 });
    expect(await reservationsOf(app, user.userId)).toEqual([]);
    expect(await budgetOf(app, user.cookie)).toMatchObject({ paidBy: 'own', tokens: { limit: 750, used: 750, remaining: 0 }, warning: true });
  });

  it('refuses a turn past the budget on every way a turn starts, before anything is stored or asked of OpenAI', async () => {
    const user = await chatUser(app);
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hello' }).expect(200);
    await setUserBudget(app, adminCookie, user.userId, { tokens: PER_TURN, usd: null }).expect(200);
    const before = await conversationRows(app, user.userId);
    const asked = responseRequests(app).length;
    const messages = (await request(app.baseUrl).get(`/api/threads/${first.body.threadId}/messages`).set('Cookie', user.cookie).expect(200)).body;
    const question = messages.find((message: any) => message.role === 'user');

    const thread = `/api/threads/${first.body.threadId}`;
    const attempts = [
      chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'A new thread' }),
      chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'In the thread' }),
      postSse(`${app.baseUrl}/api/chat`, { cookie: user.cookie, body: { assistantId: user.assistant.id, message: 'Streamed' } }),
      request(app.baseUrl).post(`${thread}/run`).set('Cookie', user.cookie).send({ stream: false }),
      request(app.baseUrl).post(`${thread}/regenerate`).set('Cookie', user.cookie).send({ stream: false }),
      request(app.baseUrl).post(`${thread}/messages/${question.id}/edit`).set('Cookie', user.cookie).send({ content: 'Edited', stream: false }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(402);
      expect(answer.body).toMatchObject({ code: 'budget_exceeded', limit: { unit: 'tokens', value: PER_TURN } });
    }
    expect(await conversationRows(app, user.userId)).toEqual(before);
    expect(responseRequests(app)).toHaveLength(asked);
    expect(await reservationsOf(app, user.userId)).toEqual([]);
  });

  it('holds an estimate while the reply runs and settles to the tokens the provider reported', async () => {
    const user = await chatUser(app);
    await setUserBudget(app, adminCookie, user.userId, { tokens: 100_000, usd: null }).expect(200);
    app.fake.setDefaultResponse({ text: 'Counted.', usage: { input_tokens: 321, output_tokens: 45 } });
    const hold = app.fake.holdNext('responses');
    // Sent now (a supertest request goes out once it is awaited).
    const turn = chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Count me' }).then((answer) => answer);
    await hold.arrived;
    expect(await reservationsOf(app, user.userId)).toEqual([{ tokens: PER_TURN, live: true }]);
    hold.release();
    expect((await turn).status).toBe(200);
    expect(await reservationsOf(app, user.userId)).toEqual([]);
    expect((await budgetOf(app, user.cookie)).tokens).toEqual({ limit: 100_000, used: 366, remaining: 100_000 - 366 });
  });

  it('no longer counts a reservation past its time (a turn whose process ended), and counts one that is current', async () => {
    const user = await chatUser(app);
    await setUserBudget(app, adminCookie, user.userId, { tokens: 10_000, usd: null }).expect(200);
    await app.dataSource.query(`INSERT INTO budget_reservations (user_id, tokens, usd, reserved_until) VALUES ($1, 9999, 0, now() - interval '1 minute')`, [user.userId]);
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Past a crash' }).expect(200);
    await app.dataSource.query(`INSERT INTO budget_reservations (user_id, tokens, usd, reserved_until) VALUES ($1, 9900, 0, now() + interval '10 minutes')`, [user.userId]);
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Behind a running turn' }).expect(402);
  });

  it('sends budget_warning on the stream once the soft limit is reached, and not below it', async () => {
    const user = await chatUser(app);
    await setUserBudget(app, adminCookie, user.userId, { tokens: 10_000, usd: null }).expect(200);
    const quiet = await postSse(`${app.baseUrl}/api/chat`, { cookie: user.cookie, body: { assistantId: user.assistant.id, message: 'Below' } });
    expect(quiet.events.map((event) => event.event)).not.toContain('budget_warning');

    await spendAt(app, user.userId, new Date(), 8_500 - PER_TURN);
    const warned = await postSse(`${app.baseUrl}/api/chat`, { cookie: user.cookie, body: { assistantId: user.assistant.id, message: 'Above' } });
    const warning = warned.events.find((event) => event.event === 'budget_warning');
    const { resetsAt } = await budgetOf(app, user.cookie);
    expect(warning?.data).toEqual({ usedPercent: 85, resetsAt });
    expect(warned.events.map((event) => event.event)).toEqual(expect.arrayContaining(['message_created', 'budget_warning', 'message_completed', 'done']));
    expect((await budgetOf(app, user.cookie)).warning).toBe(true);
  });

  it("counts only the period's spending, its day beginning at midnight in the configured time zone", async () => {
    await setBudgetPolicy(app, adminCookie, { period: 'day', timeZone: 'Pacific/Auckland' });
    try {
      const user = await chatUser(app);
      await setUserBudget(app, adminCookie, user.userId, { tokens: 1_000, usd: null }).expect(200);
      const { start, end } = periodAt(new Date(), 'day', 'Pacific/Auckland');
      // Before the day began in Auckland (the same UTC day, often): not counted, however much.
      await spendAt(app, user.userId, new Date(start.getTime() - 1), 1_000_000);
      await spendAt(app, user.userId, start, 400);
      const budget = await budgetOf(app, user.cookie);
      expect(budget).toMatchObject({ period: 'day', resetsAt: end.toISOString(), tokens: { limit: 1_000, used: 400, remaining: 600 } });
      await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Today' }).expect(200);
      expect((await budgetOf(app, user.cookie)).tokens.used).toBe(400 + PER_TURN);
    } finally {
      await setBudgetPolicy(app, adminCookie, { period: 'month', timeZone: 'UTC' });
    }
  });

  describe('the shared key', () => {
    afterEach(async () => {
      await setBudgetPolicy(app, adminCookie, { sharedKey: { tokens: null, usd: null, models: [], tools: [], maxOutputTokens: null } });
    });

    it('answers only with the allowed models and tools (403 shared_key_policy, nothing stored) and lowers the output cap', async () => {
      await setBudgetPolicy(app, adminCookie, { sharedKey: { models: ['gpt-4o-mini'], tools: ['web_search'], maxOutputTokens: 64 } });
      const user = await registerUser(app.baseUrl);
      const assistant = await createAssistant(app.baseUrl, user.cookie, { name: 'Shared', model: 'gpt-4o' });
      const searching = await createAssistant(app.baseUrl, user.cookie, { name: 'Searching', model: 'gpt-4o-mini', tools: [{ type: 'file_search' }] });
      const before = await conversationRows(app, user.userId);
      const asked = responseRequests(app).length;

      const refusals = await Promise.all([
        chatJson(app, user.cookie, { assistantId: assistant.id, message: 'Model not allowed' }),
        chatJson(app, user.cookie, { assistantId: searching.id, message: 'Tool not allowed' }),
        chatJson(app, user.cookie, { assistantId: searching.id, model: 'gpt-4o-mini', message: 'Still the tool' }),
      ]);
      for (const answer of refusals) {
        expect(answer.status).toBe(403);
        expect(answer.body.code).toBe('shared_key_policy');
        expect(JSON.stringify(answer.body)).not.toContain(SHARED_KEY);
      }
      expect(await conversationRows(app, user.userId)).toEqual(before);
      expect(responseRequests(app)).toHaveLength(asked);

      await chatJson(app, user.cookie, { assistantId: assistant.id, model: 'gpt-4o-mini', maxOutputTokens: 4_000, message: 'Allowed' }).expect(200);
      const sent = responseRequests(app).at(-1);
      expect(sent).toMatchObject({ model: 'gpt-4o-mini', max_output_tokens: 64 });
      expect((await budgetOf(app, user.cookie)).paidBy).toBe('shared');
    });

    it("limits shared-key users by its budget, while a user with a key of their own has only the installation's", async () => {
      await setBudgetPolicy(app, adminCookie, { sharedKey: { tokens: PER_TURN, models: ['gpt-4o-mini'], tools: ['web_search'], maxOutputTokens: 64 } });
      const sharedUser = await registerUser(app.baseUrl);
      const shared = await createAssistant(app.baseUrl, sharedUser.cookie, { name: 'Shared', model: 'gpt-4o-mini' });
      await chatJson(app, sharedUser.cookie, { assistantId: shared.id, message: 'First' }).expect(200);
      const second = await chatJson(app, sharedUser.cookie, { assistantId: shared.id, message: 'Second' });
      expect(second.status).toBe(402);
      expect(second.body.limit).toEqual({ unit: 'tokens', value: PER_TURN });

      // Own key: another model, a tool and a large output cap, several turns.
      const own = await chatUser(app, { model: 'gpt-4o', tools: [{ type: 'file_search' }] });
      for (const message of ['One', 'Two']) {
        await chatJson(app, own.cookie, { assistantId: own.assistant.id, maxOutputTokens: 4_000, message }).expect(200);
      }
      expect(responseRequests(app).at(-1)).toMatchObject({ model: 'gpt-4o', max_output_tokens: 4_000 });
      expect(await budgetOf(app, own.cookie)).toMatchObject({ paidBy: 'own', tokens: { limit: null, remaining: null } });
    });
  });
});
