import request from 'supertest';
import { chatJson, chatUser, messagesOf, responseRequests } from '../support/chat-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The last user item of the newest request to /v1/responses, as text. */
function lastUserText(app: TestApp): string {
  const item = responseRequests(app).at(-1).input.at(-1);
  expect(item.role).toBe('user');
  return typeof item.content === 'string' ? item.content : item.content[0].text;
}

describe('replies to an earlier message', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('quotes the start of the message replied to before the user text the model sees, and stores the text as written', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'The Alfa Pendular leaves Lisbon Oriente at 9:00.' }, { text: 'You are welcome.' }, { text: 'About three hours.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Which train goes to Porto?' }).expect(200);
    const { threadId } = first.body;
    await chatJson(app, user.cookie, { threadId, message: 'Thanks!' }).expect(200);

    await chatJson(app, user.cookie, { threadId, message: 'How long does that one take?', replyToId: first.body.messageId }).expect(200);
    expect(lastUserText(app)).toBe('(Replying to your earlier message: "The Alfa Pendular leaves Lisbon Oriente at 9:00.")\n\nHow long does that one take?');
    // Only the input carries the quote; the stored message and the earlier ones are as they were.
    const stored = await messagesOf(app, user.cookie, threadId);
    expect(stored.at(-2)).toMatchObject({ role: 'user', content: 'How long does that one take?', replyToId: first.body.messageId });
    const input = responseRequests(app).at(-1).input;
    expect(input.filter((item: any) => String(item.content).includes('Replying to'))).toHaveLength(1);
  });

  it("bounds the quote of a long message, folds its whitespace, and quotes the user's own message as theirs", async () => {
    const user = await chatUser(app);
    const long = `Plan:\n\n  ${'step '.repeat(2_000)}`;
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: long }).expect(200);
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'Shorter, please.', replyToId: first.body.userMessageId }).expect(200);

    const text = lastUserText(app);
    expect(text.startsWith('(Replying to my earlier message: "Plan: step step')).toBe(true);
    expect(text.endsWith('…")\n\nShorter, please.')).toBe(true);
    expect(text.length).toBeLessThan(400);
  });

  it('keeps the quote when the thread is run or its last reply regenerated (the history is read again then)', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'Train 123 leaves at noon.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'When does my train leave?' }).expect(200);
    const { threadId } = first.body;
    await chatJson(app, user.cookie, { threadId, message: 'From which platform?', replyToId: first.body.messageId }).expect(200);
    const quoted = '(Replying to your earlier message: "Train 123 leaves at noon.")\n\nFrom which platform?';
    expect(lastUserText(app)).toBe(quoted);

    await request(app.baseUrl).post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
    expect(lastUserText(app)).toBe(quoted);
    await request(app.baseUrl).post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'Thanks.' }).expect(201);
    await request(app.baseUrl).post(`/api/threads/${threadId}/run`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
    const input = responseRequests(app).at(-1).input;
    const replied = input.find((item: any) => item.role === 'user' && String(typeof item.content === 'string' ? item.content : item.content[0].text).includes('From which platform?'));
    expect(typeof replied.content === 'string' ? replied.content : replied.content[0].text).toBe(quoted);
  });
});
