import { setTimeout as delay } from 'node:timers/promises';
import OpenAI, { NotFoundError, toFile } from 'openai';
import { FakeOpenAI } from '../support/fake-openai/index.js';

describe('fake OpenAI: files and vector stores', () => {
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

  async function upload(name = 'notes.txt', content = 'Annual leave is 25 days.') {
    return client.files.create({ file: await toFile(Buffer.from(content), name, { type: 'text/plain' }), purpose: 'assistants' });
  }

  it('uploads, lists, retrieves, downloads and deletes a file', async () => {
    const file = await upload();

    expect(file).toMatchObject({ object: 'file', filename: 'notes.txt', purpose: 'assistants', bytes: 24, status: 'processed' });
    expect(file.id).toMatch(/^file-/);
    expect(fake.files.get(file.id)?.bytes.toString()).toBe('Annual leave is 25 days.');
    const listed = await client.files.list();
    expect(listed.data.map((item) => item.id)).toEqual([file.id]);
    await expect(client.files.retrieve(file.id)).resolves.toMatchObject({ id: file.id });
    const content = await client.files.content(file.id);
    expect(await content.text()).toBe('Annual leave is 25 days.');

    await expect(client.files.delete(file.id)).resolves.toEqual({ id: file.id, object: 'file', deleted: true });
    expect(fake.files.has(file.id)).toBe(false);
    await expect(client.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('pages through files newest first with the SDK auto-pagination', async () => {
    const uploaded = [];
    for (const name of ['a.txt', 'b.txt', 'c.txt']) uploaded.push(await upload(name));

    const seen: string[] = [];
    for await (const file of client.files.list({ limit: 2 })) seen.push(file.filename);

    expect(seen).toEqual(['c.txt', 'b.txt', 'a.txt']);
  });

  it('creates, lists, retrieves and deletes vector stores', async () => {
    const store = await client.vectorStores.create({ name: 'Handbook', metadata: { assistant: 'a1' } });

    expect(store).toMatchObject({
      object: 'vector_store',
      name: 'Handbook',
      status: 'completed',
      metadata: { assistant: 'a1' },
      file_counts: { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 },
    });
    expect(store.id).toMatch(/^vs_/);
    expect((await client.vectorStores.list()).data.map((item) => item.id)).toEqual([store.id]);
    await expect(client.vectorStores.retrieve(store.id)).resolves.toMatchObject({ id: store.id });
    await expect(client.vectorStores.delete(store.id)).resolves.toEqual({
      id: store.id,
      object: 'vector_store.deleted',
      deleted: true,
    });
    expect(fake.vectorStores.size).toBe(0);
  });

  it('attaches a file that finishes processing after the configured number of polls', async () => {
    fake.setFileProcessing({ after: 2 });
    const file = await upload();
    const store = await client.vectorStores.create({ name: 'Docs' });

    const attached = await client.vectorStores.files.create(store.id, { file_id: file.id });
    const firstPoll = await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });
    const secondPoll = await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });

    expect(attached).toMatchObject({ id: file.id, object: 'vector_store.file', vector_store_id: store.id, status: 'in_progress' });
    expect(firstPoll.status).toBe('in_progress');
    expect(secondPoll).toMatchObject({ status: 'completed', last_error: null, usage_bytes: 24 });
    expect(fake.vectorStores.get(store.id)?.files.has(file.id)).toBe(true);
    const vectorStore = await client.vectorStores.retrieve(store.id);
    expect(vectorStore.file_counts).toMatchObject({ completed: 1, total: 1 });
  });

  it('reports a failed outcome with last_error', async () => {
    fake.setFileProcessing({ after: 1, outcome: 'failed', lastError: { code: 'unsupported_file', message: 'Unsupported file type' } });
    const file = await upload('image.bin');
    const store = await client.vectorStores.create({ name: 'Docs' });

    const processed = await client.vectorStores.files.createAndPoll(store.id, { file_id: file.id });

    expect(processed).toMatchObject({ status: 'failed', last_error: { code: 'unsupported_file', message: 'Unsupported file type' } });
    expect((await client.vectorStores.retrieve(store.id)).file_counts).toMatchObject({ failed: 1, in_progress: 0 });
  });

  it('finishes processing after a number of milliseconds when asked to', async () => {
    fake.setFileProcessing({ afterMs: 50 });
    const file = await upload();
    const store = await client.vectorStores.create({ name: 'Docs', file_ids: [file.id] });

    const early = await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });
    await delay(60);
    const later = await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id });

    expect(store.file_counts).toMatchObject({ in_progress: 1, total: 1 });
    expect(early.status).toBe('in_progress');
    expect(later.status).toBe('completed');
  });

  it('lists, filters and detaches vector store files', async () => {
    fake.setFileProcessing({ after: 0 });
    const first = await upload('one.txt');
    const second = await upload('two.txt');
    const store = await client.vectorStores.create({ name: 'Docs', file_ids: [first.id] });
    await client.vectorStores.files.create(store.id, { file_id: second.id, attributes: { lang: 'en' } });

    const listed = await client.vectorStores.files.list(store.id, { filter: 'completed' });
    const detached = await client.vectorStores.files.delete(second.id, { vector_store_id: store.id });

    expect(listed.data.map((file) => file.id).sort()).toEqual([first.id, second.id].sort());
    expect(detached).toEqual({ id: second.id, object: 'vector_store.file.deleted', deleted: true });
    expect([...(fake.vectorStores.get(store.id)?.files.keys() ?? [])]).toEqual([first.id]);
    expect(fake.files.has(second.id)).toBe(true);
  });

  it('answers 404 for unknown files and vector stores', async () => {
    const store = await client.vectorStores.create({ name: 'Docs' });

    await expect(client.vectorStores.retrieve('vs_missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.vectorStores.files.create(store.id, { file_id: 'file-missing' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.files.delete('file-missing')).rejects.toMatchObject({ status: 404, type: 'invalid_request_error' });
  });
});
