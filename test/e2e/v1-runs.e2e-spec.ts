import OpenAI from 'openai';
import request from 'supertest';
import { chatUser, responseRequests, waitForRunningRun, waitUntilFree } from '../support/chat-helpers.js';
import { apiToken, messageText, platformClient, schemaViolations, uuidOf, v1Suite } from '../support/openai-wire/v1-client.js';
import { WireSchemas, type CheckedAnswer } from '../support/openai-wire/wire-schemas.js';

describe('/v1 runs (OpenAI Assistants API wire format)', () => {
  const suite = v1Suite();

  const signedIn = async () => {
    const user = await chatUser(suite.app, { instructions: 'Answer briefly.' });
    const token = await apiToken(suite.app, user.cookie);
    const client = platformClient(suite.app, token, suite.answers);
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o-mini', name: 'Runner', instructions: 'Be terse.' });
    return { ...user, token, client, assistantId: assistant.id };
  };

  it('runs a thread in the background (createAndPoll), with the same turn machinery as /api, and lists and retrieves the run', async () => {
    const { client, assistantId, cookie } = await signedIn();
    suite.app.fake.enqueueResponse({ text: 'Four, of course.' });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'What is 2 + 2?' }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistantId }, { pollIntervalMs: 50 });
    expect(run).toMatchObject({ id: expect.stringMatching(/^run_[0-9a-f]{32}$/), object: 'thread.run', thread_id: thread.id, assistant_id: assistantId, status: 'completed', model: 'gpt-4o-mini', instructions: 'Be terse.' });
    expect(run.usage).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) });
    expect(run.completed_at).toEqual(expect.any(Number));

    const messages = await client.beta.threads.messages.list(thread.id, { order: 'asc' });
    expect(messages.data.map((message) => [message.role, messageText(message), message.assistant_id])).toEqual([
      ['user', 'What is 2 + 2?', null],
      ['assistant', 'Four, of course.', assistantId],
    ]);
    // The platform's own turn answered it: the assistant's instructions went upstream.
    const [sent] = responseRequests(suite.app).slice(-1);
    expect(JSON.stringify(sent)).toContain('Be terse.');
    // The thread now has the run's assistant under /api too.
    const apiThread = (await request(suite.app.baseUrl).get(`/api/threads/${uuidOf(thread.id)}`).set('Cookie', cookie).expect(200)).body;
    expect(apiThread.assistantId).toBe(uuidOf(assistantId));

    expect(await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).toEqual(run);
    const listed = await client.beta.threads.runs.list(thread.id);
    expect(listed.data.map((entry) => entry.id)).toEqual([run.id]);
  });

  it('streams the official run events and ends with done', async () => {
    const { client, assistantId } = await signedIn();
    suite.app.fake.enqueueResponse({ text: 'Streaming works fine.', deltaDelayMs: 2 });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Stream please' }] });
    const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    const events: string[] = [];
    const streamed: CheckedAnswer[] = [];
    let deltas = '';
    for await (const event of stream) {
      events.push(event.event);
      // Each event's data is the official object its name announces.
      const component = event.event.startsWith('thread.run.') ? 'RunObject' : event.event === 'thread.message.delta' ? 'MessageDeltaObject' : 'MessageObject';
      streamed.push({ method: 'POST', path: `event ${event.event}`, status: 200, component, violations: WireSchemas.shared().violations(component, event.data) });
      if (event.event === 'thread.message.delta') deltas += (event.data.delta.content?.[0] as { text?: { value?: string } }).text?.value ?? '';
    }
    const distinct = events.filter((event, index) => event !== events[index - 1]);
    expect(distinct).toEqual(['thread.run.created', 'thread.run.in_progress', 'thread.message.created', 'thread.message.delta', 'thread.message.completed', 'thread.run.completed']);
    expect(deltas).toBe('Streaming works fine.');
    expect(streamed.length).toBeGreaterThanOrEqual(6);
    expect(schemaViolations(streamed)).toEqual([]);
    const final = await stream.finalRun();
    expect(final.status).toBe('completed');
    expect(messageText((await stream.finalMessages())[0])).toBe('Streaming works fine.');
    // What the SDK read as a run is the stored run.
    expect((await client.beta.threads.runs.retrieve(final.id, { thread_id: thread.id })).status).toBe('completed');
  });

  it('creates a thread and runs it in one request, and cancels a run that is still answering', async () => {
    const { client, assistantId } = await signedIn();
    suite.app.fake.enqueueResponse({ text: 'First answer.' });
    const run = await client.beta.threads.createAndRunPoll({ assistant_id: assistantId, thread: { messages: [{ role: 'user', content: 'Hi' }], metadata: { via: 'sdk' } } }, { pollIntervalMs: 50 });
    expect(run.status).toBe('completed');
    expect((await client.beta.threads.retrieve(run.thread_id)).metadata).toEqual({ via: 'sdk' });

    suite.app.fake.enqueueResponse({ tokens: 400, deltaDelayMs: 20 });
    await client.beta.threads.messages.create(run.thread_id, { role: 'user', content: 'Tell me a long story' });
    const slow = await client.beta.threads.runs.create(run.thread_id, { assistant_id: assistantId });
    expect(['queued', 'in_progress']).toContain(slow.status);
    await waitForRunningRun(suite.app, uuidOf(run.thread_id));
    // One run at a time per thread.
    const second = await client.beta.threads.runs.create(run.thread_id, { assistant_id: assistantId }).catch((caught: unknown) => caught);
    expect(second).toBeInstanceOf(OpenAI.ConflictError);
    const cancelled = await client.beta.threads.runs.cancel(slow.id, { thread_id: run.thread_id });
    expect(['cancelled', 'cancelling']).toContain(cancelled.status);
    await waitUntilFree(suite.app, uuidOf(run.thread_id));
    expect((await client.beta.threads.runs.retrieve(slow.id, { thread_id: run.thread_id })).status).toBe('cancelled');
    const again = await client.beta.threads.runs.cancel(slow.id, { thread_id: run.thread_id }).catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(OpenAI.BadRequestError);
    const all = await client.beta.threads.runs.list(run.thread_id, { order: 'asc' });
    expect(all.data.map((entry) => entry.id)).toEqual([run.id, slow.id]);
  });

  it("refuses what it cannot honour before anything runs, another user's objects are 404, and a token without chat cannot run", async () => {
    const owner = await signedIn();
    const intruder = await signedIn();
    const thread = await owner.client.beta.threads.create({ messages: [{ role: 'user', content: 'Mine' }] });
    const before = suite.app.fake.requestsTo('POST', '/v1/responses').length;
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ assistant_id: owner.assistantId, instructions: 'Override' }, 'instructions'],
      [{ assistant_id: owner.assistantId, tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools'],
      [{ assistant_id: owner.assistantId, metadata: { a: 'b' } }, 'metadata'],
      [{ assistant_id: owner.assistantId, response_format: { type: 'json_object' } }, 'response_format'],
      [{ assistant_id: owner.assistantId, additional_messages: [{ role: 'user', content: '' }] }, 'additional_messages[0].content'],
    ];
    for (const [body, param] of bad) {
      const error = await owner.client.beta.threads.runs.create(thread.id, body as never).catch((caught: unknown) => caught);
      expect({ param, error }).toEqual({ param, error: expect.any(OpenAI.BadRequestError) });
      expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ param });
    }
    for (const attempt of [
      () => intruder.client.beta.threads.runs.create(thread.id, { assistant_id: intruder.assistantId }),
      () => owner.client.beta.threads.runs.create(thread.id, { assistant_id: intruder.assistantId }),
      () => intruder.client.beta.threads.runs.list(thread.id),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    }
    const readWrite = platformClient(suite.app, await apiToken(suite.app, owner.cookie, ['read', 'write']), suite.answers);
    const refused = await readWrite.beta.threads.runs.create(thread.id, { assistant_id: owner.assistantId }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(suite.app.fake.requestsTo('POST', '/v1/responses').length).toBe(before);
    expect((await owner.client.beta.threads.runs.list(thread.id)).data).toEqual([]);
  });
});
