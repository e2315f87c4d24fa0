import OpenAI from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { FakeOpenAI } from '../support/fake-openai/index.js';

function messageText(response: Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

async function collectEvents(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function joinedDeltas(events: ResponseStreamEvent[]): string {
  return events.map((event) => (event.type === 'response.output_text.delta' ? event.delta : '')).join('');
}

describe('fake OpenAI: responses', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseUrl, maxRetries: 0 });
  });

  afterEach(() => {
    fake.assertNoSchemaViolations();
    fake.reset();
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('lists and retrieves models', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4.1-mini');
    await expect(client.models.retrieve('gpt-4.1-mini')).resolves.toMatchObject({ id: 'gpt-4.1-mini', object: 'model' });
    await expect(client.models.retrieve('no-such-model')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('answers a non-streamed request with a completed Response and usage', async () => {
    fake.enqueueResponse({ text: 'Paris is the capital of France.', usage: { input_tokens: 12, output_tokens: 7 } });

    const response = await client.responses.create({ model: 'gpt-4.1-mini', input: 'Capital of France?', instructions: 'Be brief' });

    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4.1-mini', instructions: 'Be brief' });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(response.output[0].id).toMatch(/^msg_/);
    expect(response.output_text).toBe('Paris is the capital of France.');
    expect(response.usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 19,
    });
  });

  it('gives a default multi-token reply with usage estimated from the input', async () => {
    const input = 'x'.repeat(400);
    const response = await client.responses.create({ model: 'gpt-4.1-mini', input });

    expect(response.output_text.split(' ').length).toBeGreaterThan(3);
    expect(response.usage?.input_tokens).toBe(100);
    expect(response.usage?.output_tokens).toBeGreaterThan(3);
  });

  it('streams the full event sequence through responses.create({ stream: true })', async () => {
    fake.enqueueResponse({ text: 'Streaming works fine today.' });

    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: 'Hi', stream: true });
    const events = await collectEvents(stream);

    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(4).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(joinedDeltas(events)).toBe('Streaming works fine today.');
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response.usage?.output_tokens).toBe(4);
  });

  it('streams exact scripted deltas, or a number of generated ones', async () => {
    fake.enqueueResponse({ deltas: ['Hel', 'lo', ', ', 'wor', 'ld'] }, { tokens: 40 });

    const scripted = await collectEvents(await client.responses.create({ model: 'gpt-4.1-mini', input: 'a', stream: true }));
    const generated = await collectEvents(await client.responses.create({ model: 'gpt-4.1-mini', input: 'b', stream: true }));

    expect(scripted.filter((event) => event.type === 'response.output_text.delta')).toHaveLength(5);
    expect(joinedDeltas(scripted)).toBe('Hello, world');
    expect(generated.filter((event) => event.type === 'response.output_text.delta')).toHaveLength(40);
  });

  it('streams through responses.stream() to a final response', async () => {
    fake.enqueueResponse({ text: 'A final answer with several tokens.' });

    const stream = client.responses.stream({ model: 'gpt-4.1-mini', input: 'Question?' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();

    expect(deltas.join('')).toBe('A final answer with several tokens.');
    expect(final.status).toBe('completed');
    expect(messageText(final)).toBe('A final answer with several tokens.');
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('paces deltas with firstDeltaDelayMs and deltaDelayMs', async () => {
    fake.enqueueResponse({ tokens: 3, firstDeltaDelayMs: 60, deltaDelayMs: 20 });

    const started = Date.now();
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: 'slow', stream: true });
    const arrivals: number[] = [];
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') arrivals.push(Date.now() - started);
    }

    // Lower bounds from the request's start (timers may fire up to ~5 ms early): a busy machine only
    // makes events later, and may deliver the first late and the next ones together, so gaps between
    // arrivals prove nothing; the third delta arriving 2 × 20 ms after the first could not be sooner.
    expect(arrivals[0]).toBeGreaterThanOrEqual(55);
    expect(arrivals[2]).toBeGreaterThanOrEqual(95);
  });

  it('adds a file_search_call item before the message and file citations', async () => {
    const citations = [
      { file_id: 'file-abc', filename: 'handbook.pdf', index: 5 },
      { file_id: 'file-def', filename: 'faq.md', index: 20 },
    ];
    fake.enqueueResponse({ text: 'Leave is 25 days per year.', fileSearch: { queries: ['annual leave'] }, citations });
    fake.enqueueResponse({ text: 'Leave is 25 days per year.', fileSearch: { queries: ['annual leave'] }, citations });
    const request = {
      model: 'gpt-4.1-mini',
      input: 'How much leave?',
      tools: [{ type: 'file_search' as const, vector_store_ids: ['vs_1'] }],
    };

    const events = await collectEvents(await client.responses.create({ ...request, stream: true }));
    const response = await client.responses.create(request);

    const types = events.map((event) => event.type);
    expect(types.slice(2, 7)).toEqual([
      'response.output_item.added',
      'response.file_search_call.in_progress',
      'response.file_search_call.searching',
      'response.file_search_call.completed',
      'response.output_item.done',
    ]);
    const annotations = events.flatMap((event) => (event.type === 'response.output_text.annotation.added' ? [event] : []));
    expect(annotations.map((event) => event.annotation)).toEqual(citations.map((citation) => ({ type: 'file_citation', ...citation })));
    expect(annotations.map((event) => event.annotation_index)).toEqual([0, 1]);
    const [searchCall, message] = response.output;
    expect(searchCall).toMatchObject({ type: 'file_search_call', status: 'completed', queries: ['annual leave'] });
    expect(searchCall.id).toMatch(/^fs_/);
    expect(message.type === 'message' && message.content[0]).toMatchObject({
      type: 'output_text',
      annotations: citations.map((citation) => ({ type: 'file_citation', ...citation })),
    });
  });

  it('keeps many concurrent unpaced streams intact', async () => {
    fake.setDefaultResponse({ tokens: 500 });
    const expected = (await client.responses.create({ model: 'gpt-4.1-mini', input: 'reference' })).output_text;

    const texts = await Promise.all(
      Array.from({ length: 40 }, async () =>
        joinedDeltas(await collectEvents(await client.responses.create({ model: 'gpt-4.1-mini', input: 'x', stream: true }))),
      ),
    );

    expect(new Set(texts)).toEqual(new Set([expected]));
  });

  it('takes scripts from the responder first, then the queue, then the default', async () => {
    fake.setResponder((body) => (body.model === 'gpt-4o-mini' ? { text: 'A title' } : undefined));
    fake.enqueueResponse({ text: 'first queued' }, { text: 'second queued' });
    fake.setDefaultResponse({ text: 'the default' });
    const reply = async (model: string) => (await client.responses.create({ model, input: 'x' })).output_text;

    expect(await reply('gpt-4.1-mini')).toBe('first queued');
    expect(await reply('gpt-4o-mini')).toBe('A title');
    expect(await reply('gpt-4.1-mini')).toBe('second queued');
    expect(await reply('gpt-4.1-mini')).toBe('the default');
  });
});
