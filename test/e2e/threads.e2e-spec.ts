import request from 'supertest';
import yauzl from 'yauzl';
import { chatJson, chatUser, messagesOf } from '../support/chat-helpers.js';
import { rawBytes, uploadFile } from '../support/platform-api.js';
import { listRoutes, concretePath } from '../support/routes.js';
import { minimalPdf, minimalPng } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

function binary(response: request.Response): Buffer {
  return response.body as Buffer;
}

function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('threads and messages', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates, gets, renames, archives, reassigns and deletes a thread with its messages and runs', async () => {
    const user = await chatUser(app);
    const other = await request(app.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Other' }).expect(201);
    const created = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ title: 'Plans', assistantId: user.assistant.id }).expect(201);
    expect(created.body).toMatchObject({ title: 'Plans', assistantId: user.assistant.id, isArchived: false, messageCount: 0, totalCost: 0, summary: null });
    const id = created.body.id;
    await chatJson(app, user.cookie, { threadId: id, message: 'Hello' }).expect(200);

    const fetched = await request(app.baseUrl).get(`/api/threads/${id}`).set('Cookie', user.cookie).expect(200);
    expect(fetched.body).toMatchObject({ messageCount: 2, totalTokens: expect.any(Number) });
    expect(fetched.body.totalTokens).toBeGreaterThan(0);

    const updated = await request(app.baseUrl)
      .patch(`/api/threads/${id}`)
      .set('Cookie', user.cookie)
      .send({ title: 'Holiday plans', isArchived: true, assistantId: other.body.id })
      .expect(200);
    expect(updated.body).toMatchObject({ title: 'Holiday plans', isArchived: true, assistantId: other.body.id });
    const invalid = await request(app.baseUrl).patch(`/api/threads/${id}`).set('Cookie', user.cookie).send({ title: 'x'.repeat(201), color: 'red' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((detail: any) => detail.field).sort()).toEqual(['color', 'title']);

    await request(app.baseUrl).delete(`/api/threads/${id}?permanent=true`).set('Cookie', user.cookie).expect(200);
    await request(app.baseUrl).get(`/api/threads/${id}`).set('Cookie', user.cookie).expect(404);
    const [{ messages, runs }] = await app.dataSource.query(
      `SELECT (SELECT count(*)::int FROM messages WHERE thread_id = $1) AS messages, (SELECT count(*)::int FROM runs WHERE thread_id = $1) AS runs`,
      [id],
    );
    expect({ messages, runs }).toEqual({ messages: 0, runs: 0 });
  });

  it('starts a new thread with the default assistant, else without one', async () => {
    const user = await chatUser(app);
    const none = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({}).expect(201);
    expect(none.body.assistantId).toBeNull();
    await request(app.baseUrl).post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(200);
    const withDefault = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({}).expect(201);
    expect(withDefault.body.assistantId).toBe(user.assistant.id);
  });

  it('lists threads newest activity first, with filters, paging and X-Total-Count', async () => {
    const user = await chatUser(app);
    const second = await request(app.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Second' }).expect(201);
    const ids: string[] = [];
    for (const [title, assistantId] of [
      ['Alpha', user.assistant.id],
      ['Beta', second.body.id],
      ['Gamma', user.assistant.id],
    ]) {
      ids.push((await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ title, assistantId }).expect(201)).body.id);
    }
    // New activity moves Alpha to the top.
    await chatJson(app, user.cookie, { threadId: ids[0], message: 'bump' }).expect(200);
    const all = await request(app.baseUrl).get('/api/threads').set('Cookie', user.cookie).expect(200);
    expect(all.body.map((thread: any) => thread.title)).toEqual(['Alpha', 'Gamma', 'Beta']);
    expect(all.headers['x-total-count']).toBe('3');

    const page = await request(app.baseUrl).get('/api/threads?limit=1&offset=1').set('Cookie', user.cookie).expect(200);
    expect(page.body.map((thread: any) => thread.title)).toEqual(['Gamma']);
    expect(page.headers['x-total-count']).toBe('3');
    const byAssistant = await request(app.baseUrl).get(`/api/threads?assistantId=${second.body.id}`).set('Cookie', user.cookie).expect(200);
    expect(byAssistant.body.map((thread: any) => thread.title)).toEqual(['Beta']);
    const search = await request(app.baseUrl).get('/api/threads?search=amm').set('Cookie', user.cookie).expect(200);
    expect(search.body.map((thread: any) => thread.title)).toEqual(['Gamma']);

    await request(app.baseUrl).patch(`/api/threads/${ids[1]}`).set('Cookie', user.cookie).send({ isArchived: true }).expect(200);
    const active = await request(app.baseUrl).get('/api/threads').set('Cookie', user.cookie).expect(200);
    expect(active.body.map((thread: any) => thread.title)).toEqual(['Alpha', 'Gamma']);
    const archived = await request(app.baseUrl).get('/api/threads?archived=true').set('Cookie', user.cookie).expect(200);
    expect(archived.body.map((thread: any) => thread.title)).toEqual(['Beta']);
    const bad = await request(app.baseUrl).get('/api/threads?archived=maybe&limit=0').set('Cookie', user.cookie);
    expect(bad.status).toBe(400);
  });

  it('adds messages without running, and pages them oldest first by cursor', async () => {
    const user = await chatUser(app);
    const thread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
    const ids: string[] = [];
    for (let index = 0; index < 7; index++) {
      const added = await request(app.baseUrl)
        .post(`/api/threads/${thread.body.id}/messages`)
        .set('Cookie', user.cookie)
        .send({ role: index % 2 === 0 ? 'user' : 'assistant', content: `m${index}`, ...(index > 0 ? { replyToId: ids[index - 1] } : {}) })
        .expect(201);
      expect(added.body).toMatchObject({ content: `m${index}`, status: 'completed', replyToId: index > 0 ? ids[index - 1] : null });
      ids.push(added.body.id);
    }
    expect(app.fake.requestsTo('POST', '/v1/responses').filter((entry) => JSON.stringify(entry.body).includes('m6'))).toHaveLength(0);
    const contents = (messages: any[]) => messages.map((message) => message.content);
    expect(contents(await messagesOf(app, user.cookie, thread.body.id))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(contents(await messagesOf(app, user.cookie, thread.body.id, '?limit=3'))).toEqual(['m4', 'm5', 'm6']);
    expect(contents(await messagesOf(app, user.cookie, thread.body.id, `?limit=3&before=${ids[4]}`))).toEqual(['m1', 'm2', 'm3']);
    expect(contents(await messagesOf(app, user.cookie, thread.body.id, `?limit=2&after=${ids[1]}`))).toEqual(['m2', 'm3']);

    const wrongRole = await request(app.baseUrl).post(`/api/threads/${thread.body.id}/messages`).set('Cookie', user.cookie).send({ role: 'system', content: 'x' });
    expect(wrongRole.status).toBe(400);
    const otherThread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
    const crossThreadReply = await request(app.baseUrl)
      .post(`/api/threads/${otherThread.body.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'x', replyToId: ids[0] });
    expect(crossThreadReply.status).toBe(404);
    const foreignCursor = await request(app.baseUrl).get(`/api/threads/${otherThread.body.id}/messages?before=${ids[0]}`).set('Cookie', user.cookie);
    expect(foreignCursor.status).toBe(404);
  });

  it('refuses an added message longer than the chat input limit, as the chat route does', async () => {
    const user = await chatUser(app);
    const thread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
    const limit = app.config.chat.maxInputChars;
    const tooLong = await request(app.baseUrl)
      .post(`/api/threads/${thread.body.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'z'.repeat(limit + 1) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ code: 'input_too_long', details: [{ field: 'content', message: `At most ${limit} characters` }] });
    expect(await messagesOf(app, user.cookie, thread.body.id)).toEqual([]);
    await request(app.baseUrl)
      .post(`/api/threads/${thread.body.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'z'.repeat(limit) })
      .expect(201);
  });

  it('exports a conversation as Markdown and JSON, without replaced replies', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'First draft.' }, { text: 'Better answer.' });
    const chat = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Question one' }).expect(200);
    const threadId = chat.body.threadId;
    await request(app.baseUrl).patch(`/api/threads/${threadId}`).set('Cookie', user.cookie).send({ title: 'Ex port' }).expect(200);
    await request(app.baseUrl).post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }).expect(200);

    const markdown = await request(app.baseUrl).get(`/api/threads/${threadId}/export?format=markdown`).set('Cookie', user.cookie).expect(200);
    expect(markdown.headers['content-type']).toContain('text/markdown');
    expect(markdown.headers['content-disposition']).toMatch(/^attachment; filename="?ex-port\.md"?$/);
    expect(markdown.text).toContain('# Ex port');
    expect(markdown.text).toContain('Question one');
    expect(markdown.text).toContain('Better answer.');
    expect(markdown.text).not.toContain('First draft.');

    const json = await request(app.baseUrl).get(`/api/threads/${threadId}/export?format=json`).set('Cookie', user.cookie).buffer(true).parse(rawBytes).expect(200);
    const exported = JSON.parse(binary(json).toString('utf8'));
    expect(exported.thread).toMatchObject({ id: threadId, title: 'Ex port' });
    expect(exported.messages.map((message: any) => message.content)).toEqual(['Question one', 'Better answer.']);
    const badFormat = await request(app.baseUrl).get(`/api/threads/${threadId}/export?format=pdf`).set('Cookie', user.cookie);
    expect(badFormat.status).toBe(400);
  });

  it("lists a thread's files and streams them all as one zip", async () => {
    const user = await chatUser(app);
    const image = await uploadFile(app.baseUrl, user.cookie, minimalPng(), 'photo.png');
    const pdf = minimalPdf('Report');
    const document = await uploadFile(app.baseUrl, user.cookie, pdf, 'report.pdf');
    const twin = await uploadFile(app.baseUrl, user.cookie, Buffer.from('second photo name'), 'report.pdf.txt');
    const chat = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Look', fileIds: [image.fileIds[0], document.fileIds[0]] }).expect(200);
    await chatJson(app, user.cookie, { threadId: chat.body.threadId, message: 'And this', fileIds: [twin.fileIds[0], image.fileIds[0]] }).expect(200);

    const files = await request(app.baseUrl).get(`/api/threads/${chat.body.threadId}/files`).set('Cookie', user.cookie).expect(200);
    expect(files.body.map((file: any) => file.filename)).toEqual(['photo.png', 'report.pdf', 'report.pdf.txt']);

    const archive = await request(app.baseUrl)
      .get(`/api/threads/${chat.body.threadId}/files/archive`)
      .set('Cookie', user.cookie)
      .buffer(true)
      .parse(rawBytes)
      .expect(200);
    expect(archive.headers['content-type']).toBe('application/zip');
    expect(archive.headers['content-disposition']).toMatch(/^attachment; filename="?[a-z0-9-]+-files\.zip"?$/);
    const entries = await unzip(binary(archive));
    expect([...entries.keys()]).toEqual(['photo.png', 'report.pdf', 'report.pdf.txt']);
    expect(entries.get('photo.png')!.equals(minimalPng())).toBe(true);
    expect(entries.get('report.pdf')!.equals(pdf)).toBe(true);

    const plain = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'No files here' }).expect(200);
    const none = await request(app.baseUrl).get(`/api/threads/${plain.body.threadId}/files/archive`).set('Cookie', user.cookie).expect(404);
    expect(none.body).toEqual({ error: 'This conversation has no files to download', code: 'not_found' });
  });

  it('keeps threads readable when their assistant is deleted', async () => {
    const user = await chatUser(app);
    const chat = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Remember me' }).expect(200);
    await request(app.baseUrl).delete(`/api/assistants/${user.assistant.id}?permanent=true`).set('Cookie', user.cookie).expect(200);
    const thread = await request(app.baseUrl).get(`/api/threads/${chat.body.threadId}`).set('Cookie', user.cookie).expect(200);
    expect(thread.body.assistantId).toBeNull();
    expect((await messagesOf(app, user.cookie, chat.body.threadId)).map((message: any) => message.content)[0]).toBe('Remember me');
    // Without an assistant (and no default one) the thread goes on as a chat without assistant.
    const orphan = await chatJson(app, user.cookie, { threadId: chat.body.threadId, message: 'Anyone?' }).expect(200);
    expect(orphan.body.message.assistantId).toBeNull();
    const replacement = await request(app.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'New' }).expect(201);
    await request(app.baseUrl).patch(`/api/threads/${chat.body.threadId}`).set('Cookie', user.cookie).send({ assistantId: replacement.body.id }).expect(200);
    await chatJson(app, user.cookie, { threadId: chat.body.threadId, message: 'Hello again' }).expect(200);
  });
});

describe("another user's threads", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('are a 404 on every thread route, including chat, run, regenerate, cancel, stream, export, files and archive', async () => {
    const owner = await chatUser(app);
    const intruder = await chatUser(app);
    const chat = await chatJson(app, owner.cookie, { assistantId: owner.assistant.id, message: 'Private' }).expect(200);
    const threadId = chat.body.threadId;

    const threadRoutes = listRoutes(app.app).filter((route) => route.path.startsWith('/api/threads/:id'));
    expect(threadRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      [
        'DELETE /api/threads/:id',
        'GET /api/threads/:id',
        'GET /api/threads/:id/export',
        'GET /api/threads/:id/files',
        'GET /api/threads/:id/files/archive',
        'GET /api/threads/:id/messages',
        'PATCH /api/threads/:id',
        'POST /api/threads/:id/cancel',
        'POST /api/threads/:id/fork',
        'POST /api/threads/:id/messages',
        'POST /api/threads/:id/messages/:messageId/activate',
        'POST /api/threads/:id/messages/:messageId/edit',
        'POST /api/threads/:id/regenerate',
        'POST /api/threads/:id/restore',
        'POST /api/threads/:id/run',
        'POST /api/threads/:id/shares',
        'GET /api/threads/:id/stream',
      ].sort(),
    );
    const bodies: Record<string, unknown> = {
      'POST /api/threads/:id/messages': { role: 'user', content: 'hi' },
      'POST /api/threads/:id/fork': { messageId: chat.body.userMessageId },
      'POST /api/threads/:id/messages/:messageId/edit': { content: 'Changed', stream: false },
    };
    for (const route of threadRoutes) {
      const key = `${route.method} ${route.path}`;
      // The owner's own message ids: the thread is what the intruder may not reach.
      const path = concretePath(route.path, threadId).replace(`/messages/${threadId}/`, `/messages/${chat.body.userMessageId}/`);
      const response = await request(app.baseUrl)
        [route.method.toLowerCase() as 'get'](path)
        .set('Cookie', intruder.cookie)
        .send((bodies[key] as object) ?? {});
      expect({ key, status: response.status, code: response.body.code }).toEqual({ key, status: 404, code: 'not_found' });
    }
    const viaChat = await chatJson(app, intruder.cookie, { threadId, message: 'Let me in' });
    expect(viaChat.status).toBe(404);

    const owned = await request(app.baseUrl).get(`/api/threads/${threadId}`).set('Cookie', owner.cookie).expect(200);
    expect(owned.body).toMatchObject({ messageCount: 2, isArchived: false });
    const list = await request(app.baseUrl).get('/api/threads').set('Cookie', intruder.cookie).expect(200);
    expect(list.body.map((thread: any) => thread.id)).not.toContain(threadId);
  });

  it("cannot be reached through ids in a body: another user's files, messages or assistant", async () => {
    const owner = await chatUser(app);
    const intruder = await chatUser(app);
    const ownersFile = await uploadFile(app.baseUrl, owner.cookie, minimalPng(), 'secret.png');
    const ownersChat = await chatJson(app, owner.cookie, { assistantId: owner.assistant.id, message: 'Private' }).expect(200);
    const intrudersChat = await chatJson(app, intruder.cookie, { assistantId: intruder.assistant.id, message: 'Mine' }).expect(200);

    const withFile = await chatJson(app, intruder.cookie, { threadId: intrudersChat.body.threadId, message: 'Show', fileIds: ownersFile.fileIds });
    expect(withFile.status).toBe(404);
    const withReply = await chatJson(app, intruder.cookie, { threadId: intrudersChat.body.threadId, message: 'Re', replyToId: ownersChat.body.userMessageId });
    expect(withReply.status).toBe(404);
    const addWithFile = await request(app.baseUrl)
      .post(`/api/threads/${intrudersChat.body.threadId}/messages`)
      .set('Cookie', intruder.cookie)
      .send({ role: 'user', content: 'x', fileIds: ownersFile.fileIds });
    expect(addWithFile.status).toBe(404);
    const withAssistant = await chatJson(app, intruder.cookie, { assistantId: owner.assistant.id, message: 'Borrow' });
    expect(withAssistant.status).toBe(404);
    const newThread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', intruder.cookie).send({ assistantId: owner.assistant.id });
    expect(newThread.status).toBe(404);
    const reassign = await request(app.baseUrl)
      .patch(`/api/threads/${intrudersChat.body.threadId}`)
      .set('Cookie', intruder.cookie)
      .send({ assistantId: owner.assistant.id });
    expect(reassign.status).toBe(404);
    const sent = JSON.stringify(app.fake.requestsTo('POST', '/v1/responses').map((entry) => entry.body));
    expect(sent).not.toContain(minimalPng().toString('base64'));
  });
});
