import pg from 'pg';
import request from 'supertest';
import {
  chatJson,
  chatUser,
  type ChatUser,
  holdResponseFor,
  messagesOf,
  responseRequests,
  threadOf,
  waitForRunningRun,
  within,
} from '../support/chat-helpers.js';
import { eventually, uploadFile, waitForFileStatus } from '../support/platform-api.js';
import { minimalPdf, minimalPng } from '../support/sample-files.js';
import { postSse, tokensOf } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The fields a validation error names, each once. */
function fieldsOf(response: request.Response): string[] {
  return [...new Set<string>(response.body.details.map((detail: { field: string }) => detail.field))];
}

/** A thread of `count` added messages, `message 0` to `message {count - 1}`, user and assistant in turn. */
async function threadWithMessages(app: TestApp, user: ChatUser, count: number): Promise<string> {
  const thread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
  for (let index = 0; index < count; index++) {
    await request(app.baseUrl)
      .post(`/api/threads/${thread.body.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: index % 2 === 0 ? 'user' : 'assistant', content: `message ${index}` })
      .expect(201);
  }
  return thread.body.id;
}

/** An app in summary_window mode with a window, when a summary is first due, how often it is refreshed. */
function startSummaryApp(windowMessages: number, summarizeAfter: number, interval: number): Promise<TestApp> {
  return startTestApp({
    fake: true,
    env: {
      CONTEXT_MODE: 'summary_window',
      CONTEXT_WINDOW_MESSAGES: String(windowMessages),
      CONTEXT_SUMMARIZE_AFTER: String(summarizeAfter),
      CONTEXT_SUMMARY_INTERVAL: String(interval),
      SUMMARY_MODEL: 'summary-model',
    },
  });
}

describe('chat', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('streams a reply: events in order with ids, the joined deltas are the stored reply, usage and cost are kept', async () => {
    const user = await chatUser(app, { model: 'gpt-4o' });
    app.fake.enqueueResponse({ deltas: ['The ', 'answer ', 'is ', '42.'], usage: { input_tokens: 1000, output_tokens: 200 } });
    const first = await postSse(`${app.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'What is the answer?', stream: true },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-accel-buffering')).toBe('no');
    expect(first.headers.get('cache-control')).toContain('no-cache');
    expect(first.events.map((event) => event.event)).toEqual(['message_created', 'token', 'token', 'token', 'token', 'message_completed', 'done']);
    // Ids are offsets into the reply's text (characters sent so far): what GET /api/threads/:id/stream resumes from.
    expect(first.events.map((event) => Number(event.id))).toEqual([0, 4, 11, 14, 17, 17, 17]);

    const created = first.events[0].data.message;
    const completed = first.events[5].data.message;
    expect(created).toMatchObject({ role: 'user', content: 'What is the answer?', status: 'completed' });
    expect(completed).toMatchObject({ role: 'assistant', status: 'completed', replyToId: created.id, model: 'gpt-4o' });
    expect(completed.usage).toEqual({ inputTokens: 1000, outputTokens: 200, totalTokens: 1200 });
    expect(completed.cost).toBeCloseTo((1000 * 2.5 + 200 * 10) / 1_000_000, 8);

    const threadId = created.threadId;
    const stored = await messagesOf(app, user.cookie, threadId);
    expect(stored.map((message: any) => [message.role, message.content])).toEqual([
      ['user', 'What is the answer?'],
      ['assistant', tokensOf(first.events)],
    ]);

    app.fake.enqueueResponse({ text: 'Still 42.', usage: { input_tokens: 500, output_tokens: 100 } });
    await chatJson(app, user.cookie, { threadId, message: 'Sure?' }).expect(200);
    const thread = await threadOf(app, user.cookie, threadId);
    expect(thread).toMatchObject({ messageCount: 4, inputTokens: 1500, outputTokens: 300, totalTokens: 1800 });
    expect(thread.totalCost).toBeCloseTo((1500 * 2.5 + 300 * 10) / 1_000_000, 8);
  });

  it('answers in JSON with the documented shape', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'Hello there.', usage: { input_tokens: 10, output_tokens: 3 } });
    const response = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi' }).expect(200);
    expect(response.body).toMatchObject({
      threadId: expect.any(String),
      messageId: expect.any(String),
      userMessageId: expect.any(String),
      content: [{ type: 'text', text: 'Hello there.' }],
      citations: [],
      usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
      cost: expect.any(Number),
      title: null,
    });
  });

  it('keeps a quiet stream open with heartbeat comments', async () => {
    const quiet = await startTestApp({ fake: app.fake, database: app.database, env: { SSE_HEARTBEAT_MS: '100' } });
    try {
      const user = await chatUser(quiet);
      quiet.fake.enqueueResponse({ deltas: ['slow ', 'reply'], deltaDelayMs: 400 });
      const result = await postSse(`${quiet.baseUrl}/api/chat`, { cookie: user.cookie, body: { assistantId: user.assistant.id, message: 'Hi', stream: true } });
      expect(result.comments.filter((comment) => comment === 'heartbeat').length).toBeGreaterThanOrEqual(3);
      expect(tokensOf(result.events)).toBe('slow reply');
    } finally {
      await quiet.app.close();
    }
  });

  it('streams when the client asks with Accept: text/event-stream', async () => {
    const user = await chatUser(app);
    const result = await postSse(`${app.baseUrl}/api/chat`, { cookie: user.cookie, body: { assistantId: user.assistant.id, message: 'Hi' } });
    expect(result.events.at(-1)?.event).toBe('done');
  });

  it('relays each token as it arrives, uncompressed, to a client that accepts gzip', async () => {
    const user = await chatUser(app);
    const deltas = ['Each ', 'word ', 'in ', 'its ', 'own ', 'time.'];
    const delayMs = 150;
    app.fake.enqueueResponse({ deltas, deltaDelayMs: delayMs });
    const result = await postSse(`${app.baseUrl}/api/chat`, {
      cookie: user.cookie,
      headers: { 'accept-encoding': 'gzip' },
      body: { assistantId: user.assistant.id, message: 'Take your time', stream: true },
    });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-encoding')).toBeNull();
    const tokens = result.events.filter((event) => event.event === 'token');
    expect(tokens.map((token) => token.data.delta)).toEqual(deltas);
    // Buffered or compressed, the tokens would come together at the end; relayed, they keep the provider's pace.
    const spreadMs = tokens.at(-1)!.receivedAt - tokens[0].receivedAt;
    expect(spreadMs).toBeGreaterThanOrEqual(((deltas.length - 1) * delayMs) / 2);
  });

  it("sends the assistant's instructions and model, the history in order, file_search with its vector store, and images", async () => {
    const user = await chatUser(app, { model: 'gpt-4.1', instructions: 'You are a librarian.', tools: [{ type: 'retrieval' }], temperature: 0.2 });
    const document = await uploadFile(app.baseUrl, user.cookie, minimalPdf('Shelf rules'), 'rules.pdf', { assistantId: user.assistant.id });
    await waitForFileStatus(app.baseUrl, user.cookie, document.fileIds[0], 'ready');
    const vectorStoreId = (await request(app.baseUrl).get(`/api/assistants/${user.assistant.id}`).set('Cookie', user.cookie)).body.vectorStoreId;
    expect(vectorStoreId).toMatch(/^vs_/);

    app.fake.enqueueResponse({ text: 'First answer.' }, { text: 'Second answer.' }, { text: 'I see a pixel.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'First question' }).expect(200);
    const threadId = first.body.threadId;
    await chatJson(app, user.cookie, { threadId, message: 'Second question' }).expect(200);
    const image = await uploadFile(app.baseUrl, user.cookie, minimalPng(), 'pixel.png');
    await chatJson(app, user.cookie, { threadId, message: 'What is in this picture?', fileIds: image.fileIds }).expect(200);

    const sent = responseRequests(app).at(-1);
    expect(sent.model).toBe('gpt-4.1');
    expect(sent.instructions).toBe('You are a librarian.');
    expect(sent.temperature).toBe(0.2);
    expect(sent.tools).toEqual([{ type: 'file_search', vector_store_ids: [vectorStoreId] }]);
    const texts = sent.input.map((item: any) => (typeof item.content === 'string' ? item.content : item.content[0].text));
    expect(texts).toEqual(['First question', 'First answer.', 'Second question', 'Second answer.', 'What is in this picture?']);
    expect(sent.input.map((item: any) => item.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(sent.input.at(-1).content).toEqual([
      { type: 'input_text', text: 'What is in this picture?' },
      { type: 'input_image', file_id: expect.stringMatching(/^file-/), detail: 'auto' },
    ]);
    // By reference: the image went to OpenAI Files once, for vision.
    const copy = app.fake.files.get(sent.input.at(-1).content[1].file_id)!;
    expect(copy).toMatchObject({ purpose: 'vision', contentType: 'image/png', bytes: minimalPng() });
  });

  it('still sends an image attached to an earlier message as an input_image part in later turns', async () => {
    const user = await chatUser(app);
    const image = await uploadFile(app.baseUrl, user.cookie, minimalPng(), 'pixel.png');
    app.fake.enqueueResponse({ text: 'A single pixel.' }, { text: 'It is white.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'What is this?', fileIds: image.fileIds }).expect(200);
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'What colour is it?' }).expect(200);

    const input = responseRequests(app).at(-1).input;
    expect(input.map((item: any) => item.role)).toEqual(['user', 'assistant', 'user']);
    const firstInput = responseRequests(app).at(-2).input;
    expect(input[0].content).toEqual([
      { type: 'input_text', text: 'What is this?' },
      { type: 'input_image', file_id: firstInput[0].content[1].file_id, detail: 'auto' },
    ]);
    expect(app.fake.files.get(input[0].content[1].file_id)?.bytes).toEqual(minimalPng());
    expect(input[1].content).toBe('A single pixel.');
    expect(input[2].content).toBe('What colour is it?');
  });

  it('applies validated per-turn overrides of model, temperature and output length', async () => {
    const user = await chatUser(app);
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi', model: 'gpt-4o-mini', temperature: 1.5, maxOutputTokens: 64 }).expect(200);
    expect(responseRequests(app).at(-1)).toMatchObject({ model: 'gpt-4o-mini', temperature: 1.5, max_output_tokens: 64 });
    const invalid = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi', temperature: 3, maxOutputTokens: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((detail: any) => detail.field).sort()).toEqual(['maxOutputTokens', 'temperature']);
  });

  it('refuses a model override that is empty or not a model id, naming the field', async () => {
    const user = await chatUser(app);
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi' }).expect(200);
    const sent = responseRequests(app).length;
    for (const model of ['', '   ', 'gpt 4o', 'gpt-4o;drop']) {
      const refused = await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'Hi again', model });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      expect(fieldsOf(refused)).toEqual(['model']);
    }
    const run = await request(app.baseUrl).post(`/api/threads/${first.body.threadId}/run`).set('Cookie', user.cookie).send({ stream: false, model: 'gpt 4o' });
    expect(run.status).toBe(400);
    expect(fieldsOf(run)).toEqual(['model']);
    expect(responseRequests(app)).toHaveLength(sent);
    expect(await messagesOf(app, user.cookie, first.body.threadId)).toHaveLength(2);
  });

  it('cites the source files of file_search by their platform id and name', async () => {
    const user = await chatUser(app, { tools: ['file_search'] });
    const document = await uploadFile(app.baseUrl, user.cookie, minimalPdf('Policy'), 'policy.pdf', { assistantId: user.assistant.id });
    const stored = await waitForFileStatus(app.baseUrl, user.cookie, document.fileIds[0], 'ready');
    const upstreamId = [...app.fake.files.values()].find((file) => file.filename === 'policy.pdf')?.id;
    app.fake.enqueueResponse({ text: 'See the policy.', fileSearch: { queries: ['policy'] }, citations: [{ file_id: upstreamId!, filename: 'policy.pdf', index: 8 }] });
    const reply = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'What does the policy say?' }).expect(200);
    const cited = [{ fileId: stored.id, filename: 'policy.pdf', index: 8 }];
    expect(reply.body.citations).toEqual(cited);

    app.fake.enqueueResponse({ deltas: ['It ', 'is ', 'in ', 'the ', 'policy.'], fileSearch: { queries: ['policy'] }, citations: [{ file_id: upstreamId!, filename: 'policy.pdf', index: 3 }] });
    const streamed = await postSse(`${app.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { threadId: reply.body.threadId, message: 'Where again?', stream: true },
    });
    const completed = streamed.events.find((event) => event.event === 'message_completed');
    const citedAgain = [{ fileId: stored.id, filename: 'policy.pdf', index: 3 }];
    expect(completed?.data.message.citations).toEqual(citedAgain);

    const replies = (await messagesOf(app, user.cookie, reply.body.threadId)).filter((message: any) => message.role === 'assistant');
    expect(replies.map((message: any) => [message.content, message.citations])).toEqual([
      ['See the policy.', cited],
      ['It is in the policy.', citedAgain],
    ]);
  });

  it('starts new threads with the default assistant (without one: a chat without assistant), and refuses an inactive one', async () => {
    const user = await chatUser(app);
    const none = await chatJson(app, user.cookie, { message: 'Hi' }).expect(200);
    expect((await threadOf(app, user.cookie, none.body.threadId)).assistantId).toBeNull();
    await request(app.baseUrl).post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(200);
    const withDefault = await chatJson(app, user.cookie, { message: 'Hi' }).expect(200);
    expect((await threadOf(app, user.cookie, withDefault.body.threadId)).assistantId).toBe(user.assistant.id);

    await request(app.baseUrl).patch(`/api/assistants/${user.assistant.id}`).set('Cookie', user.cookie).send({ isActive: false }).expect(200);
    const inactive = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hi' });
    expect(inactive.status).toBe(400);
    expect(inactive.body.code).toBe('assistant_inactive');
  });

  it("stores a chat message's replyToId, and refuses one from the user's other thread without storing anything", async () => {
    const user = await chatUser(app);
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'First thread' }).expect(200);
    const other = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Other thread' }).expect(200);
    const threadId = first.body.threadId;
    const answered = await chatJson(app, user.cookie, { threadId, message: 'Back to my question', replyToId: first.body.userMessageId }).expect(200);
    const stored = await messagesOf(app, user.cookie, threadId);
    expect(stored.map((message: any) => [message.id, message.role, message.replyToId])).toEqual([
      [first.body.userMessageId, 'user', null],
      [first.body.messageId, 'assistant', first.body.userMessageId],
      [answered.body.userMessageId, 'user', first.body.userMessageId],
      [answered.body.messageId, 'assistant', answered.body.userMessageId],
    ]);

    const sent = responseRequests(app).length;
    const foreign = other.body.userMessageId;
    const refused = await chatJson(app, user.cookie, { threadId, message: 'Crossing threads', replyToId: foreign });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ code: 'not_found', details: [{ field: 'replyToId' }] });
    // Refused as adding the same message to the thread is.
    const added = await request(app.baseUrl)
      .post(`/api/threads/${threadId}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'Crossing threads', replyToId: foreign });
    expect([added.status, added.body]).toEqual([refused.status, refused.body]);
    // A new thread has nothing to reply to: none is started.
    const unthreaded = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Crossing threads', replyToId: foreign });
    expect(unthreaded.status).toBe(404);
    expect(unthreaded.body).toMatchObject({ code: 'not_found', details: [{ field: 'replyToId' }] });

    expect(responseRequests(app)).toHaveLength(sent);
    expect((await messagesOf(app, user.cookie, threadId)).map((message: any) => message.id)).toEqual(stored.map((message: any) => message.id));
    expect(await messagesOf(app, user.cookie, other.body.threadId)).toHaveLength(2);
    const threads = await request(app.baseUrl).get('/api/threads').set('Cookie', user.cookie).expect(200);
    expect(threads.headers['x-total-count']).toBe('2');
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM runs WHERE user_id = $1', [user.userId]);
    expect(count).toBe(3);
  });

  it('lets one run at a time per thread: a second chat gets 409 and nothing interleaves', async () => {
    const user = await chatUser(app);
    const start = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Start' }).expect(200);
    const threadId = start.body.threadId;
    app.fake.enqueueResponse({ tokens: 12, deltaDelayMs: 40 });
    let second: request.Response | undefined;
    const streaming = postSse(`${app.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { threadId, message: 'Long one', stream: true },
      abortWhen: () => false,
    });
    await waitForRunningRun(app, threadId);
    second = await chatJson(app, user.cookie, { threadId, message: 'Interrupting' });
    const added = await request(app.baseUrl).post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'Also' });
    const result = await streaming;
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('run_in_progress');
    expect(added.status).toBe(409);
    expect(result.events.at(-2)?.event).toBe('message_completed');
    const messages = await messagesOf(app, user.cookie, threadId);
    expect(messages.map((message: any) => [message.role, message.role === 'user' ? message.content : 'reply'])).toEqual([
      ['user', 'Start'],
      ['assistant', 'reply'],
      ['user', 'Long one'],
      ['assistant', 'reply'],
    ]);
    await chatJson(app, user.cookie, { threadId, message: 'Now it is free' }).expect(200);
  });

  it('keeps a message that lands between the turn\'s first reads and its claim off the turn\'s branch', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'First answer.' }, { text: 'Second answer.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'First question' }).expect(200);
    const threadId = first.body.threadId;
    // Holds the thread's row: the turn reads its scope and history, then waits at its claim.
    const blocker = new pg.Client({ connectionString: app.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM threads WHERE id = $1 FOR UPDATE', [threadId]);
      const turn = chatJson(app, user.cookie, { threadId, message: 'Second question' }).then((response) => response);
      await eventually(async () => {
        // Inside a transaction the activity view is a snapshot: clear it before each look.
        await blocker.query('SELECT pg_stat_clear_snapshot()');
        const rows = await blocker.query(
          "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO runs%' AND datname = current_database()",
        );
        return rows.rowCount ? true : undefined;
      });
      // Added at the end of the active branch, as the one message writer would.
      const [note] = (
        await blocker.query(
          `INSERT INTO messages (thread_id, user_id, parent_id, depth, role, content, status)
           VALUES ($1, $2, $3, 3, 'assistant', 'A note that landed meanwhile.', 'completed') RETURNING id`,
          [threadId, user.userId, first.body.messageId],
        )
      ).rows;
      await blocker.query('UPDATE threads SET message_count = 3, tree_size = tree_size + 1, active_leaf_id = $2 WHERE id = $1', [threadId, note.id]);
      await blocker.query('COMMIT');
      expect((await turn).status).toBe(200);
    } finally {
      await blocker.end();
    }
    // The question had its place under the leaf the turn's statement saw: the note landed beside it, on a branch of
    // its own, and the turn answers the question's branch.
    const texts = responseRequests(app).at(-1).input.map((item: any) => item.content);
    expect(texts).toEqual(['First question', 'First answer.', 'Second question']);
    const shown = await messagesOf(app, user.cookie, threadId);
    expect(shown.map((message: any) => [message.content, message.siblingCount])).toEqual([
      ['First question', 1],
      ['First answer.', 1],
      ['Second question', 2],
      ['Second answer.', 1],
    ]);
    expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 4 });
  });

  it('takes over a thread whose run stopped sending heartbeats', async () => {
    const user = await chatUser(app);
    const start = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Start' }).expect(200);
    const threadId = start.body.threadId;
    const [dead] = await app.dataSource.query(
      `INSERT INTO runs (thread_id, user_id, kind, status, heartbeat_at) VALUES ($1, $2, 'chat', 'running', now() - interval '1 hour') RETURNING id`,
      [threadId, user.userId],
    );
    await chatJson(app, user.cookie, { threadId, message: 'After a crash' }).expect(200);
    const [abandoned] = await app.dataSource.query('SELECT status, error_code FROM runs WHERE id = $1', [dead.id]);
    expect(abandoned).toEqual({ status: 'failed', error_code: 'abandoned' });
  });

  it('regenerates: the old reply is kept as a sibling of the new one, off the active branch and out of the next request', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ text: 'A weak answer.' });
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Explain tides' }).expect(200);
    const threadId = first.body.threadId;
    app.fake.enqueueResponse({ deltas: ['A ', 'better ', 'answer.'] });
    const regenerated = await postSse(`${app.baseUrl}/api/threads/${threadId}/regenerate`, { cookie: user.cookie, body: { stream: true } });
    expect(tokensOf(regenerated.events)).toBe('A better answer.');
    const regenerateRequest = responseRequests(app).at(-1);
    expect(JSON.stringify(regenerateRequest.input)).not.toContain('A weak answer.');

    const messages = await messagesOf(app, user.cookie, threadId);
    expect(messages.map((message: any) => [message.content, message.status, message.siblingCount, message.siblingIndex])).toEqual([
      ['Explain tides', 'completed', 1, 1],
      ['A better answer.', 'completed', 2, 2],
    ]);
    expect(messages[1]).toMatchObject({ replyToId: messages[0].id, parentId: messages[0].id });
    expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 2 });
    const [kept] = await app.dataSource.query('SELECT status, parent_id FROM messages WHERE id = $1', [first.body.messageId]);
    expect(kept).toEqual({ status: 'completed', parent_id: messages[0].id });

    await chatJson(app, user.cookie, { threadId, message: 'And the moon?' }).expect(200);
    const next = JSON.stringify(responseRequests(app).at(-1).input);
    expect(next).not.toContain('A weak answer.');
    expect(next).toContain('A better answer.');
  });

  it('cancels a reply: the partial text is kept as cancelled and the thread is free', async () => {
    const user = await chatUser(app);
    app.fake.enqueueResponse({ tokens: 50, deltaDelayMs: 40 });
    let threadId = '';
    let cancel: Promise<request.Response> | undefined;
    const streamed = await postSse(`${app.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: user.assistant.id, message: 'Count slowly', stream: true },
      abortWhen: (event, events) => {
        if (event.event === 'message_created') threadId = event.data.message.threadId;
        if (!cancel && events.filter((candidate) => candidate.event === 'token').length === 3) {
          // then() sends the request now, while the reply is still streaming.
          cancel = request(app.baseUrl)
            .post(`/api/threads/${threadId}/cancel`)
            .set('Cookie', user.cookie)
            .send()
            .then((response) => response);
        }
        return false;
      },
    });
    const cancelled = await cancel!;
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', runId: expect.any(String) });
    const completed = streamed.events.find((event) => event.event === 'message_completed');
    expect(completed?.data.message).toMatchObject({ status: 'cancelled', statusReason: 'cancelled' });
    expect(streamed.events.at(-1)?.event).toBe('done');
    expect(completed?.data.message.content).toBe(tokensOf(streamed.events));
    expect(app.fake.requestsTo('POST', '/v1/responses').at(-1)?.aborted).toBe(true);
    const again = await request(app.baseUrl).post(`/api/threads/${threadId}/cancel`).set('Cookie', user.cookie).send();
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('no_run_in_progress');
    await chatJson(app, user.cookie, { threadId, message: 'Next' }).expect(200);
  });

  it('runs the assistant on a thread as it stands', async () => {
    const user = await chatUser(app);
    const thread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
    const empty = await request(app.baseUrl).post(`/api/threads/${thread.body.id}/run`).set('Cookie', user.cookie).send({});
    expect(empty.status).toBe(400);
    await request(app.baseUrl).post(`/api/threads/${thread.body.id}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'Added without running' }).expect(201);
    app.fake.enqueueResponse({ text: 'Answering the added message.' });
    const run = await request(app.baseUrl).post(`/api/threads/${thread.body.id}/run`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
    expect(run.body.content[0].text).toBe('Answering the added message.');
    expect(JSON.stringify(responseRequests(app).at(-1).input)).toContain('Added without running');
  });

  describe('with a short stale timeout', () => {
    const STALE_AFTER_SECONDS = 1;
    let quick: TestApp;

    beforeAll(async () => {
      // A live run's heartbeat beats every third of the timeout.
      quick = await startTestApp({ fake: app.fake, database: app.database, env: { RUN_STALE_AFTER_SECONDS: String(STALE_AFTER_SECONDS) } });
    });

    afterAll(async () => {
      await quick?.app.close();
    });

    it('keeps a live run that streams for longer than the timeout: a second chat still gets 409', async () => {
      const user = await chatUser(quick);
      const start = await chatJson(quick, user.cookie, { assistantId: user.assistant.id, message: 'Start' }).expect(200);
      const threadId = start.body.threadId;
      quick.fake.enqueueResponse({ tokens: 30, deltaDelayMs: 100 });
      const streaming = postSse(`${quick.baseUrl}/api/chat`, { cookie: user.cookie, body: { threadId, message: 'Long one', stream: true } });
      // Only the heartbeat can keep a run this old from being taken for dead.
      await waitForRunningRun(quick, threadId, STALE_AFTER_SECONDS * 1500);
      const second = await chatJson(quick, user.cookie, { threadId, message: 'Interrupting' });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('run_in_progress');

      const result = await streaming;
      expect(result.events.map((event) => event.event).slice(-2)).toEqual(['message_completed', 'done']);
      expect(result.events.at(-2)!.data.message).toMatchObject({ status: 'completed', content: tokensOf(result.events) });
      expect(result.events.at(-2)!.receivedAt - result.events[0].receivedAt).toBeGreaterThan(STALE_AFTER_SECONDS * 1000);
      const messages = await messagesOf(quick, user.cookie, threadId);
      expect(messages.map((message: any) => [message.role, message.status])).toEqual([
        ['user', 'completed'],
        ['assistant', 'completed'],
        ['user', 'completed'],
        ['assistant', 'completed'],
      ]);
    });

    it('cancels a JSON chat: the answer and the stored reply keep the partial text as cancelled', async () => {
      const user = await chatUser(quick);
      const thread = await request(quick.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
      const threadId = thread.body.id;
      const deltas = Array.from({ length: 40 }, (_, index) => `word${index} `);
      quick.fake.enqueueResponse({ deltas, deltaDelayMs: 100 });
      // then() sends the request now; the answer comes once the turn ends.
      const answer = chatJson(quick, user.cookie, { threadId, message: 'Count slowly in JSON' }).then((response) => response);
      // The heartbeat saves the text so far: once some is saved, the reply has begun.
      const saved = await eventually(async () => {
        const rows = await quick.dataSource.query(
          `SELECT content FROM messages WHERE thread_id = $1 AND role = 'assistant' AND status = 'streaming' AND content <> ''`,
          [threadId],
        );
        return rows[0]?.content as string | undefined;
      });
      const cancelled = await request(quick.baseUrl).post(`/api/threads/${threadId}/cancel`).set('Cookie', user.cookie).send();
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', runId: expect.any(String) });

      const response = await answer;
      expect(response.status).toBe(200);
      const text = response.body.content[0].text;
      expect(response.body).toMatchObject({
        threadId,
        messageId: expect.any(String),
        userMessageId: expect.any(String),
        content: [{ type: 'text', text }],
        status: 'cancelled',
        message: { status: 'cancelled', statusReason: 'cancelled', content: text },
      });
      expect(text.startsWith(saved)).toBe(true);
      expect(text.length).toBeLessThan(deltas.join('').length);
      await quick.fake.waitFor((entry) => entry.path === '/v1/responses' && entry.aborted && JSON.stringify(entry.body).includes('Count slowly in JSON'), 1_000);

      const messages = await messagesOf(quick, user.cookie, threadId);
      expect(messages.map((message: any) => [message.id, message.role, message.content, message.status])).toEqual([
        [response.body.userMessageId, 'user', 'Count slowly in JSON', 'completed'],
        [response.body.messageId, 'assistant', text, 'cancelled'],
      ]);
      quick.fake.enqueueResponse({ text: 'Next answer.' });
      await chatJson(quick, user.cookie, { threadId, message: 'Next' }).expect(200);
    });

    it('takes over a run whose heartbeat went stale, keeping its half-written reply as incomplete (interrupted)', async () => {
      const user = await chatUser(quick);
      const start = await chatJson(quick, user.cookie, { assistantId: user.assistant.id, message: 'Start' }).expect(200);
      const threadId = start.body.threadId;
      // What a process that died mid-reply leaves: its question, the reply as its last heartbeat saved it, and the run,
      // whose heartbeat is past this instance's timeout (and well within the default one).
      const [question] = await quick.dataSource.query(
        `INSERT INTO messages (thread_id, user_id, parent_id, depth, role, content, status) VALUES ($1, $2, $3, 3, 'user', 'Before the crash', 'completed') RETURNING id`,
        [threadId, user.userId, start.body.messageId],
      );
      const [halfReply] = await quick.dataSource.query(
        `INSERT INTO messages (thread_id, user_id, parent_id, depth, role, content, status, reply_to_id)
         VALUES ($1, $2, $3, 4, 'assistant', 'Half a rep', 'streaming', $3) RETURNING id`,
        [threadId, user.userId, question.id],
      );
      await quick.dataSource.query('UPDATE threads SET message_count = 4, tree_size = tree_size + 2, active_leaf_id = $2 WHERE id = $1', [threadId, halfReply.id]);
      const [dead] = await quick.dataSource.query(
        `INSERT INTO runs (thread_id, user_id, kind, status, user_message_id, assistant_message_id, heartbeat_at)
         VALUES ($1, $2, 'chat', 'running', $3, $4, now() - make_interval(secs => $5)) RETURNING id`,
        [threadId, user.userId, question.id, halfReply.id, STALE_AFTER_SECONDS * 3],
      );

      quick.fake.enqueueResponse({ text: 'Back again.' });
      await chatJson(quick, user.cookie, { threadId, message: 'After the crash' }).expect(200);
      const [abandoned] = await quick.dataSource.query('SELECT status, error_code FROM runs WHERE id = $1', [dead.id]);
      expect(abandoned).toEqual({ status: 'failed', error_code: 'abandoned' });
      const messages = await messagesOf(quick, user.cookie, threadId);
      expect(messages.slice(2).map((message: any) => [message.content, message.status, message.statusReason])).toEqual([
        ['Before the crash', 'completed', null],
        ['Half a rep', 'incomplete', 'interrupted'],
        ['After the crash', 'completed', null],
        ['Back again.', 'completed', null],
      ]);
    });
  });

  describe('with small limits', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await startTestApp({ fake: app.fake, database: app.database, env: { CHAT_MAX_INPUT_CHARS: '20', RATE_LIMIT_CHAT_PER_MINUTE: '3' } });
    });

    afterAll(async () => {
      await limited?.app.close();
    });

    it('limits the input length of a chat message and of an added message alike, with the envelope', async () => {
      const user = await chatUser(limited);
      const long = await chatJson(limited, user.cookie, { assistantId: user.assistant.id, message: 'x'.repeat(21) });
      expect(long.status).toBe(400);
      expect(long.body).toMatchObject({ code: 'input_too_long', error: expect.any(String), details: [{ field: 'message', message: expect.any(String) }] });
      const fits = await chatJson(limited, user.cookie, { assistantId: user.assistant.id, message: 'x'.repeat(20) }).expect(200);
      const threadId = fits.body.threadId;

      for (const role of ['user', 'assistant']) {
        const added = await request(limited.baseUrl).post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role, content: 'y'.repeat(21) });
        expect(added.status).toBe(400);
        expect(added.body).toEqual({ code: 'input_too_long', error: long.body.error, details: [{ field: 'content', message: long.body.details[0].message }] });
      }
      await request(limited.baseUrl).post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'y'.repeat(20) }).expect(201);

      // Running the thread sends only what the limit let in.
      await request(limited.baseUrl).post(`/api/threads/${threadId}/run`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
      const sent = JSON.stringify(responseRequests(limited).at(-1).input);
      expect(sent).toContain('y'.repeat(20));
      expect(sent).not.toContain('y'.repeat(21));
    });

    it('limits chat turns per user, counting /run and /regenerate, and leaves other users alone', async () => {
      const user = await chatUser(limited);
      const other = await chatUser(limited);
      const first = await chatJson(limited, user.cookie, { assistantId: user.assistant.id, message: 'one' }).expect(200);
      const threadId = first.body.threadId;
      await request(limited.baseUrl).post(`/api/threads/${threadId}/run`).set('Cookie', user.cookie).send({ stream: false }).expect(200);
      await request(limited.baseUrl).post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }).expect(200);

      const refused = [
        await chatJson(limited, user.cookie, { threadId, message: 'four' }),
        await request(limited.baseUrl).post(`/api/threads/${threadId}/run`).set('Cookie', user.cookie).send({ stream: false }),
        await request(limited.baseUrl).post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({ stream: false }),
      ];
      for (const response of refused) {
        expect(response.status).toBe(429);
        expect(response.body).toMatchObject({ code: 'rate_limited', error: expect.any(String) });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
      // The refused turns stored nothing.
      expect((await messagesOf(limited, user.cookie, threadId)).map((message: any) => message.content)).not.toContain('four');

      await chatJson(limited, other.cookie, { assistantId: other.assistant.id, message: 'unaffected' }).expect(200);
    });
  });
});

describe('titles and summaries', () => {
  it('gives an untitled thread a generated title after the first exchange, and falls back to its first words', async () => {
    const app = await startTestApp({ fake: true, env: { AUTO_TITLES: 'true', TITLE_MODEL: 'title-model' } });
    try {
      const user = await chatUser(app);
      app.fake.setResponder((body) => (body.model === 'title-model' ? { text: '"Packing for Lisbon."' } : undefined));
      const streamed = await postSse(`${app.baseUrl}/api/chat`, {
        cookie: user.cookie,
        body: { assistantId: user.assistant.id, message: 'What should I pack for a weekend in Lisbon?', stream: true },
      });
      const titleEvent = streamed.events.find((event) => event.event === 'title');
      expect(titleEvent?.data).toEqual({ title: 'Packing for Lisbon' });
      expect(streamed.events.map((event) => event.event).slice(-3)).toEqual(['message_completed', 'title', 'done']);
      const threadId = streamed.events[0].data.message.threadId;
      expect((await threadOf(app, user.cookie, threadId)).title).toBe('Packing for Lisbon');
      expect(responseRequests(app, 'title-model')).toHaveLength(1);

      await chatJson(app, user.cookie, { threadId, message: 'And shoes?' }).expect(200);
      expect(responseRequests(app, 'title-model')).toHaveLength(1);

      app.fake.setResponder((body) => (body.model === 'title-model' ? { fault: { kind: 'server_error' } } : undefined));
      const fallback = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Compare   the two cheapest flights to Porto tomorrow morning' }).expect(200);
      expect(fallback.body.title).toBe('Compare the two cheapest flights to');
      expect((await threadOf(app, user.cookie, fallback.body.threadId)).title).toBe('Compare the two cheapest flights to');

      const named = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id, title: 'Mine' });
      await chatJson(app, user.cookie, { threadId: named.body.id, message: 'Keep my title' }).expect(200);
      expect((await threadOf(app, user.cookie, named.body.id)).title).toBe('Mine');
    } finally {
      await app.close();
    }
  });

  it('sends no title event when the title is not ready within TITLE_WAIT_MS, and stores the title once it comes', async () => {
    const app = await startTestApp({ fake: true, env: { AUTO_TITLES: 'true', TITLE_MODEL: 'title-model', TITLE_WAIT_MS: '200' } });
    const titleRequest = holdResponseFor(app, 'title-model', 2);
    try {
      const user = await chatUser(app);
      app.fake.setResponder((body) => (body.model === 'title-model' ? { text: 'Late title' } : undefined));
      const streaming = postSse(`${app.baseUrl}/api/chat`, {
        cookie: user.cookie,
        body: { assistantId: user.assistant.id, message: 'What should I pack for a weekend in Porto?', stream: true },
      });
      expect(await within(titleRequest.arrived, 5_000)).not.toBe('timed out');
      // The title is still held: the stream ends without it.
      const streamed = await within(streaming, 5_000);
      if (streamed === 'timed out') throw new Error('the stream waited for the title');
      const names = streamed.events.map((event) => event.event);
      expect(names).not.toContain('title');
      expect(names.slice(-2)).toEqual(['message_completed', 'done']);
      const threadId = streamed.events[0].data.message.threadId;
      expect((await threadOf(app, user.cookie, threadId)).title).toBeNull();

      titleRequest.release();
      await eventually(async () => ((await threadOf(app, user.cookie, threadId)).title === 'Late title' ? true : undefined));
      expect(responseRequests(app, 'title-model')).toHaveLength(1);
    } finally {
      titleRequest.release();
      await app.close();
    }
  });

  it('ends the reply at once while the summary call hangs, takes the next turn, and stores the summary once it comes', async () => {
    const app = await startSummaryApp(2, 4, 2);
    const summaryRequest = holdResponseFor(app, 'summary-model', 2);
    try {
      const user = await chatUser(app);
      app.fake.setResponder((body) => (body.model === 'summary-model' ? { text: 'SUMMARY' } : undefined));
      const threadId = await threadWithMessages(app, user, 4);
      const streaming = postSse(`${app.baseUrl}/api/chat`, { cookie: user.cookie, body: { threadId, message: 'message 4', stream: true } });
      const held = await within(summaryRequest.arrived, 5_000);
      if (held === 'timed out') throw new Error('no summary was asked for');
      expect(JSON.stringify((held.body as any).input)).toContain('message 0');

      const streamed = await within(streaming, 5_000);
      if (streamed === 'timed out') throw new Error('the reply waited for the summary');
      expect(streamed.events.map((event) => event.event).slice(-2)).toEqual(['message_completed', 'done']);
      expect(streamed.events.at(-2)!.data.message.status).toBe('completed');
      // The summary being written holds nothing: the thread answers its next turn meanwhile.
      const next = await within(chatJson(app, user.cookie, { threadId, message: 'message 6' }).then((response) => response), 5_000);
      if (next === 'timed out') throw new Error('the next turn waited for the summary');
      expect(next.status).toBe(200);
      expect((await threadOf(app, user.cookie, threadId)).summary).toBeNull();
      expect(responseRequests(app, 'summary-model')).toHaveLength(1);

      summaryRequest.release();
      await eventually(async () => ((await threadOf(app, user.cookie, threadId)).summary === 'SUMMARY' ? true : undefined));
    } finally {
      summaryRequest.release();
      await app.close();
    }
  });

  it('answers as usual when the summary call fails, and asks for the summary again on a later turn', async () => {
    const app = await startSummaryApp(2, 4, 2);
    try {
      const user = await chatUser(app);
      app.fake.setResponder((body) => (body.model === 'summary-model' ? { fault: { kind: 'server_error' } } : undefined));
      const threadId = await threadWithMessages(app, user, 4);
      app.fake.enqueueResponse({ text: 'message 5' });
      const streamed = await postSse(`${app.baseUrl}/api/chat`, { cookie: user.cookie, body: { threadId, message: 'message 4', stream: true } });
      expect(streamed.events.map((event) => event.event).slice(-2)).toEqual(['message_completed', 'done']);
      expect(streamed.events.at(-2)!.data.message.status).toBe('completed');
      await eventually(() => (app.logs.entries().some((line) => line.msg === 'summary refresh failed') ? true : undefined));
      expect((await threadOf(app, user.cookie, threadId)).summary).toBeNull();

      await chatJson(app, user.cookie, { threadId, message: 'message 6' }).expect(200);
      const turn = responseRequests(app).filter((body) => body.model !== 'summary-model').at(-1);
      // No summary covers the older messages: all of them are sent, none dropped.
      expect(turn.input.map((item: any) => item.content)).toEqual(Array.from({ length: 7 }, (_, index) => `message ${index}`));
      await eventually(() => (responseRequests(app, 'summary-model').length === 2 ? true : undefined));
    } finally {
      await app.close();
    }
  });

  it('sends a long thread whole until a summary covers it, then the summary and what it does not cover, refreshed on schedule', async () => {
    const app = await startSummaryApp(4, 10, 6);
    try {
      const user = await chatUser(app);
      let summaries = 0;
      app.fake.setResponder((body) => (body.model === 'summary-model' ? { text: `SUMMARY ${++summaries}` } : undefined));
      const threadId = await threadWithMessages(app, user, 200);
      await chatJson(app, user.cookie, { threadId, message: 'message 200' }).expect(200);
      const firstTurn = responseRequests(app).filter((body) => body.model !== 'summary-model').at(-1);
      expect(firstTurn.input.map((item: any) => item.content)).toEqual(Array.from({ length: 201 }, (_, index) => `message ${index}`));

      await eventually(async () => ((await threadOf(app, user.cookie, threadId)).summary === 'SUMMARY 1' ? true : undefined));
      const summaryRequest = responseRequests(app, 'summary-model')[0];
      expect(JSON.stringify(summaryRequest.input)).toContain('message 0');
      expect(JSON.stringify(summaryRequest.input)).not.toContain('message 199');

      await chatJson(app, user.cookie, { threadId, message: 'message 202' }).expect(200);
      const secondTurn = responseRequests(app).filter((body) => body.model !== 'summary-model').at(-1);
      expect(secondTurn.input[0]).toMatchObject({ role: 'developer', content: expect.stringContaining('SUMMARY 1') });
      // The summary covers up to the window it left (messages 198 to 200 and the first reply); those and the new one follow it.
      expect(secondTurn.input.slice(1).map((item: any) => item.content)).toEqual(['message 198', 'message 199', 'message 200', expect.any(String), 'message 202']);
      expect(summaries).toBe(1);

      // Six new messages since the summary (three turns) make it due again.
      await chatJson(app, user.cookie, { threadId, message: 'message 204' }).expect(200);
      await chatJson(app, user.cookie, { threadId, message: 'message 206' }).expect(200);
      await eventually(async () => ((await threadOf(app, user.cookie, threadId)).summary === 'SUMMARY 2' ? true : undefined));
      expect(JSON.stringify(responseRequests(app, 'summary-model')[1].input)).toContain('SUMMARY 1');
    } finally {
      await app.close();
    }
  });
});
