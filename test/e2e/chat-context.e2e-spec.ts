import request from 'supertest';
import { chatJson, chatUser, type ChatUser, responseRequests, threadOf } from '../support/chat-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A thread of the given messages, user and assistant in turn, added without turns (so no summary is written). */
async function threadWith(app: TestApp, user: ChatUser, contents: string[]): Promise<string> {
  const thread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
  for (const [index, content] of contents.entries()) {
    await request(app.baseUrl)
      .post(`/api/threads/${thread.body.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: index % 2 === 0 ? 'user' : 'assistant', content })
      .expect(201);
  }
  return thread.body.id;
}

/** The text of every item of a request's input, in order. */
const inputTexts = (body: any): string[] =>
  body.input.map((item: any) => (typeof item.content === 'string' ? item.content : item.content.map((part: any) => part.text ?? '').join('\n')));

describe('the context of a turn in summary_window mode', () => {
  it('sends every message of a 23-message thread with the default settings: none falls out of the window before a summary covers it', async () => {
    const app = await startTestApp({ fake: true });
    try {
      const user = await chatUser(app);
      const contents = ['My locker code is 4817 and my cat is called Mistral.', ...Array.from({ length: 21 }, (_, index) => `message ${index + 1}`)];
      const threadId = await threadWith(app, user, contents);
      await chatJson(app, user.cookie, { threadId, message: 'What is my locker code?' }).expect(200);

      const turn = responseRequests(app).at(-1);
      const texts = inputTexts(turn);
      expect(texts).toHaveLength(23);
      expect(texts[0]).toContain('4817');
      expect(texts.at(-1)).toBe('What is my locker code?');
      expect((await threadOf(app, user.cookie, threadId)).summary).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('writes the summary before the turn when the token budget cannot hold every message it does not cover, and sends it with the rest', async () => {
    const app = await startTestApp({ fake: true, env: { CONTEXT_TOKEN_BUDGET: '3000', SUMMARY_MODEL: 'summary-model' } });
    try {
      const user = await chatUser(app);
      app.fake.setResponder((body) => (body.model === 'summary-model' ? { text: 'SUMMARY: the locker code is 4817.' } : undefined));
      // Eleven messages of about 500 tokens each: about five fit the budget.
      const contents = Array.from({ length: 11 }, (_, index) => `${index === 0 ? 'My locker code is 4817. ' : `message ${index} `}`.padEnd(2_000, '.'));
      const threadId = await threadWith(app, user, contents);
      await chatJson(app, user.cookie, { threadId, message: 'What is my locker code?' }).expect(200);

      const [summaryCall, ...others] = responseRequests(app);
      expect(summaryCall.model).toBe('summary-model');
      expect(JSON.stringify(summaryCall.input)).toContain('My locker code is 4817');
      const turn = others.find((body) => body.model !== 'summary-model');
      const texts = inputTexts(turn);
      expect(turn.input[0]).toMatchObject({ role: 'developer', content: expect.stringContaining('SUMMARY: the locker code is 4817.') });
      expect(texts.at(-1)).toBe('What is my locker code?');
      // Every message left out of the turn is one the summary covers: the summary ends right before the first one sent.
      const firstSent = contents.findIndex((content) => content === texts[1]);
      expect(firstSent).toBeGreaterThan(0);
      expect(JSON.stringify(summaryCall.input)).toContain(`message ${firstSent - 1} `);
      expect(JSON.stringify(summaryCall.input)).not.toContain(`message ${firstSent} `);
      expect((await threadOf(app, user.cookie, threadId)).summary).toBe('SUMMARY: the locker code is 4817.');
    } finally {
      await app.close();
    }
  });
});
