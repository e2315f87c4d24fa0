import request from 'supertest';
import { conversationUser, threadWith } from '../support/conversation-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('feedback on replies', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { FEEDBACK_MAX_COMMENT_CHARS: '50' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  const rate = (cookie: string, messageId: string, body: object) =>
    request(app.baseUrl).put(`/api/messages/${messageId}/feedback`).set('Cookie', cookie).send(body);
  const feedbackOf = async (cookie: string, threadId: string) =>
    (await request(app.baseUrl).get(`/api/threads/${threadId}/messages`).set('Cookie', cookie).expect(200)).body.map((message: any) => message.feedback);

  it('is set, changed and cleared, one per reply, and shows on the message', async () => {
    const user = await conversationUser(app);
    const { threadId, messageIds } = await threadWith(app, user.cookie, 'Rated', ['Question', 'A good answer', 'Another', 'A poor answer']);
    expect(await feedbackOf(user.cookie, threadId)).toEqual([null, null, null, null]);

    const set = await rate(user.cookie, messageIds[1], { rating: 'up', comment: '  Spot on  ' }).expect(200);
    expect(set.body).toEqual({
      messageId: messageIds[1],
      threadId,
      rating: 'up',
      comment: 'Spot on',
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    await rate(user.cookie, messageIds[3], { rating: 'down' }).expect(200);
    expect(await feedbackOf(user.cookie, threadId)).toEqual([
      null,
      { rating: 'up', comment: 'Spot on', updatedAt: set.body.updatedAt },
      null,
      { rating: 'down', comment: null, updatedAt: expect.any(String) },
    ]);

    // Changed: the same row, rating and comment replaced.
    const changed = await rate(user.cookie, messageIds[1], { rating: 'down', comment: 'Wrong after all' }).expect(200);
    expect(changed.body).toMatchObject({ rating: 'down', comment: 'Wrong after all', createdAt: set.body.createdAt });
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM message_feedback WHERE message_id = $1', [messageIds[1]]);
    expect(count).toBe(1);
    await rate(user.cookie, messageIds[1], { rating: 'up', comment: '' }).expect(200);
    expect((await feedbackOf(user.cookie, threadId))[1]).toMatchObject({ rating: 'up', comment: null });

    // Cleared (twice is fine).
    await request(app.baseUrl).delete(`/api/messages/${messageIds[1]}/feedback`).set('Cookie', user.cookie).expect(200);
    await request(app.baseUrl).delete(`/api/messages/${messageIds[1]}/feedback`).set('Cookie', user.cookie).expect(200);
    expect((await feedbackOf(user.cookie, threadId))[1]).toBeNull();
  });

  it('is refused on a message of the user, with a bad rating, or with a comment over the limit', async () => {
    const user = await conversationUser(app);
    const { messageIds } = await threadWith(app, user.cookie, null, ['Mine', 'Reply']);
    const own = await rate(user.cookie, messageIds[0], { rating: 'up' });
    expect({ status: own.status, code: own.body.code }).toEqual({ status: 400, code: 'not_a_reply' });
    for (const body of [{}, { rating: 'meh' }, { rating: 'up', comment: 5 }, { rating: 'up', extra: 1 }, { rating: null }]) {
      const refused = await rate(user.cookie, messageIds[1], body);
      expect({ body, status: refused.status, code: refused.body.code }).toEqual({ body, status: 400, code: 'validation_failed' });
    }
    const long = await rate(user.cookie, messageIds[1], { rating: 'down', comment: 'x'.repeat(51) });
    expect({ status: long.status, code: long.body.code, field: long.body.details[0].field }).toEqual({ status: 400, code: 'validation_failed', field: 'comment' });
    await rate(user.cookie, messageIds[1], { rating: 'down', comment: 'x'.repeat(50) }).expect(200);
  });

  it('is exported: with the thread (JSON and Markdown) and as a list of ratings (JSON paged, CSV download)', async () => {
    const user = await conversationUser(app);
    const first = await threadWith(app, user.cookie, 'Exported', ['Q1', 'Answer one', 'Q2', '=HYPERLINK("evil")']);
    const second = await threadWith(app, user.cookie, 'Other', ['Q', 'Answer, "quoted"\nsecond line']);
    await rate(user.cookie, first.messageIds[1], { rating: 'up', comment: 'Clear and short' }).expect(200);
    await rate(user.cookie, first.messageIds[3], { rating: 'down', comment: '-1 wrong' }).expect(200);
    await rate(user.cookie, second.messageIds[1], { rating: 'down' }).expect(200);

    const json = await request(app.baseUrl).get(`/api/threads/${first.threadId}/export?format=json`).set('Cookie', user.cookie).buffer(true).expect(200);
    const exported = JSON.parse(json.text);
    expect(exported.messages.map((message: any) => message.feedback?.rating ?? null)).toEqual([null, 'up', null, 'down']);
    expect(exported.messages[1].feedback).toMatchObject({ comment: 'Clear and short' });
    const markdown = await request(app.baseUrl).get(`/api/threads/${first.threadId}/export`).set('Cookie', user.cookie).buffer(true).expect(200);
    expect(markdown.text).toContain('_(Feedback: good reply: Clear and short)_');
    expect(markdown.text).toContain('_(Feedback: bad reply: -1 wrong)_');

    const listed = await request(app.baseUrl).get('/api/feedback').set('Cookie', user.cookie).expect(200);
    expect(listed.headers['x-total-count']).toBe('3');
    expect(listed.body.map((item: any) => [item.threadTitle, item.rating, item.reply])).toEqual([
      ['Other', 'down', 'Answer, "quoted"\nsecond line'],
      ['Exported', 'down', '=HYPERLINK("evil")'],
      ['Exported', 'up', 'Answer one'],
    ]);
    expect(Object.keys(listed.body[0]).sort()).toEqual(
      ['assistantId', 'comment', 'createdAt', 'messageId', 'model', 'rating', 'reply', 'replyCreatedAt', 'threadId', 'threadTitle', 'updatedAt'].sort(),
    );
    const downs = await request(app.baseUrl).get('/api/feedback?rating=down&limit=1&offset=1').set('Cookie', user.cookie).expect(200);
    expect(downs.headers['x-total-count']).toBe('2');
    expect(downs.body.map((item: any) => item.messageId)).toEqual([first.messageIds[3]]);

    const csv = await request(app.baseUrl).get('/api/feedback?format=csv').set('Cookie', user.cookie).buffer(true).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="?feedback\.csv"?$/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('ratedAt,rating,comment,threadTitle,reply,model,assistantId,threadId,messageId,replyCreatedAt');
    // Quoted where needed; a formula-looking text is neutralized.
    expect(lines[1]).toContain(`,down,,Other,"Answer, ""quoted""\nsecond line",,,${second.threadId},${second.messageIds[1]},`);
    expect(lines[2]).toContain(`,down,'-1 wrong,Exported,"'=HYPERLINK(""evil"")",,,`);
    expect(lines[3]).toContain(',up,Clear and short,Exported,Answer one,');
    expect(lines).toHaveLength(5);

    // A thread in the trash takes its ratings out of the list.
    await request(app.baseUrl).delete(`/api/threads/${second.threadId}`).set('Cookie', user.cookie).expect(200);
    const afterTrash = await request(app.baseUrl).get('/api/feedback').set('Cookie', user.cookie).expect(200);
    expect(afterTrash.headers['x-total-count']).toBe('2');
    // Another user has none of them.
    const other = await conversationUser(app);
    const empty = await request(app.baseUrl).get('/api/feedback').set('Cookie', other.cookie).expect(200);
    expect({ total: empty.headers['x-total-count'], body: empty.body }).toEqual({ total: '0', body: [] });
    const emptyCsv = await request(app.baseUrl).get('/api/feedback?format=csv').set('Cookie', other.cookie).buffer(true).expect(200);
    expect(emptyCsv.text.split('\r\n')).toHaveLength(2);
  });
});
