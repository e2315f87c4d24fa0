import OpenAI, { toFile } from 'openai';
import request from 'supertest';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { registerUserWithKey } from '../support/platform-api.js';
import { apiToken, messageText, platformClient, uuidOf, v1Suite } from '../support/openai-wire/v1-client.js';
import { WireSchemas } from '../support/openai-wire/wire-schemas.js';
import { listRoutes } from '../support/routes.js';

const wireId = (prefix: string, uuid: string) => `${prefix}_${uuid.replace(/-/g, '')}`;

describe('/v1/threads and their messages (OpenAI Assistants API wire format)', () => {
  const suite = v1Suite({ TRASH_RETENTION_DAYS: '30' });
  const api = () => request(suite.app.baseUrl);

  const signedIn = async () => {
    const user = await registerUserWithKey(suite.app.baseUrl);
    const token = await apiToken(suite.app, user.cookie);
    return { ...user, token, client: platformClient(suite.app, token, suite.answers) };
  };

  it('creates a thread with messages, reads, modifies and deletes it and its messages through the SDK, the same objects as /api/threads', async () => {
    const { client, cookie } = await signedIn();
    const thread = await client.beta.threads.create({
      messages: [
        { role: 'user', content: 'What is 2 + 2?', metadata: { step: 'ask' } },
        { role: 'assistant', content: [{ type: 'text', text: 'Four.' }] },
      ],
      metadata: { customer: 'c-42' },
    });
    expect(thread).toEqual({ id: expect.stringMatching(/^thread_[0-9a-f]{32}$/), object: 'thread', created_at: expect.any(Number), tool_resources: {}, metadata: { customer: 'c-42' } });
    expect(await client.beta.threads.retrieve(thread.id)).toEqual(thread);

    const listed = await client.beta.threads.messages.list(thread.id);
    expect(listed.data.map((message) => [message.role, messageText(message), message.metadata])).toEqual([
      ['assistant', 'Four.', {}],
      ['user', 'What is 2 + 2?', { step: 'ask' }],
    ]);
    expect(listed.data[1]).toEqual({
      id: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
      object: 'thread.message',
      created_at: expect.any(Number),
      thread_id: thread.id,
      status: 'completed',
      incomplete_details: null,
      completed_at: expect.any(Number),
      incomplete_at: null,
      role: 'user',
      content: [{ type: 'text', text: { value: 'What is 2 + 2?', annotations: [] } }],
      assistant_id: null,
      run_id: null,
      attachments: [],
      metadata: { step: 'ask' },
    });

    const added = await client.beta.threads.messages.create(thread.id, { role: 'user', content: 'And 3 + 3?', metadata: { step: 'follow-up' } });
    expect(await client.beta.threads.messages.retrieve(added.id, { thread_id: thread.id })).toEqual(added);
    const relabelled = await client.beta.threads.messages.update(added.id, { thread_id: thread.id, metadata: { step: 'second' } });
    expect(relabelled).toEqual({ ...added, metadata: { step: 'second' } });

    // The same thread and messages under /api.
    const threadUuid = uuidOf(thread.id);
    const apiThread = (await api().get(`/api/threads/${threadUuid}`).set('Cookie', cookie).expect(200)).body;
    expect(apiThread).toMatchObject({ id: threadUuid, assistantId: null, metadata: { customer: 'c-42' } });
    const apiMessages = (await api().get(`/api/threads/${threadUuid}/messages`).set('Cookie', cookie).expect(200)).body;
    expect(apiMessages.map((message: { id: string; content: string }) => [wireId('msg', message.id), message.content])).toEqual([
      [listed.data[1].id, 'What is 2 + 2?'],
      [listed.data[0].id, 'Four.'],
      [added.id, 'And 3 + 3?'],
    ]);
    await api().patch(`/api/threads/${threadUuid}`).set('Cookie', cookie).send({ metadata: { customer: 'c-43' } }).expect(200);
    expect((await client.beta.threads.retrieve(thread.id)).metadata).toEqual({ customer: 'c-43' });
    expect(await client.beta.threads.update(thread.id, { metadata: { customer: 'c-44', tier: 'gold' } })).toEqual({ ...thread, metadata: { customer: 'c-44', tier: 'gold' } });

    expect(await client.beta.threads.delete(thread.id)).toEqual({ id: thread.id, object: 'thread.deleted', deleted: true });
    await expect(client.beta.threads.retrieve(thread.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.beta.threads.messages.list(thread.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await api().get(`/api/threads/${threadUuid}`).set('Cookie', cookie).expect(404);
  });

  it('pages messages newest first or oldest first, with cursors, and the SDK pages through them', async () => {
    const { client } = await signedIn();
    const thread = await client.beta.threads.create({ messages: Array.from({ length: 5 }, (_, index) => ({ role: 'user' as const, content: `m${index}` })) });
    const all: string[] = [];
    for await (const message of client.beta.threads.messages.list(thread.id, { limit: 2 })) all.push(messageText(message));
    expect(all).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    const ascending: string[] = [];
    for await (const message of client.beta.threads.messages.list(thread.id, { limit: 2, order: 'asc' })) ascending.push(messageText(message));
    expect(ascending).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);

    const first = await client.beta.threads.messages.list(thread.id, { limit: 2 });
    expect({ texts: first.data.map(messageText), has_more: first.has_more }).toEqual({ texts: ['m4', 'm3'], has_more: true });
    const ids = Object.fromEntries((await client.beta.threads.messages.list(thread.id, { limit: 100 })).data.map((message) => [messageText(message), message.id]));
    expect((await client.beta.threads.messages.list(thread.id, { limit: 2, before: ids.m1 })).data.map(messageText)).toEqual(['m3', 'm2']);
    expect((await client.beta.threads.messages.list(thread.id, { limit: 10, order: 'asc', before: ids.m3 })).data.map(messageText)).toEqual(['m0', 'm1', 'm2']);
    const last = await client.beta.threads.messages.list(thread.id, { limit: 2, order: 'asc', after: ids.m2 });
    expect({ texts: last.data.map(messageText), has_more: last.has_more }).toEqual({ texts: ['m3', 'm4'], has_more: false });
    // A cursor the thread does not hold: an empty page.
    expect((await client.beta.threads.messages.list(thread.id, { after: 'msg_00000000000000000000000000000000' })).data).toEqual([]);
    expect((await client.beta.threads.messages.list(thread.id, { after: 'nonsense' })).data).toEqual([]);
  });

  it('shows a conversation held under /api, with the reply of its assistant', async () => {
    const user = await chatUser(suite.app);
    const chat = await chatJson(suite.app, user.cookie, { assistantId: user.assistant.id, message: 'Hello there' }).expect(200);
    const client = platformClient(suite.app, await apiToken(suite.app, user.cookie), suite.answers);
    const messages = await client.beta.threads.messages.list(wireId('thread', chat.body.threadId), { order: 'asc' });
    expect(messages.data.map((message) => [message.role, message.assistant_id, message.status])).toEqual([
      ['user', null, 'completed'],
      ['assistant', wireId('asst', user.assistant.id), 'completed'],
    ]);
    expect(messageText(messages.data[1]).length).toBeGreaterThan(0);
  });

  it('refuses what it cannot take in OpenAI’s error format, before anything is written', async () => {
    const { client, userId } = await signedIn();
    const thread = await client.beta.threads.create({});
    const bad: Array<[() => Promise<unknown>, string]> = [
      [() => client.beta.threads.messages.create(thread.id, { role: 'user', content: '' }), 'content'],
      [() => client.beta.threads.messages.create(thread.id, { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.org/a.png' } }] }), 'content[0]'],
      [() => client.beta.threads.messages.create(thread.id, { role: 'user', content: 'hi', attachments: [{ file_id: 'file-1', tools: [{ type: 'file_search' }] }] }), 'attachments'],
      [() => client.beta.threads.messages.create(thread.id, { role: 'system' as 'user', content: 'hi' }), 'role'],
      [() => client.beta.threads.create({ messages: Array.from({ length: 33 }, () => ({ role: 'user' as const, content: 'x' })) }), 'messages'],
      [() => client.beta.threads.create({ messages: [{ role: 'user', content: 'fine' }, { role: 'user', content: [] }] }), 'messages[1].content'],
      [() => client.beta.threads.create({ tool_resources: { code_interpreter: { file_ids: ['file-1'] } } }), 'tool_resources'],
      [() => client.beta.threads.update(thread.id, { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v'])) }), 'metadata'],
    ];
    for (const [attempt, param] of bad) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect({ param, error }).toEqual({ param, error: expect.any(OpenAI.BadRequestError) });
      expect({ param, body: (error as InstanceType<typeof OpenAI.APIError>).error }).toEqual({ param, body: expect.objectContaining({ type: 'invalid_request_error', param: expect.stringContaining(param) }) });
    }
    // Only the empty thread exists: no half-made thread, no message.
    const [{ threads, messages }] = await suite.app.dataSource.query(
      'SELECT (SELECT count(*)::int FROM threads WHERE user_id = $1) AS threads, (SELECT count(*)::int FROM messages WHERE user_id = $1) AS messages',
      [userId],
    );
    expect({ threads, messages }).toEqual({ threads: 1, messages: 0 });
  });

  it("suite.answers 404 on every /v1 route (read from the application) to another user's objects, as to ids that name nothing", async () => {
    const owner = await signedIn();
    const intruder = await signedIn();
    const assistant = await owner.client.beta.assistants.create({ model: 'gpt-4o-mini', name: 'Owned' });
    const thread = await owner.client.beta.threads.create({ messages: [{ role: 'user', content: 'Secret' }], metadata: { a: 'b' } });
    const [message] = (await owner.client.beta.threads.messages.list(thread.id)).data;
    const run = await owner.client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 50 });
    const file = await owner.client.files.create({ file: await toFile(Buffer.from('Secret notes\n'), 'secret.txt'), purpose: 'assistants' });
    const store = await owner.client.vectorStores.create({ name: 'Owned', file_ids: [file.id] });
    const batch = await owner.client.vectorStores.fileBatches.create(store.id, { file_ids: [file.id] });
    const ids: Record<string, string> = { id: assistant.id, threadId: thread.id, messageId: message.id, runId: run.id, fileId: file.id, vectorStoreId: store.id, batchId: batch.id };
    const bodies = (path: string) =>
      path.endsWith('/messages')
        ? { role: 'user', content: 'mine' }
        : path.endsWith('/runs')
          ? { assistant_id: assistant.id }
          : path.endsWith('/files')
            ? { file_id: file.id }
            : path.endsWith('/file_batches')
              ? { file_ids: [file.id] }
            : path.endsWith('/cancel')
              ? {}
              : { metadata: { x: 'y' } };
    const routes = listRoutes(suite.app.app).filter((route) => route.path.startsWith('/v1/') && route.path.includes(':'));
    expect(routes.length).toBeGreaterThanOrEqual(24);
    for (const route of routes) {
      const path = (values: Record<string, string>) => route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => values[name]);
      const send = (target: string) =>
        (api() as any)[route.method.toLowerCase()](target).set('Authorization', `Bearer ${intruder.token}`).send(route.method !== 'POST' ? {} : bodies(route.path));
      const response = await send(path(ids));
      const key = `${route.method} ${route.path}`;
      suite.answers.push({ method: route.method, path: path(ids), status: response.status, component: 'ErrorResponse', violations: WireSchemas.shared().violations('ErrorResponse', response.body) });
      expect({ key, status: response.status, type: response.body.error?.type, code: response.body.error?.code }).toEqual({ key, status: 404, type: 'invalid_request_error', code: 'not_found' });
      const zeros = '0'.repeat(32);
      const missing = await send(path({ id: `asst_${zeros}`, threadId: `thread_${zeros}`, messageId: `msg_${zeros}`, runId: `run_${zeros}`, fileId: `file-${zeros}`, vectorStoreId: `vs_${zeros}`, batchId: `vsfb_${zeros}` }));
      expect({ key, body: response.body }).toEqual({ key, body: missing.body });
    }
    // The owner's objects are as they were.
    expect((await owner.client.beta.threads.retrieve(thread.id)).metadata).toEqual({ a: 'b' });
    expect((await owner.client.beta.threads.messages.list(thread.id, { order: 'asc' })).data.map((entry) => [entry.role, entry.metadata])).toEqual([['user', {}], ['assistant', {}]]);
    expect((await owner.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe('completed');
    expect((await owner.client.beta.assistants.retrieve(assistant.id)).name).toBe('Owned');
    expect((await owner.client.files.retrieve(file.id)).filename).toBe('secret.txt');
    expect((await owner.client.vectorStores.files.list(store.id)).data.map((entry) => entry.id)).toEqual([file.id]);
    // Nor does /api show them to the intruder's token.
    const apiRead = await api().get(`/api/threads/${uuidOf(thread.id)}`).set('Authorization', `Bearer ${intruder.token}`);
    expect({ status: apiRead.status, code: apiRead.body.code }).toEqual({ status: 404, code: 'not_found' });
  });
});
