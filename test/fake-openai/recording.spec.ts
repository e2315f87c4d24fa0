import OpenAI, { toFile } from 'openai';
import { FakeOpenAI, type MultipartBody } from '../support/fake-openai/index.js';

describe('fake OpenAI: recorded requests', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
    client = new OpenAI({ apiKey: 'sk-test-recording', baseURL: fake.baseUrl, maxRetries: 0 });
  });

  afterEach(() => {
    fake.assertNoSchemaViolations();
    fake.reset();
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('records method, path, query, headers and the parsed JSON body', async () => {
    await client.responses.create({ model: 'gpt-4.1-mini', input: 'Hello', instructions: 'Be kind' });
    await client.files.list({ purpose: 'assistants' });

    const [responseRequest] = fake.requestsTo('POST', '/v1/responses');
    expect(responseRequest).toMatchObject({
      method: 'POST',
      path: '/v1/responses',
      body: { model: 'gpt-4.1-mini', input: 'Hello', instructions: 'Be kind' },
      aborted: false,
      status: 200,
    });
    expect(responseRequest.headers.authorization).toBe('Bearer sk-test-recording');
    expect(responseRequest.receivedAt).toBeLessThanOrEqual(responseRequest.endedAt ?? 0);
    expect(fake.requestsTo('GET', '/v1/files')[0].query).toEqual({ purpose: 'assistants' });
    expect(fake.requests.map((request) => request.id)).toEqual([1, 2]);
  });

  it('records multipart uploads as fields and file parts', async () => {
    await client.files.create({ file: await toFile(Buffer.from('%PDF-1.7'), 'doc.pdf', { type: 'application/pdf' }), purpose: 'assistants' });

    const body = fake.requestsTo('POST', '/v1/files')[0].body as MultipartBody;
    expect(body.fields).toEqual({ purpose: 'assistants' });
    expect(body.files).toEqual([{ field: 'file', filename: 'doc.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.7') }]);
  });

  it('records a client abort mid-stream within a second', async () => {
    fake.enqueueResponse({ tokens: 50, deltaDelayMs: 20 });
    const controller = new AbortController();
    const stream = await client.responses.create(
      { model: 'gpt-4.1-mini', input: 'long answer', stream: true },
      { signal: controller.signal },
    );

    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta' && ++deltas === 3) break;
    }
    const abortedAt = Date.now();

    const recorded = await fake.waitFor((request) => request.aborted, 1_000);
    expect(recorded.path).toBe('/v1/responses');
    expect((recorded.endedAt ?? Infinity) - abortedAt).toBeLessThan(1_000);
  });

  it('records an abort through AbortController before the reply starts', async () => {
    fake.enqueueResponse({ fault: { kind: 'hang' } });
    const controller = new AbortController();
    const pending = client.responses.create({ model: 'gpt-4.1-mini', input: 'x' }, { signal: controller.signal }).catch(() => undefined);
    await fake.waitFor((request) => request.path === '/v1/responses');

    controller.abort();
    await pending;

    await expect(fake.waitFor((request) => request.aborted, 1_000)).resolves.toMatchObject({ path: '/v1/responses' });
  });

  it('rejects waitFor when nothing matches in time', async () => {
    await expect(fake.waitFor((request) => request.path === '/v1/never', 50)).rejects.toThrow(/no matching request within 50 ms/);
  });

  it('can drop bodies and cap the log for large runs', async () => {
    const lean = await FakeOpenAI.start({ recordBodies: false, maxRecordedRequests: 3 });
    const leanClient = new OpenAI({ apiKey: 'sk-test', baseURL: lean.baseUrl, maxRetries: 0 });
    try {
      for (let index = 0; index < 5; index++) await leanClient.responses.create({ model: 'gpt-4.1-mini', input: `n${index}` });

      expect(lean.requests.map((request) => request.id)).toEqual([3, 4, 5]);
      expect(lean.requests.every((request) => request.body === undefined)).toBe(true);
    } finally {
      await lean.stop();
    }
  });

  it('reset forgets requests, scripts and stored objects', async () => {
    fake.enqueueResponse({ text: 'queued' });
    await client.vectorStores.create({ name: 'Docs' });

    fake.reset();

    expect(fake.requests).toHaveLength(0);
    expect(fake.vectorStores.size).toBe(0);
    expect((await client.responses.create({ model: 'gpt-4.1-mini', input: 'x' })).output_text).not.toBe('queued');
  });
});
