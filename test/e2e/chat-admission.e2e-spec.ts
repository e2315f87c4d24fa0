import request from 'supertest';
import { chatJson, chatUser, messagesOf, responseRequests, type ChatUser } from '../support/chat-helpers.js';
import { createAssistant, uploadFile } from '../support/platform-api.js';
import { pngOfSize } from '../support/sample-files.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** What a user has stored of conversations: a refused turn must leave these as they were. */
async function conversationRows(app: TestApp, userId: string) {
  const [row] = await app.dataSource.query(
    `SELECT (SELECT count(*) FROM threads WHERE user_id = $1)::int AS threads,
            (SELECT count(*) FROM messages WHERE user_id = $1)::int AS messages,
            (SELECT count(*) FROM runs r JOIN threads t ON t.id = r.thread_id WHERE t.user_id = $1)::int AS runs`,
    [userId],
  );
  return row as { threads: number; messages: number; runs: number };
}

/** Requests the fake received for uploads and replies, to show a refused turn asked OpenAI for nothing. */
function upstreamCalls(app: TestApp): number {
  return app.fake.requestsTo('POST', '/v1/files').length + app.fake.requestsTo('POST', '/v1/responses').length;
}

async function images(app: TestApp, user: ChatUser, count: number, size = 10_000): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) ids.push((await uploadFile(app.baseUrl, user.cookie, pngOfSize(size), `p${index}.png`)).fileIds[0]);
  return ids;
}

describe('chat turn limits, checked before anything is stored', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      fake: true,
      env: {
        CHAT_MAX_IMAGES_PER_MESSAGE: '2',
        CHAT_MAX_IMAGES_PER_TURN: '3',
        CHAT_MAX_ATTACHMENT_BYTES_PER_TURN: '100kb',
        CHAT_MAX_TEXT_ATTACHMENT_CHARS: '1000',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a message with more images than a message may carry (422 too_many_images): no thread, no message, no call to OpenAI', async () => {
    const user = await chatUser(app);
    const three = await images(app, user, 3);
    const before = await conversationRows(app, user.userId);
    const calls = upstreamCalls(app);

    const refused = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Three pictures', fileIds: three });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'too_many_images', error: expect.stringContaining('at most 2 images') });
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'fileIds', limit: 2, count: 3 })]);
    const streamed = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Three, streamed', fileIds: three, stream: true });
    expect(streamed.status).toBe(422);
    expect(streamed.body.code).toBe('too_many_images');
    // The same image twice counts twice: both would be sent.
    const repeated = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Same one', fileIds: [three[0], three[0], three[0]] });
    expect(repeated.body.code).toBe('too_many_images');
    expect(await conversationRows(app, user.userId)).toEqual(before);

    const thread = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hello' }).expect(200);
    const stored = await conversationRows(app, user.userId);
    const inThread = await chatJson(app, user.cookie, { threadId: thread.body.threadId, message: 'Three pictures', fileIds: three });
    expect(inThread.status).toBe(422);
    const added = await request(app.baseUrl)
      .post(`/api/threads/${thread.body.threadId}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'Three pictures', fileIds: three });
    expect(added.status).toBe(422);
    expect(added.body.code).toBe('too_many_images');
    expect(await conversationRows(app, user.userId)).toEqual(stored);
    expect(upstreamCalls(app)).toBe(calls + 1);
  });

  it("refuses attachments over a turn's byte budget (413 attachments_too_large), counted from the stored sizes without reading the bytes", async () => {
    const user = await chatUser(app);
    const [first, second] = await images(app, user, 2, 60 * 1024);
    // The bytes are not needed to refuse: without them the sizes on record still decide.
    await app.dataSource.query('DELETE FROM file_chunks WHERE file_id = ANY($1::uuid[])', [[first, second]]);
    const calls = upstreamCalls(app);

    const refused = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Two large pictures', fileIds: [first, second] });
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ code: 'attachments_too_large', error: expect.stringMatching(/0\.1 MB/) });
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'fileIds', limit: 100 * 1024, bytes: 120 * 1024 })]);
    expect(await conversationRows(app, user.userId)).toEqual({ threads: 0, messages: 0, runs: 0 });
    expect(upstreamCalls(app)).toBe(calls);
  });

  it('counts a text attachment by what is read of it, and sends only its first characters', async () => {
    const user = await chatUser(app);
    const log = `${'0123456789'.repeat(100)}${'tail of a long log\n'.repeat(30_000)}`;
    const upload = await uploadFile(app.baseUrl, user.cookie, Buffer.from(log), 'app.log');

    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Read the log', fileIds: upload.fileIds }).expect(200);
    const parts = responseRequests(app).at(-1).input.at(-1).content;
    expect(parts[1]).toEqual({ type: 'input_text', text: `Attached file app.log:\n${'0123456789'.repeat(100)}` });
  });

  it("sends a turn's newest images up to its image count, history included, and names the older ones left out", async () => {
    const user = await chatUser(app);
    const [a, b, c, d] = await images(app, user, 4);
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'First two', fileIds: [a, b] }).expect(200);
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'Two more', fileIds: [c, d] }).expect(200);

    const input = responseRequests(app).at(-1).input;
    const kinds = (index: number) => input[index].content.map((part: any) => part.type);
    expect(kinds(0)).toEqual(['input_text', 'input_image', 'input_text']);
    expect(input[0].content[2].text).toBe('(Attached image p1.png is not included: this turn already carries as many images as a turn may.)');
    expect(kinds(2)).toEqual(['input_text', 'input_image', 'input_image']);
    // Nothing is refused: the thread keeps both messages and both replies.
    expect(await messagesOf(app, user.cookie, first.body.threadId)).toHaveLength(4);
  });
});

describe('a stored key that cannot be decrypted', () => {
  const SHARED_KEY = 'sk-test-shared-fallback-key';
  let app: TestApp;
  /** The same database and sessions, with other encryption keys and a shared key. */
  let rekeyed: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
    rekeyed = await startTestApp({
      fake: app.fake,
      database: app.database,
      env: { ENCRYPTION_KEYS: `k2:${Buffer.alloc(32, 9).toString('base64')}`, OPENAI_API_KEY: SHARED_KEY },
    });
  });

  afterAll(async () => {
    await rekeyed?.close();
    await app?.close();
  });

  it('answers 400 api_key_unreadable ("save your key again") before anything is stored, on chat, run and regenerate', async () => {
    const user = await chatUser(app);
    const thread = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hello' }).expect(200);
    const before = await conversationRows(app, user.userId);
    const requests = responseRequests(app).length;

    const attempts = [
      chatJson(rekeyed, user.cookie, { assistantId: user.assistant.id, message: 'A new thread' }),
      chatJson(rekeyed, user.cookie, { assistantId: user.assistant.id, message: 'A new thread, streamed', stream: true }),
      chatJson(rekeyed, user.cookie, { threadId: thread.body.threadId, message: 'In the thread' }),
      request(rekeyed.baseUrl).post(`/api/threads/${thread.body.threadId}/run`).set('Cookie', user.cookie).send({ stream: false }),
      request(rekeyed.baseUrl).post(`/api/threads/${thread.body.threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ code: 'api_key_unreadable', error: expect.stringContaining('save your key again') });
    }
    expect(await conversationRows(app, user.userId)).toEqual(before);
    expect(responseRequests(app)).toHaveLength(requests);
    expect(rekeyed.logs.text()).not.toContain(user.apiKey);

    // Saved again (under the new encryption key), the same thread answers.
    await request(rekeyed.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: user.apiKey }).expect(200);
    await chatJson(rekeyed, user.cookie, { threadId: thread.body.threadId, message: 'In the thread' }).expect(200);
    expect(app.fake.requestsTo('POST', '/v1/responses').at(-1)!.headers.authorization).toBe(`Bearer ${user.apiKey}`);
  });

  it('still serves users without a key of their own with the shared key, images included', async () => {
    const user = await registerUser(rekeyed.baseUrl);
    const assistant = await createAssistant(rekeyed.baseUrl, user.cookie, { name: 'Shared' });
    const image = await uploadFile(rekeyed.baseUrl, user.cookie, pngOfSize(5_000), 'shared.png');
    const uploads = app.fake.requestsTo('POST', '/v1/files').length;

    await chatJson(rekeyed, user.cookie, { assistantId: assistant.id, message: 'With the shared key', fileIds: image.fileIds }).expect(200);
    expect(app.fake.requestsTo('POST', '/v1/files').slice(uploads).map((upload) => upload.headers.authorization)).toEqual([`Bearer ${SHARED_KEY}`]);
    expect(app.fake.requestsTo('POST', '/v1/responses').at(-1)!.headers.authorization).toBe(`Bearer ${SHARED_KEY}`);
    const [copy] = await rekeyed.dataSource.query('SELECT upstream_key_ref FROM files WHERE id = $1', [image.fileIds[0]]);
    expect(copy.upstream_key_ref).toMatch(/^shared:[0-9a-f]{16}$/);
  });
});

