import OpenAI, { BadRequestError, toFile } from 'openai';
import { FakeOpenAI } from '../support/fake-openai/index.js';

describe('fake OpenAI: request validation against the OpenAI spec', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseUrl, maxRetries: 0 });
  });

  afterEach(() => {
    fake.reset();
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('accepts the bodies the SDK sends for realistic requests', async () => {
    await client.responses.create({
      model: 'gpt-4.1-mini',
      instructions: 'Answer from the documents.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
        { role: 'assistant', content: 'Hello, how can I help?' },
        { type: 'message', role: 'user', content: 'How much leave do I get?' },
      ],
      tools: [{ type: 'file_search', vector_store_ids: ['vs_1'], max_num_results: 5 }],
      temperature: 0.2,
      max_output_tokens: 500,
      metadata: { thread: 't1' },
      store: false,
    });
    const file = await client.files.create({
      file: await toFile(Buffer.from('x'), 'x.txt'),
      purpose: 'user_data',
      expires_after: { anchor: 'created_at', seconds: 3600 },
    });
    const store = await client.vectorStores.create({
      name: 'Docs',
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 400, chunk_overlap_tokens: 100 } },
    });
    await client.vectorStores.files.create(store.id, { file_id: file.id, attributes: { lang: 'en', year: 2026 } });

    expect(fake.schemaViolations).toEqual([]);
    expect(() => fake.assertNoSchemaViolations()).not.toThrow();
  });

  it('rejects an input of the wrong type with 400 and records the violation', async () => {
    const error = await client.responses
      .create({ model: 'gpt-4.1-mini', input: 42 as unknown as string })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'input', code: 'invalid_type' });
    expect(fake.schemaViolations).toHaveLength(1);
    expect(fake.schemaViolations[0]).toMatchObject({ operationId: 'createResponse', method: 'POST', path: '/v1/responses' });
    expect(fake.schemaViolations[0].details.some((detail) => detail.param === 'input')).toBe(true);
    expect(() => fake.assertNoSchemaViolations()).toThrow(/POST \/v1\/responses \(createResponse\): input must be string/);
  });

  it('rejects values outside the documented range', async () => {
    const error = await client.responses
      .create({ model: 'gpt-4.1-mini', input: 'hi', max_output_tokens: 5 })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ status: 400, param: 'max_output_tokens', code: 'invalid_value' });
    expect(fake.schemaViolations).toHaveLength(1);
  });

  it('rejects a Responses request without a model', async () => {
    const error = await client.responses.create({ input: 'hi' } as never).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ status: 400, param: 'model', code: 'missing_required_parameter' });
    expect(fake.schemaViolations).toHaveLength(1);
  });

  it('rejects unknown fields where the spec forbids additional properties', async () => {
    const error = await client.vectorStores
      .create({ name: 'Docs', store_type: 'fast' } as never)
      .catch((caught: unknown) => caught);
    const missingFileId = await client.vectorStores.files
      .create('vs_any', {} as never)
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ status: 400, param: 'store_type', code: 'unknown_parameter' });
    expect(missingFileId).toMatchObject({ status: 400, param: 'file_id', code: 'missing_required_parameter' });
    expect(fake.schemaViolations.map((violation) => violation.operationId)).toEqual(['createVectorStore', 'createVectorStoreFile']);
  });

  it('checks multipart uploads: purpose from the enum, and a file present', async () => {
    const badPurpose = await client.files
      .create({ file: await toFile(Buffer.from('x'), 'x.txt'), purpose: 'knowledge' as never })
      .catch((caught: unknown) => caught);
    const noFile = await fetch(`${fake.baseUrl}/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test' },
      body: formWith({ purpose: 'assistants' }),
    });

    expect(badPurpose).toMatchObject({ status: 400, param: 'purpose' });
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ error: { param: 'file', code: 'missing_required_parameter' } });
    expect(fake.schemaViolations.map((violation) => violation.operationId)).toEqual(['createFile', 'createFile']);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await fetch(`${fake.baseUrl}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: '{"model": ',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

function formWith(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}
