// Pages of a thread's messages read the same whether the thread never
// branched (read as a range of its messages) or did (walked up its tree).
import request from 'supertest';
import { chatJson, chatUser, messagesOf, threeTurns, versionsShown as shown } from '../support/chat-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const contents = (page: Array<[string, number, number]>) => page.map(([content]) => content);

describe('pages of messages', () => {
  let app: TestApp;
  const api = () => request(app.baseUrl);

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reads the same pages from a conversation that never branched as after it branched and switched back', async () => {
    const user = await chatUser(app);
    const [first, second, third] = await threeTurns(app, user);
    const threadId = first.threadId;
    const queries = ['', '?limit=2', `?limit=3&before=${third.userMessageId}`, `?limit=2&after=${second.userMessageId}`, `?after=${first.messageId}`];
    const pages = async () => Promise.all(queries.map(async (query) => shown(await messagesOf(app, user.cookie, threadId, query))));

    const unbranched = await pages();
    expect(unbranched[0]).toEqual(['Q1', 'A1', 'Q2', 'A2', 'Q3', 'A3'].map((content) => [content, 1, 1]));
    expect(unbranched.slice(1).map(contents)).toEqual([
      ['Q3', 'A3'],
      ['A1', 'Q2', 'A2'],
      ['A2', 'Q3'],
      ['Q2', 'A2', 'Q3', 'A3'],
    ]);

    // A second version of the first question: the pages follow its branch, with the versions counted.
    app.fake.enqueueResponse({ text: 'A1b' });
    await api().post(`/api/threads/${threadId}/messages/${first.userMessageId}/edit`).set('Cookie', user.cookie).send({ stream: false, content: 'Q1' }).expect(200);
    expect(shown(await messagesOf(app, user.cookie, threadId))).toEqual([
      ['Q1', 2, 2],
      ['A1b', 1, 1],
    ]);
    expect(await messagesOf(app, user.cookie, threadId, `?after=${first.messageId}`)).toEqual([]);

    // Back on the first branch, every page reads as before, the first question now one of two versions.
    await api().post(`/api/threads/${threadId}/messages/${third.messageId}/activate`).set('Cookie', user.cookie).send({}).expect(200);
    const again = await pages();
    expect(again.map(contents)).toEqual(unbranched.map(contents));
    expect(again[0]).toEqual([['Q1', 2, 1], ...unbranched[0].slice(1)]);
  });

  it('reads nothing of a thread in the trash, and another user reads none of its pages', async () => {
    const user = await chatUser(app);
    const other = await chatUser(app);
    app.fake.enqueueResponse({ text: 'A1' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Q1' }).expect(200);
    const threadId = first.body.threadId;
    expect(contents(shown(await messagesOf(app, user.cookie, threadId)))).toEqual(['Q1', 'A1']);

    for (const query of ['', `?before=${first.body.messageId}`, `?after=${first.body.userMessageId}`]) {
      const foreign = await api().get(`/api/threads/${threadId}/messages${query}`).set('Cookie', other.cookie);
      expect(foreign.status).toBe(404);
    }
    await api().delete(`/api/threads/${threadId}`).set('Cookie', user.cookie).expect(200);
    const trashed = await api().get(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie);
    expect(trashed.status).toBe(404);
  });
});
