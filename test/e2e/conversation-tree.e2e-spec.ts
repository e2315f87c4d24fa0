import request from 'supertest';
import {
  chatJson,
  chatUser,
  holdResponseFor,
  messagesOf,
  responseRequests,
  threadOf,
  threeTurns,
  versionsShown as shown,
  waitForRunningRun,
  type ChatUser,
} from '../support/chat-helpers.js';
import { postSse, tokensOf as streamedText } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The texts of the input the fake provider got last. */
function lastInput(app: TestApp): string[] {
  return responseRequests(app)
    .at(-1)
    .input.map((item: any) => item.content);
}

/** The tokens of the messages listed: what the thread's counters sum when they follow the active branch. */
function tokensOf(messages: any[]): number {
  return messages.reduce((sum, message) => sum + (message.usage?.totalTokens ?? 0), 0);
}

describe('a conversation is a tree', () => {
  let app: TestApp;
  const api = () => request(app.baseUrl);
  const edit = (user: ChatUser, threadId: string, messageId: string, body: Record<string, unknown>) =>
    api().post(`/api/threads/${threadId}/messages/${messageId}/edit`).set('Cookie', user.cookie).send({ stream: false, ...body });
  const regenerate = (user: ChatUser, threadId: string) => api().post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false });
  const activate = (user: ChatUser, threadId: string, messageId: string) =>
    api().post(`/api/threads/${threadId}/messages/${messageId}/activate`).set('Cookie', user.cookie).send({});

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('edits a user message: the new version is a sibling, its reply streams, and the provider gets the edited branch only', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'Paris.' }, { text: 'About 2.1 million.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Capital of France?' }).expect(200);
    const threadId = first.body.threadId;
    await chatJson(app, user.cookie, { threadId, message: 'Population?' }).expect(200);

    app.fake.enqueueResponse({ deltas: ['Ro', 'me.'] });
    const edited = await edit(user, threadId, first.body.userMessageId, { content: 'Capital of Italy?' }).expect(200);
    expect(edited.body).toMatchObject({ threadId, content: [{ type: 'text', text: 'Rome.' }], status: 'completed' });
    expect(edited.body.userMessageId).not.toBe(first.body.userMessageId);
    expect(lastInput(app)).toEqual(['Capital of Italy?']);

    const messages = await messagesOf(app, user.cookie, threadId);
    expect(shown(messages)).toEqual([
      ['Capital of Italy?', 2, 2],
      ['Rome.', 1, 1],
    ]);
    expect(messages[0]).toMatchObject({ id: edited.body.userMessageId, parentId: null, role: 'user' });
    expect(messages[0].siblingIds).toEqual([first.body.userMessageId, edited.body.userMessageId]);
    expect(messages[1].siblingIds).toEqual([edited.body.messageId]);
    expect(messages[1]).toMatchObject({ id: edited.body.messageId, parentId: messages[0].id, replyToId: messages[0].id });
    const thread = await threadOf(app, user.cookie, threadId);
    expect(thread).toMatchObject({ messageCount: 2, totalTokens: tokensOf(messages) });
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM messages WHERE thread_id = $1', [threadId]);
    expect(count).toBe(6);

    // Switching back to the original question shows its whole branch again, and the next turn answers that branch.
    const switched = await activate(user, threadId, first.body.userMessageId).expect(200);
    expect(switched.body).toMatchObject({ id: threadId, messageCount: 4 });
    const original = await messagesOf(app, user.cookie, threadId);
    expect(shown(original)).toEqual([
      ['Capital of France?', 2, 1],
      ['Paris.', 1, 1],
      ['Population?', 1, 1],
      ['About 2.1 million.', 1, 1],
    ]);
    expect(switched.body.totalTokens).toBe(tokensOf(original));
    app.fake.enqueueResponse({ text: 'Yes, the Seine.' });
    await chatJson(app, user.cookie, { threadId, message: 'A river?' }).expect(200);
    expect(lastInput(app)).toEqual(['Capital of France?', 'Paris.', 'Population?', 'About 2.1 million.', 'A river?']);
    expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 6 });

    // A message off the active branch can be edited too: its branch becomes the active one.
    app.fake.enqueueResponse({ text: 'Rome is the capital.' });
    await edit(user, threadId, edited.body.userMessageId, { content: 'Capital of Italy, please?' }).expect(200);
    expect(lastInput(app)).toEqual(['Capital of Italy, please?']);
    expect(shown(await messagesOf(app, user.cookie, threadId))).toEqual([
      ['Capital of Italy, please?', 3, 3],
      ['Rome is the capital.', 1, 1],
    ]);
  });

  it('streams an edit as a turn: the new version is created first, then the reply arrives token by token', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'Blue.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Sky colour?' }).expect(200);
    const threadId = first.body.threadId;
    app.fake.enqueueResponse({ deltas: ['Red ', 'at ', 'dusk.'] });
    const streamed = await postSse(`${app.baseUrl}/api/threads/${threadId}/messages/${first.body.userMessageId}/edit`, {
      cookie: user.cookie,
      body: { content: 'Sky colour at dusk?', stream: true },
    });
    const names = streamed.events.map((event) => event.event);
    expect(names[0]).toBe('message_created');
    expect(names.slice(-2)).toEqual(['message_completed', 'done']);
    expect(streamed.events[0].data.message).toMatchObject({ role: 'user', content: 'Sky colour at dusk?', parentId: null, threadId });
    expect(streamedText(streamed.events)).toBe('Red at dusk.');
    expect(lastInput(app)).toEqual(['Sky colour at dusk?']);
    const messages = await messagesOf(app, user.cookie, threadId);
    expect(shown(messages)).toEqual([
      ['Sky colour at dusk?', 2, 2],
      ['Red at dusk.', 1, 1],
    ]);
  });

  it('regenerates twice: three versions kept, counted and numbered; switching picks the one the branch, counters, export and next turn follow', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'Version one.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Tell a joke' }).expect(200);
    const threadId = first.body.threadId;
    app.fake.enqueueResponse({ text: 'Version two, a longer one.' });
    await regenerate(user, threadId).expect(200);
    expect(lastInput(app)).toEqual(['Tell a joke']);
    app.fake.enqueueResponse({ text: 'Version three, the longest of them all.' });
    await regenerate(user, threadId).expect(200);
    expect(lastInput(app)).toEqual(['Tell a joke']);

    const latest = await messagesOf(app, user.cookie, threadId);
    expect(shown(latest)).toEqual([
      ['Tell a joke', 1, 1],
      ['Version three, the longest of them all.', 3, 3],
    ]);
    expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 2, totalTokens: tokensOf(latest) });
    const versions = await app.dataSource.query(
      `SELECT content, status, parent_id FROM messages WHERE thread_id = $1 AND role = 'assistant' ORDER BY seq`,
      [threadId],
    );
    expect(versions).toEqual(
      ['Version one.', 'Version two, a longer one.', 'Version three, the longest of them all.'].map((content) => ({ content, status: 'completed', parent_id: first.body.userMessageId })),
    );

    const switched = await activate(user, threadId, first.body.messageId).expect(200);
    const chosen = await messagesOf(app, user.cookie, threadId);
    expect(shown(chosen)).toEqual([
      ['Tell a joke', 1, 1],
      ['Version one.', 3, 1],
    ]);
    expect(switched.body).toMatchObject({ messageCount: 2, totalTokens: tokensOf(chosen) });
    expect(tokensOf(chosen)).not.toBe(tokensOf(latest));
    const exported = await api().get(`/api/threads/${threadId}/export?format=json`).set('Cookie', user.cookie).expect(200);
    expect(JSON.parse(exported.text).messages.map((message: any) => message.content)).toEqual(['Tell a joke', 'Version one.']);

    app.fake.enqueueResponse({ text: 'Ha.' });
    await chatJson(app, user.cookie, { threadId, message: 'Another' }).expect(200);
    expect(lastInput(app)).toEqual(['Tell a joke', 'Version one.', 'Another']);
    const after = await messagesOf(app, user.cookie, threadId);
    expect(after[2]).toMatchObject({ content: 'Another', parentId: first.body.messageId });
    expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 4, totalTokens: tokensOf(after) });

    // Choosing the question goes down to its newest reply, and from there to that reply's newest leaf.
    await activate(user, threadId, first.body.userMessageId).expect(200);
    expect(shown(await messagesOf(app, user.cookie, threadId))).toEqual([
      ['Tell a joke', 1, 1],
      ['Version three, the longest of them all.', 3, 3],
    ]);
  });

  it('forks a thread from a message: a new thread with copies of the path up to it, the source untouched', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'A1.' }, { text: 'A2.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Q1' }).expect(200);
    const threadId = first.body.threadId;
    await chatJson(app, user.cookie, { threadId, message: 'Q2' }).expect(200);
    const source = await threadOf(app, user.cookie, threadId);

    const fork = await api().post(`/api/threads/${threadId}/fork`).set('Cookie', user.cookie).send({ messageId: first.body.messageId }).expect(201);
    expect(fork.body).toMatchObject({ title: source.title, assistantId: user.assistant.id, messageCount: 2, totalTokens: 0 });
    expect(fork.body.id).not.toBe(threadId);
    const copies = await messagesOf(app, user.cookie, fork.body.id);
    expect(copies.map((message: any) => [message.role, message.content, message.threadId])).toEqual([
      ['user', 'Q1', fork.body.id],
      ['assistant', 'A1.', fork.body.id],
    ]);
    expect(copies.map((message: any) => message.id)).not.toContain(first.body.messageId);
    // Links follow the copies; the spend stays counted once, on the originals.
    expect(copies[1]).toMatchObject({ parentId: copies[0].id, replyToId: copies[0].id, usage: null, cost: null });
    expect(await messagesOf(app, user.cookie, threadId)).toHaveLength(4);
    expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 4, totalTokens: source.totalTokens });

    app.fake.enqueueResponse({ text: 'A3.' });
    await chatJson(app, user.cookie, { threadId: fork.body.id, message: 'Q3' }).expect(200);
    expect(lastInput(app)).toEqual(['Q1', 'A1.', 'Q3']);

    // A message of another thread, or none at all: 404; a malformed id: 400.
    const elsewhere = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Elsewhere' }).expect(200);
    const foreign = await api().post(`/api/threads/${threadId}/fork`).set('Cookie', user.cookie).send({ messageId: elsewhere.body.messageId });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    await api().post(`/api/threads/${threadId}/fork`).set('Cookie', user.cookie).send({ messageId: 'nope' }).expect(400);
    const threads = await api().get('/api/threads').set('Cookie', user.cookie).expect(200);
    expect(threads.body).toHaveLength(3);
  });

  it('pages through the active branch with before and after, each message with its versions', async () => {
    const user = await chatUser(app);
    const [first, second, third] = await threeTurns(app, user);
    const threadId = first.threadId;
    app.fake.enqueueResponse({ text: 'A2b' });
    await edit(user, threadId, second.userMessageId, { content: 'Q2b' }).expect(200);

    const contents = async (query: string) => (await messagesOf(app, user.cookie, threadId, query)).map((message: any) => message.content);
    expect(await contents('')).toEqual(['Q1', 'A1', 'Q2b', 'A2b']);
    const newest = await messagesOf(app, user.cookie, threadId, '?limit=2');
    expect(shown(newest)).toEqual([
      ['Q2b', 2, 2],
      ['A2b', 1, 1],
    ]);
    expect(await contents(`?limit=2&before=${newest[0].id}`)).toEqual(['Q1', 'A1']);
    expect(await contents(`?limit=2&after=${first.userMessageId}`)).toEqual(['A1', 'Q2b']);
    expect(await contents(`?limit=5&after=${first.messageId}`)).toEqual(['Q2b', 'A2b']);
    // Off the active branch: before reads the path that leads to the message; after has nothing to read on.
    expect(await contents(`?limit=2&before=${third.messageId}`)).toEqual(['A2', 'Q3']);
    expect(await contents(`?after=${third.messageId}`)).toEqual([]);
  });

  it('refuses to edit what is not a user message of the thread, and to switch branches while a reply is being written', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'Answer.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Question' }).expect(200);
    const threadId = first.body.threadId;
    const other = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Other thread' }).expect(200);
    const before = responseRequests(app).length;

    const reply = await edit(user, threadId, first.body.messageId, { content: 'Changed' });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'bad_request', details: [{ field: 'messageId' }] });
    expect((await edit(user, threadId, other.body.userMessageId, { content: 'Changed' })).status).toBe(404);
    expect((await edit(user, threadId, first.body.userMessageId, { content: '' })).status).toBe(400);
    expect((await edit(user, threadId, first.body.userMessageId, { content: 'x', fileIds: 'nope' })).status).toBe(400);
    expect((await edit(user, threadId, first.body.userMessageId, {})).status).toBe(400);
    expect((await activate(user, threadId, other.body.messageId)).status).toBe(404);
    expect((await api().post(`/api/threads/${threadId}/messages/not-an-id/activate`).set('Cookie', user.cookie)).status).toBe(404);
    expect(responseRequests(app).length).toBe(before);
    expect(await messagesOf(app, user.cookie, threadId)).toHaveLength(2);

    const held = holdResponseFor(app, user.assistant.model, 2);
    const running = chatJson(app, user.cookie, { threadId, message: 'Slow one' }).then((response) => response);
    await held.arrived;
    await waitForRunningRun(app, threadId);
    const busy = await activate(user, threadId, first.body.messageId);
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('run_in_progress');
    expect((await edit(user, threadId, first.body.userMessageId, { content: 'Meanwhile' })).status).toBe(409);
    held.release();
    expect((await running).status).toBe(200);
  });
});

