import request from 'supertest';
import { chatJson, messagesOf, responseRequests, threadOf } from '../support/chat-helpers.js';
import { registerUserWithKey } from '../support/platform-api.js';
import { postSse, tokensOf } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** What a user has stored of conversations. */
async function conversationRows(app: TestApp, userId: string) {
  const [row] = await app.dataSource.query(
    `SELECT (SELECT count(*) FROM threads WHERE user_id = $1)::int AS threads, (SELECT count(*) FROM messages WHERE user_id = $1)::int AS messages`,
    [userId],
  );
  return row as { threads: number; messages: number };
}

const textOf = (item: any): string => (typeof item.content === 'string' ? item.content : item.content[0].text);

describe('chat without an assistant', () => {
  let app: TestApp;
  /** The same database and provider, with chats without an assistant switched off. */
  let strict: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
    strict = await startTestApp({ fake: app.fake, database: app.database, env: { CHAT_WITHOUT_ASSISTANT: 'false' } });
  });

  afterAll(async () => {
    await strict?.close();
    await app?.close();
  });

  it('answers a user with a key and no assistant on the default chat model, without instructions or tools, turn after turn', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    app.fake.enqueueResponse({ deltas: ['Hello ', 'there.'] }, { text: 'Still here.' }, { text: 'Again.' }, { text: 'Once more.' });

    const first = await postSse(`${app.baseUrl}/api/chat`, { cookie: user.cookie, body: { message: 'Hi, who are you?', stream: true } });
    const names = first.events.map((event) => event.event);
    expect(names[0]).toBe('message_created');
    expect(names.slice(-2)).toEqual(['message_completed', 'done']);
    expect(tokensOf(first.events)).toBe('Hello there.');
    const threadId = first.events[0].data.message.threadId;
    expect(first.events.at(-2)!.data.message).toMatchObject({ role: 'assistant', content: 'Hello there.', assistantId: null, model: 'gpt-4o-mini' });
    const [asked] = responseRequests(app).slice(-1);
    expect(asked.model).toBe('gpt-4o-mini');
    expect(asked.input.map(textOf)).toEqual(['Hi, who are you?']);
    expect(asked.instructions).toBeUndefined();
    expect(asked.tools).toBeUndefined();
    expect(asked.temperature).toBeUndefined();

    const thread = await threadOf(app, user.cookie, threadId);
    expect(thread).toMatchObject({ id: threadId, assistantId: null, messageCount: 2 });
    const listed = await request(app.baseUrl).get('/api/threads').set('Cookie', user.cookie).expect(200);
    expect(listed.body.map((item: any) => [item.id, item.assistantId])).toEqual([[threadId, null]]);

    // A follow-up in the same thread sees the conversation; the turn's own options apply.
    const second = await chatJson(app, user.cookie, { threadId, message: 'And now?', model: 'gpt-4.1-mini', temperature: 0.3 }).expect(200);
    expect(second.body).toMatchObject({ threadId, content: [{ type: 'text', text: 'Still here.' }], message: { assistantId: null, model: 'gpt-4.1-mini' } });
    const followUp = responseRequests(app).at(-1);
    expect(followUp).toMatchObject({ model: 'gpt-4.1-mini', temperature: 0.3 });
    expect(followUp.input.map(textOf)).toEqual(['Hi, who are you?', 'Hello there.', 'And now?']);

    // Regenerate and run work on such a thread too.
    await request(app.baseUrl).post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
    expect(responseRequests(app).at(-1).model).toBe('gpt-4o-mini');
    await request(app.baseUrl).post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'One more' }).expect(201);
    await request(app.baseUrl).post(`/api/threads/${threadId}/run`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
    const contents = (await messagesOf(app, user.cookie, threadId)).map((message: any) => message.content);
    expect(contents).toEqual(['Hi, who are you?', 'Hello there.', 'And now?', 'Again.', 'One more', 'Once more.']);
    expect((await threadOf(app, user.cookie, threadId)).assistantId).toBeNull();
  });

  it('starts an empty thread without an assistant, and chats in it', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const created = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ title: 'Notes' }).expect(201);
    expect(created.body).toMatchObject({ title: 'Notes', assistantId: null });
    const reply = await chatJson(app, user.cookie, { threadId: created.body.id, message: 'Note this' }).expect(200);
    expect(reply.body.threadId).toBe(created.body.id);
    expect(responseRequests(app).at(-1).model).toBe('gpt-4o-mini');
  });

  it('refuses with 400 no_assistant, storing nothing, when chats without an assistant are switched off', async () => {
    const user = await registerUserWithKey(strict.baseUrl);
    const chat = await chatJson(strict, user.cookie, { message: 'Anyone?' });
    expect(chat.status).toBe(400);
    expect(chat.body.code).toBe('no_assistant');
    const created = await request(strict.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({});
    expect(created.status).toBe(400);
    expect(created.body.code).toBe('no_assistant');
    expect(await conversationRows(strict, user.userId)).toEqual({ threads: 0, messages: 0 });
    expect((await request(strict.baseUrl).get('/config').expect(200)).body.chatModel).toBeNull();
    expect((await request(app.baseUrl).get('/config').expect(200)).body.chatModel).toBe('gpt-4o-mini');
  });
});
