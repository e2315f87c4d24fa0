import OpenAI, { toFile } from 'openai';
import request from 'supertest';
import { chatUser, responseRequests } from '../support/chat-helpers.js';
import { eventually, registerUserWithKey } from '../support/platform-api.js';
import { apiToken, platformClient, uuidOf, v1Suite } from '../support/openai-wire/v1-client.js';
import { minimalPng } from '../support/sample-files.js';

describe('/v1/vector_stores and assistants that search them (OpenAI wire format)', () => {
  const suite = v1Suite({ VECTOR_STORES_MAX_PER_USER: '3', VECTOR_STORES_MAX_FILES: '2' });
  const api = () => request(suite.app.baseUrl);

  const signedIn = async () => {
    const user = await chatUser(suite.app);
    const token = await apiToken(suite.app, user.cookie);
    return { ...user, token, client: platformClient(suite.app, token, suite.answers) };
  };
  const textFile = (text: string, name: string) => toFile(Buffer.from(text), name);
  const apiError = (error: unknown) => ({ status: (error as InstanceType<typeof OpenAI.APIError>).status, body: (error as InstanceType<typeof OpenAI.APIError>).error });

  it('uploads a document, puts it in a vector store, gives the store to a new assistant, and a run searches its indexed copy', async () => {
    const { client, cookie } = await signedIn();
    const file = await client.files.create({ file: await textFile('Refunds take 14 days.\n', 'refunds.txt'), purpose: 'assistants' });
    const store = await client.vectorStores.create({ name: 'Support docs', metadata: { team: 'support' } });
    expect(store).toMatchObject({ id: expect.stringMatching(/^vs_[0-9a-f]{32}$/), object: 'vector_store', name: 'Support docs', status: 'completed', metadata: { team: 'support' } });
    expect(store.file_counts).toEqual({ in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 });
    const added = await client.vectorStores.files.createAndPoll(store.id, { file_id: file.id }, { pollIntervalMs: 50 });
    expect(added).toMatchObject({ id: file.id, object: 'vector_store.file', vector_store_id: store.id, status: 'completed', last_error: null, usage_bytes: 22 });

    // Indexing waits at its attachment upstream: the store shows it in progress meanwhile.
    const held = suite.app.fake.holdNext('vector_store_files');
    const assistant = await client.beta.assistants.create({
      model: 'gpt-4o-mini',
      name: 'Support',
      tools: [{ type: 'file_search' }],
      tool_resources: { file_search: { vector_store_ids: [store.id] } },
    });
    await held.arrived;
    const indexing = await client.vectorStores.retrieve(store.id);
    expect({ status: indexing.status, counts: indexing.file_counts }).toEqual({ status: 'in_progress', counts: { in_progress: 1, completed: 0, failed: 0, cancelled: 0, total: 1 } });
    expect((await client.vectorStores.files.list(store.id, { filter: 'in_progress' })).data.map((entry) => entry.id)).toEqual([file.id]);
    held.release();
    expect(assistant.tool_resources).toEqual({ file_search: { vector_store_ids: [store.id] } });
    expect((await client.beta.assistants.retrieve(assistant.id)).tool_resources).toEqual({ file_search: { vector_store_ids: [store.id] } });
    expect((await client.beta.assistants.list()).data[0].tool_resources).toEqual({ file_search: { vector_store_ids: [store.id] } });

    // The same assistant under /api, with the document among its documents, indexed as any document is.
    const listed = (await api().get('/api/assistants').set('Cookie', cookie).expect(200)).body.find((entry: { id: string }) => entry.id === uuidOf(assistant.id));
    expect(listed.fileIds).toEqual([uuidOf(file.id)]);
    // Once the copy is indexed, the store is complete.
    const indexed = await eventually(async () => {
      const current = await client.vectorStores.retrieve(store.id);
      return current.status === 'completed' && current.file_counts.completed === 1 ? current : undefined;
    });
    expect(indexed.file_counts).toEqual({ in_progress: 0, completed: 1, failed: 0, cancelled: 0, total: 1 });
    const upstreamStore = (await api().get(`/api/assistants/${uuidOf(assistant.id)}`).set('Cookie', cookie).expect(200)).body.vectorStoreId;
    expect(upstreamStore).toEqual(expect.any(String));

    suite.app.fake.enqueueResponse({ text: 'Fourteen days.' });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'How long do refunds take?' }] });
    const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }, { pollIntervalMs: 50 });
    expect(run.status).toBe('completed');
    expect(responseRequests(suite.app).at(-1).tools).toEqual([{ type: 'file_search', vector_store_ids: [upstreamStore] }]);

    const files = await client.vectorStores.files.list(store.id);
    expect(files.data.map((entry) => [entry.id, entry.status])).toEqual([[file.id, 'completed']]);
    expect(await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id })).toMatchObject({ id: file.id, status: 'completed' });
    expect((await client.vectorStores.list()).data.map((entry) => entry.id)).toEqual([store.id]);
    const renamed = await client.vectorStores.update(store.id, { name: 'Refund docs', metadata: { team: 'billing' } });
    expect(renamed).toMatchObject({ id: store.id, name: 'Refund docs', metadata: { team: 'billing' }, file_counts: { completed: 1, total: 1 } });
    expect((await client.vectorStores.update(store.id, { metadata: null })).metadata).toEqual({});

    // Deleting the store leaves the file, and the assistant without the store's documents.
    expect(await client.vectorStores.delete(store.id)).toEqual({ id: store.id, object: 'vector_store.deleted', deleted: true });
    expect((await client.beta.assistants.retrieve(assistant.id)).tool_resources).toEqual({});
    expect((await api().get(`/api/assistants/${uuidOf(assistant.id)}`).set('Cookie', cookie).expect(200)).body.fileIds).toEqual([]);
    expect((await client.files.retrieve(file.id)).id).toBe(file.id);
  });

  it('keeps an assistant in step with its store: files added and removed later, another store, none', async () => {
    const { client, cookie } = await signedIn();
    const first = await client.files.create({ file: await textFile('One\n', 'one.txt'), purpose: 'assistants' });
    const second = await client.files.create({ file: await textFile('Two\n', 'two.txt'), purpose: 'assistants' });
    const store = await client.vectorStores.create({ name: 'A', file_ids: [first.id] });
    const other = await client.vectorStores.create({ name: 'B', file_ids: [second.id] });
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [store.id] } } });
    const documents = async () => (await api().get(`/api/assistants/${uuidOf(assistant.id)}`).set('Cookie', cookie).expect(200)).body.fileIds.sort();

    expect(await documents()).toEqual([uuidOf(first.id)]);
    await client.vectorStores.files.create(store.id, { file_id: second.id });
    expect(await documents()).toEqual([uuidOf(first.id), uuidOf(second.id)].sort());
    expect(await client.vectorStores.files.delete(first.id, { vector_store_id: store.id })).toEqual({ id: first.id, object: 'vector_store.file.deleted', deleted: true });
    expect(await documents()).toEqual([uuidOf(second.id)]);

    const moved = await client.beta.assistants.update(assistant.id, { tool_resources: { file_search: { vector_store_ids: [other.id] } } });
    expect(moved.tool_resources).toEqual({ file_search: { vector_store_ids: [other.id] } });
    expect(await documents()).toEqual([uuidOf(second.id)]);
    // A change that does not name tool_resources keeps the store.
    expect((await client.beta.assistants.update(assistant.id, { name: 'Renamed' })).tool_resources).toEqual({ file_search: { vector_store_ids: [other.id] } });
    expect((await client.beta.assistants.update(assistant.id, { tool_resources: {} })).tool_resources).toEqual({});
    expect(await documents()).toEqual([]);

    // A file deleted from the platform leaves its stores.
    await client.files.delete(second.id);
    expect((await client.vectorStores.retrieve(other.id)).file_counts.total).toBe(0);
  });

  it('refuses what cannot be honoured, bounds stores and their files, and answers 404 for what is not the user\'s', async () => {
    const owner = await signedIn();
    const { client } = owner;
    const files: OpenAI.FileObject[] = [];
    for (const name of ['a.txt', 'b.txt', 'c.txt']) files.push(await client.files.create({ file: await textFile(`${name}\n`, name), purpose: 'assistants' }));
    const image = await client.files.create({ file: await toFile(minimalPng(), 'dot.png'), purpose: 'vision' });
    const store = await client.vectorStores.create({ name: 'Full', file_ids: [files[0].id, files[1].id] });

    const bad: Array<[() => Promise<unknown>, number, string, string | null]> = [
      [() => client.beta.assistants.create({ model: 'gpt-4o-mini', tool_resources: { code_interpreter: { file_ids: [files[0].id] } } }), 400, 'validation_failed', 'tool_resources.code_interpreter.file_ids'],
      [() => client.beta.assistants.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [store.id, store.id] } } }), 400, 'validation_failed', 'tool_resources.file_search.vector_store_ids'],
      [() => client.beta.assistants.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_stores: [{ file_ids: [files[0].id] }] } } }), 400, 'validation_failed', 'tool_resources.file_search'],
      [() => client.beta.assistants.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [`vs_${'0'.repeat(32)}`] } } }), 404, 'not_found', null],
      [() => client.vectorStores.create({ expires_after: { anchor: 'last_active_at', days: 1 } }), 400, 'validation_failed', 'expires_after'],
      [() => client.vectorStores.create({ chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 } } }), 400, 'validation_failed', 'chunking_strategy'],
      [() => client.vectorStores.create({ file_ids: [image.id] }), 400, 'validation_failed', 'file_id'],
      [() => client.vectorStores.update(store.id, { expires_after: { anchor: 'last_active_at', days: 1 } }), 400, 'validation_failed', 'expires_after'],
      [() => client.vectorStores.files.create(store.id, { file_id: files[2].id }), 409, 'vector_store_file_limit_reached', null],
    ];
    for (const [attempt, status, code, param] of bad) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect({ code, error: apiError(error) }).toEqual({ code, error: { status, body: expect.objectContaining({ code, param }) } });
    }
    // Only the assistant the user had before.
    expect((await client.beta.assistants.list()).data.map((entry) => entry.name)).toEqual(['Helper']);
    await client.vectorStores.create({ name: 'Second' });
    await client.vectorStores.create({ name: 'Third' });
    expect(apiError(await client.vectorStores.create({ name: 'Fourth' }).catch((caught: unknown) => caught))).toEqual({ status: 409, body: expect.objectContaining({ code: 'vector_store_limit_reached' }) });

    const intruder = await signedIn();
    const attempts = [
      () => intruder.client.vectorStores.retrieve(store.id),
      () => intruder.client.vectorStores.delete(store.id),
      () => intruder.client.vectorStores.update(store.id, { name: 'Mine now' }),
      () => intruder.client.vectorStores.files.list(store.id),
      () => intruder.client.vectorStores.files.retrieve(files[0].id, { vector_store_id: store.id }),
      () => intruder.client.vectorStores.files.delete(files[0].id, { vector_store_id: store.id }),
      () => intruder.client.vectorStores.files.create(store.id, { file_id: files[2].id }),
      () => intruder.client.vectorStores.create({ file_ids: [files[2].id] }),
      () => intruder.client.beta.assistants.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [store.id] } } }),
    ];
    for (const attempt of attempts) expect(apiError(await attempt().catch((caught: unknown) => caught))).toEqual({ status: 404, body: expect.objectContaining({ type: 'invalid_request_error', code: 'not_found' }) });
    expect((await intruder.client.vectorStores.list()).data).toEqual([]);
    expect((await client.vectorStores.files.list(store.id)).data).toHaveLength(2);

    const reader = platformClient(suite.app, await apiToken(suite.app, owner.cookie, ['read']), suite.answers);
    expect((await reader.vectorStores.list()).data).toHaveLength(3);
    expect(apiError(await reader.vectorStores.delete(store.id).catch((caught: unknown) => caught))).toEqual({ status: 403, body: expect.objectContaining({ type: 'permission_error', code: 'insufficient_scope' }) });
  });

  it('uploads several documents and adds them as one batch (uploadAndPoll), the batch in progress while any is indexed', async () => {
    const { client, cookie } = await signedIn();
    const store = await client.vectorStores.create({ name: 'Batch' });
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: [store.id] } } });
    const held = suite.app.fake.holdNext('vector_store_files');
    const pending = client.vectorStores.fileBatches.uploadAndPoll(
      store.id,
      { files: [await textFile('First\n', 'first.txt'), await textFile('Second\n', 'second.txt')] },
      { pollIntervalMs: 50 },
    );
    await held.arrived;
    const [listed] = (await client.vectorStores.files.list(store.id, { filter: 'in_progress' })).data;
    expect(listed.status).toBe('in_progress');
    held.release();
    const batch = await pending;
    expect(batch).toMatchObject({ id: expect.stringMatching(/^vsfb_[0-9a-f]{32}$/), object: 'vector_store.files_batch', vector_store_id: store.id, status: 'completed' });
    expect(batch.file_counts).toEqual({ in_progress: 0, completed: 2, failed: 0, cancelled: 0, total: 2 });
    expect(await client.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id })).toEqual(batch);
    const documents = (await api().get(`/api/assistants/${uuidOf(assistant.id)}`).set('Cookie', cookie).expect(200)).body.fileIds;
    expect(documents).toHaveLength(2);
    expect((await client.vectorStores.files.list(store.id)).data.map((entry) => uuidOf(entry.id)).sort()).toEqual([...documents].sort());
    const missing = await client.vectorStores.fileBatches.retrieve(`vsfb_${'0'.repeat(32)}`, { vector_store_id: store.id }).catch((caught: unknown) => caught);
    expect(apiError(missing)).toEqual({ status: 404, body: expect.objectContaining({ code: 'not_found' }) });
  });

  it('answers a user with no OpenAI key the same: stores are the platform\'s own', async () => {
    const user = await registerUserWithKey(suite.app.baseUrl);
    const client = platformClient(suite.app, await apiToken(suite.app, user.cookie), suite.answers);
    const store = await client.vectorStores.create({ name: 'Keyless' });
    expect((await client.vectorStores.retrieve(store.id)).name).toBe('Keyless');
  });
});