describe('a user without a key', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 400 api_key_missing before anything is stored, on chat, run and regenerate; retries leave no untitled threads', async () => {
    const user = await chatUser(app);
    const thread = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hello' }).expect(200);
    await request(app.baseUrl).delete('/api/settings/apikey').set('Cookie', user.cookie).expect(200);
    const before = await conversationRows(app, user.userId);
    expect(before).toEqual({ threads: 1, messages: 2, runs: 1 });
    const requests = responseRequests(app).length;

    const attempts = [
      chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'No key' }),
      chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'No key, again' }),
      chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'No key, streamed', stream: true }),
      request(app.baseUrl).post('/api/chat').set('Cookie', user.cookie).set('Accept', 'text/event-stream').send({ message: 'Streamed by Accept', assistantId: user.assistant.id }),
      chatJson(app, user.cookie, { threadId: thread.body.threadId, message: 'In the thread' }),
      request(app.baseUrl).post(`/api/threads/${thread.body.threadId}/run`).set('Cookie', user.cookie).send({ stream: false }),
      request(app.baseUrl).post(`/api/threads/${thread.body.threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: true }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({ code: 'api_key_missing', error: expect.stringMatching(/settings/) });
    }
    expect(await conversationRows(app, user.userId)).toEqual(before);
    const listed = await request(app.baseUrl).get('/api/threads').set('Cookie', user.cookie).expect(200);
    expect(listed.headers['x-total-count']).toBe('1');
    expect(responseRequests(app)).toHaveLength(requests);

    // With a key again, the next turn starts one thread, and the old thread answers.
    await request(app.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: user.apiKey }).expect(200);
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'With a key' }).expect(200);
    await chatJson(app, user.cookie, { threadId: thread.body.threadId, message: 'With a key, here too' }).expect(200);
    expect(await conversationRows(app, user.userId)).toEqual({ threads: 2, messages: 6, runs: 3 });
  });
});
