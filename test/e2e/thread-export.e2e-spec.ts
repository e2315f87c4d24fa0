import request from 'supertest';
import { chatUser } from '../support/chat-helpers.js';
import { rawBytes } from '../support/platform-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** More messages than one page of the export reads (100), so that pages join. */
const MESSAGES = 205;

describe('thread export, streamed page by page', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('streams a long thread as Markdown and JSON, every message once and in order, in the documents the export has always written', async () => {
    const user = await chatUser(app);
    const api = () => request(app.baseUrl);
    const thread = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id, title: 'Long talk' }).expect(201);
    const threadId = thread.body.id as string;
    for (let index = 0; index < MESSAGES; index++) {
      await api()
        .post(`/api/threads/${threadId}/messages`)
        .set('Cookie', user.cookie)
        .send({ role: index % 2 === 0 ? 'user' : 'assistant', content: `Message ${index}\nwith "quotes", a tab\tand ünïcödé` })
        .expect(201);
      // Reply 7 gets a second version: the first one stays, on a branch of its own.
      if (index === 7) {
        app.fake.enqueueResponse({ text: 'Message 7, again' });
        await api().post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
      }
    }
    // A replaced reply is left out (off the active branch); a stopped one is noted; sources are listed.
    const update = (index: number, set: string) =>
      app.dataSource.query(`UPDATE messages SET ${set} WHERE thread_id = $1 AND content LIKE $2`, [threadId, `Message ${index}\n%`]);
    await update(101, "status = 'incomplete', status_reason = 'the network'");
    await update(199, `citations = '[{"filename":"a.pdf"},{"filename":"a.pdf"},{"filename":"b.md"}]'`);
    const messages = (await app.dataSource.query(
      `SELECT id FROM messages WHERE thread_id = $1 AND content NOT LIKE $2 ORDER BY seq`,
      [threadId, 'Message 7\n%'],
    )) as Array<{ id: string }>;
    expect(messages).toHaveLength(MESSAGES);

    const json = await api().get(`/api/threads/${threadId}/export?format=json`).set('Cookie', user.cookie).buffer(true).parse(rawBytes).expect(200);
    // Streamed: no length known in advance.
    expect(json.headers['transfer-encoding']).toBe('chunked');
    expect(json.headers['content-length']).toBeUndefined();
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="?long-talk\.json"?$/);
    const text = (json.body as Buffer).toString('utf8');
    const exported = JSON.parse(text);
    // Byte for byte what JSON.stringify(document, null, 2) writes, as the export always did.
    expect(text).toBe(JSON.stringify(exported, null, 2));
    expect(Object.keys(exported)).toEqual(['thread', 'messages', 'exportedAt']);
    expect(exported.thread).toMatchObject({ id: threadId, title: 'Long talk' });
    expect(exported.messages.map((message: { id: string }) => message.id)).toEqual(messages.map((message) => message.id));
    const listed = await api().get(`/api/threads/${threadId}/messages?limit=2`).set('Cookie', user.cookie).expect(200);
    // The list adds where each message stands among its versions.
    expect(exported.messages.slice(-2)).toEqual(listed.body.map(({ siblingCount, siblingIndex, siblingIds, ...message }: any) => message));

    const markdown = await api().get(`/api/threads/${threadId}/export`).set('Cookie', user.cookie).expect(200);
    expect(markdown.headers['transfer-encoding']).toBe('chunked');
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const expected = [`# Long talk`, '', `Exported ${/Exported (\S+)/.exec(markdown.text)![1]}`, ''];
    for (const message of exported.messages) {
      expected.push('---', '', `### ${message.role === 'user' ? 'You' : 'Assistant'} · ${message.createdAt}`, '', message.content, '');
      if (message.status === 'incomplete') expected.push(`_(the reply broke off: ${message.statusReason})_`, '');
      if (message.citations.length > 0) expected.push('Sources: a.pdf, b.md', '');
    }
    expect(markdown.text).toBe(expected.join('\n'));
    expect(markdown.text).toContain('_(the reply broke off: the network)_');
    expect(markdown.text).toContain('Sources: a.pdf, b.md');
  });

  it('exports an empty thread as the same documents', async () => {
    const user = await chatUser(app);
    const thread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
    const json = await request(app.baseUrl).get(`/api/threads/${thread.body.id}/export?format=json`).set('Cookie', user.cookie).buffer(true).parse(rawBytes).expect(200);
    const text = (json.body as Buffer).toString('utf8');
    expect(JSON.parse(text).messages).toEqual([]);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2));
    const markdown = await request(app.baseUrl).get(`/api/threads/${thread.body.id}/export?format=markdown`).set('Cookie', user.cookie).expect(200);
    expect(markdown.text).toMatch(/^# Conversation\n\nExported \S+\n$/);
  });
});