describe('a conversation tree within its bounds', () => {
  let app: TestApp;
  const api = () => request(app.baseUrl);

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: { CHAT_MAX_MESSAGE_VERSIONS: '2', CHAT_MAX_THREAD_MESSAGES: '6', CHAT_MAX_INPUT_CHARS: '50' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a version past CHAT_MAX_MESSAGE_VERSIONS and a message past CHAT_MAX_THREAD_MESSAGES, storing and sending nothing', async () => {
    const config = await api().get('/config').expect(200);
    expect(config.body.limits).toMatchObject({ messageVersions: 2, threadMessages: 6 });
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'A' }, { text: 'A again' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Q' }).expect(200);
    const threadId = first.body.threadId;
    await api().post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
    const rows = async () => (await app.dataSource.query('SELECT count(*)::int AS count FROM messages WHERE thread_id = $1', [threadId]))[0].count;
    const sent = responseRequests(app).length;

    const third = await api().post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false });
    expect(third.status).toBe(422);
    expect(third.body).toMatchObject({ code: 'too_many_versions', details: [{ limit: 2 }] });
    const tooLong = await api()
      .post(`/api/threads/${threadId}/messages/${first.body.userMessageId}/edit`)
      .set('Cookie', user.cookie)
      .send({ stream: false, content: 'x'.repeat(51) });
    expect(tooLong.body.code).toBe('input_too_long');

    app.fake.enqueueResponse({ text: 'B' });
    const editUrl = `/api/threads/${threadId}/messages/${first.body.userMessageId}/edit`;
    await api().post(editUrl).set('Cookie', user.cookie).send({ stream: false, content: 'Q, again' }).expect(200);
    const secondEdit = await api().post(editUrl).set('Cookie', user.cookie).send({ stream: false, content: 'Q, a third time' });
    expect(secondEdit.status).toBe(422);
    expect(secondEdit.body.code).toBe('too_many_versions');
    expect(await rows()).toBe(5);
    expect(responseRequests(app).length).toBe(sent + 1);

    // Five messages on all branches: a question and its reply would make seven.
    const chat = await chatJson(app, user.cookie, { threadId, message: 'More' });
    expect(chat.status).toBe(422);
    expect(chat.body).toMatchObject({ code: 'thread_too_large', details: [{ limit: 6 }] });
    await api().post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'Sixth' }).expect(201);
    for (const path of ['run', 'regenerate']) {
      const refused = await api().post(`/api/threads/${threadId}/${path}`).set('Cookie', user.cookie).send({ stream: false });
      expect({ path, status: refused.status, code: refused.body.code }).toEqual({ path, status: 422, code: 'thread_too_large' });
    }
    const added = await api().post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'Seventh' });
    expect(added.status).toBe(422);
    expect(await rows()).toBe(6);
    expect(responseRequests(app).length).toBe(sent + 1);

    // A fork starts a thread of its own, with room again.
    const fork = await api().post(`/api/threads/${threadId}/fork`).set('Cookie', user.cookie).send({ messageId: first.body.userMessageId }).expect(201);
    app.fake.enqueueResponse({ text: 'Room again.' });
    await chatJson(app, user.cookie, { threadId: fork.body.id, message: 'Go on' }).expect(200);
  });
});
