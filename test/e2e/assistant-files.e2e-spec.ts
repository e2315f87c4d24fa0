import request from 'supertest';
import { FakeOpenAI, type RouteGroup, type StoredFile as UpstreamFile } from '../support/fake-openai/index.js';
import {
  createAssistant,
  download,
  eventually,
  registerUserWithKey,
  uploadFile,
  waitForFileStatus,
  waitForIdleUpstream,
} from '../support/platform-api.js';
import { minimalDocx, minimalPdf, minimalPng } from '../support/sample-files.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The fake's copy of a document, found by its bytes (the platform does not expose upstream ids). */
function upstreamCopy(fake: FakeOpenAI, bytes: Buffer): UpstreamFile | undefined {
  return [...fake.files.values()].find((file) => Buffer.compare(file.bytes, bytes) === 0);
}

function requireUpstreamCopy(fake: FakeOpenAI, bytes: Buffer): UpstreamFile {
  const copy = upstreamCopy(fake, bytes);
  if (!copy) throw new Error('the document was not uploaded to OpenAI Files');
  return copy;
}

/** Ids of the files in a vector store of the fake, or undefined when the store does not exist. */
function filesInStore(fake: FakeOpenAI, vectorStoreId: string): string[] | undefined {
  const store = fake.vectorStores.get(vectorStoreId);
  return store ? [...store.files.keys()] : undefined;
}

/** The fake's vector stores made for an assistant (the platform tags them with its id). */
function storesOf(fake: FakeOpenAI, assistantId: string) {
  return [...fake.vectorStores.values()].filter((store) => store.metadata.assistant_id === assistantId);
}

/** The requests that created a vector store for an assistant (not those to a store's files). */
function storeCreations(fake: FakeOpenAI, assistantId: string) {
  return fake
    .requestsTo('POST', '/v1/vector_stores')
    .filter((entry) => entry.path === '/v1/vector_stores')
    .filter((entry) => (entry.body as { metadata?: Record<string, string> }).metadata?.assistant_id === assistantId);
}

/**
 * Uploads a document (returning its id) and removes it while the fake holds
 * the request of one step of its indexing; lets that request go on after.
 */
async function removeWhileHeld(
  fake: FakeOpenAI,
  route: RouteGroup,
  upload: () => Promise<string>,
  remove: (fileId: string) => Promise<unknown>,
): Promise<string> {
  const held = fake.holdNext(route);
  try {
    const fileId = await upload();
    await held.arrived;
    await remove(fileId);
    return fileId;
  } finally {
    held.release();
  }
}

/** The upstream steps of indexing a document, by the route group the fake serves them under. */
const INDEXING_STEPS: Array<{ route: RouteGroup; step: string }> = [
  { route: 'files', step: 'its upload to OpenAI Files' },
  { route: 'vector_stores', step: 'the creation of the vector store (after the upload, before the attachment)' },
  { route: 'vector_store_files', step: 'its attachment to the vector store' },
];

describe('assistant documents in OpenAI Files and vector stores', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);
  const getAssistant = async (cookie: string, id: string) => (await api().get(`/api/assistants/${id}`).set('Cookie', cookie).expect(200)).body;

  it('uploads an attached document to OpenAI Files and into a vector store made for the first document; processing, then ready', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { name: 'Handbook helper', tools: [{ type: 'file_search' }] });
    expect(assistant.vectorStoreId).toBeNull();
    const storesBefore = testApp.fake.vectorStores.size;

    const handbook = minimalPdf('Employee handbook');
    const uploaded = await api()
      .post(`/api/assistants/${assistant.id}/files`)
      .set('Cookie', user.cookie)
      .attach('file', handbook, 'handbook.pdf')
      .expect(201);
    const fileId = uploaded.body.fileIds[0];
    expect(uploaded.body).toMatchObject({ assistantId: assistant.id, fileIds: [fileId] });
    expect(uploaded.body.files[0]).toMatchObject({
      status: 'processing',
      assistants: [{ assistantId: assistant.id, status: 'processing', error: null }],
    });

    const ready = await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
    expect(ready.assistants).toEqual([{ assistantId: assistant.id, status: 'ready', error: null }]);

    const copy = requireUpstreamCopy(testApp.fake, handbook);
    expect(copy).toMatchObject({ purpose: 'assistants', filename: 'handbook.pdf' });
    const indexed = await getAssistant(user.cookie, assistant.id);
    expect(indexed.fileIds).toEqual([fileId]);
    expect(indexed.vectorStoreId).toEqual(expect.any(String));
    const store = testApp.fake.vectorStores.get(indexed.vectorStoreId);
    expect(store?.metadata).toEqual({ assistant_id: assistant.id });
    expect(store?.files.get(copy.id)?.status).toBe('completed');
    expect(testApp.fake.vectorStores.size).toBe(storesBefore + 1);

    const listed = await api().get(`/api/assistants/${assistant.id}/files`).set('Cookie', user.cookie).expect(200);
    expect(listed.body).toEqual({
      vectorStoreId: indexed.vectorStoreId,
      files: [expect.objectContaining({ id: fileId, filename: 'handbook.pdf', status: 'ready' })],
    });
  });

  it('puts later documents in the same vector store, whether attached by PATCH addFileIds, by create fileIds or by upload with assistantId', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const policy = minimalDocx('Travel policy');
    const table = Buffer.from('city,allowance\nParis,120\nOslo,150\n');
    const first = await uploadFile(testApp.baseUrl, user.cookie, policy, 'policy.docx');
    const second = await uploadFile(testApp.baseUrl, user.cookie, table, 'allowances.csv');

    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { fileIds: [first.fileIds[0]] });
    expect(assistant.fileIds).toEqual([first.fileIds[0]]);
    expect(assistant.tools).toEqual([{ type: 'file_search' }]);
    await waitForFileStatus(testApp.baseUrl, user.cookie, first.fileIds[0], 'ready');

    const patched = await api()
      .patch(`/api/assistants/${assistant.id}`)
      .set('Cookie', user.cookie)
      .send({ addFileIds: [second.fileIds[0]] })
      .expect(200);
    expect(patched.body.fileIds).toEqual([first.fileIds[0], second.fileIds[0]]);

    const mixed = await api()
      .post('/api/upload')
      .set('Cookie', user.cookie)
      .field('assistantId', assistant.id)
      .attach('files', minimalPdf('Expenses'), 'expenses.pdf')
      .attach('files', minimalPng(), 'receipt.png')
      .expect(201);
    const [pdfId, imageId] = mixed.body.fileIds;
    expect(mixed.body.files[1]).toMatchObject({ kind: 'image', status: 'ready', assistants: [] });

    for (const fileId of [second.fileIds[0], pdfId]) await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
    const indexed = await getAssistant(user.cookie, assistant.id);
    expect(indexed.fileIds).toEqual([first.fileIds[0], second.fileIds[0], pdfId]);
    expect(indexed.fileIds).not.toContain(imageId);

    const storesForAssistant = [...testApp.fake.vectorStores.values()].filter((store) => store.metadata.assistant_id === assistant.id);
    expect(storesForAssistant.map((store) => store.id)).toEqual([indexed.vectorStoreId]);
    const copies = [policy, table, minimalPdf('Expenses')].map((bytes) => requireUpstreamCopy(testApp.fake, bytes));
    expect(filesInStore(testApp.fake, indexed.vectorStoreId)?.sort()).toEqual(copies.map((copy) => copy.id).sort());
    // file_search reads files by extension; a CSV goes up as text.
    expect(copies.map((copy) => copy.filename)).toEqual(['policy.docx', 'allowances.csv.txt', 'expenses.pdf']);
    expect(upstreamCopy(testApp.fake, minimalPng())).toBeUndefined();
  });

  it('removes a detached document from the vector store upstream (DELETE on the assistant file and PATCH removeFileIds) and keeps the file', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const firstBytes = minimalPdf('Detach me by DELETE');
    const secondBytes = minimalPdf('Detach me by PATCH');
    const first = (await uploadFile(testApp.baseUrl, user.cookie, firstBytes, 'first.pdf')).fileIds[0];
    const second = (await uploadFile(testApp.baseUrl, user.cookie, secondBytes, 'second.pdf')).fileIds[0];
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { fileIds: [first, second] });
    for (const fileId of [first, second]) await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
    const { vectorStoreId } = await getAssistant(user.cookie, assistant.id);
    const [firstCopy, secondCopy] = [firstBytes, secondBytes].map((bytes) => requireUpstreamCopy(testApp.fake, bytes));
    expect(filesInStore(testApp.fake, vectorStoreId)?.sort()).toEqual([firstCopy.id, secondCopy.id].sort());

    await api().delete(`/api/assistants/${assistant.id}/files/${first}`).set('Cookie', user.cookie).expect(200);
    const afterDelete = await api().get(`/api/assistants/${assistant.id}/files`).set('Cookie', user.cookie).expect(200);
    expect(afterDelete.body.files.map((file: { id: string }) => file.id)).toEqual([second]);
    await eventually(() => (filesInStore(testApp.fake, vectorStoreId)?.includes(firstCopy.id) ? undefined : true), {
      describe: () => filesInStore(testApp.fake, vectorStoreId),
    });

    const patched = await api()
      .patch(`/api/assistants/${assistant.id}`)
      .set('Cookie', user.cookie)
      .send({ removeFileIds: [second] })
      .expect(200);
    expect(patched.body.fileIds).toEqual([]);
    await eventually(() => (filesInStore(testApp.fake, vectorStoreId)?.length === 0 ? true : undefined), {
      describe: () => filesInStore(testApp.fake, vectorStoreId),
    });

    for (const fileId of [first, second]) {
      const file = await api().get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
      expect(file.body).toMatchObject({ status: 'ready', assistants: [] });
    }
    await api().delete(`/api/assistants/${assistant.id}/files/${first}`).set('Cookie', user.cookie).expect(404);
    expect(testApp.fake.vectorStores.has(vectorStoreId)).toBe(true);

    const both = await api()
      .patch(`/api/assistants/${assistant.id}`)
      .set('Cookie', user.cookie)
      .send({ addFileIds: [first], removeFileIds: [first] });
    expect(both.status).toBe(400);
    expect(both.body.details).toEqual([expect.objectContaining({ field: 'removeFileIds' })]);
  });

  it('deletes a deleted file upstream too: from the vector store and from OpenAI Files', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const bytes = minimalPdf('Delete me everywhere');
    const assistant = await createAssistant(testApp.baseUrl, user.cookie);
    const fileId = (await uploadFile(testApp.baseUrl, user.cookie, bytes, 'doomed.pdf', { assistantId: assistant.id })).fileIds[0];
    await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
    const { vectorStoreId } = await getAssistant(user.cookie, assistant.id);
    const copy = requireUpstreamCopy(testApp.fake, bytes);

    await api().delete(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);

    expect((await getAssistant(user.cookie, assistant.id)).fileIds).toEqual([]);
    await eventually(
      () => (testApp.fake.files.has(copy.id) || filesInStore(testApp.fake, vectorStoreId)?.includes(copy.id) ? undefined : true),
      { describe: () => ({ inFiles: testApp.fake.files.has(copy.id), inStore: filesInStore(testApp.fake, vectorStoreId) }) },
    );
    expect(testApp.fake.requestsTo('DELETE', `/v1/vector_stores/${vectorStoreId}/files/${copy.id}`)).toHaveLength(1);
    expect(testApp.fake.requestsTo('DELETE', `/v1/files/${copy.id}`)).toHaveLength(1);
  });

  it('uploads a document shared by two assistants once, and removes it from both vector stores when it is deleted', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const bytes = minimalPdf('Shared by two assistants');
    const fileId = (await uploadFile(testApp.baseUrl, user.cookie, bytes, 'shared.pdf')).fileIds[0];
    const [left, right] = await Promise.all([
      createAssistant(testApp.baseUrl, user.cookie, { name: 'Left', fileIds: [fileId] }),
      createAssistant(testApp.baseUrl, user.cookie, { name: 'Right', fileIds: [fileId] }),
    ]);
    const ready = await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
    expect(ready.assistants.map((attachment: { assistantId: string }) => attachment.assistantId).sort()).toEqual([left.id, right.id].sort());
    await waitForIdleUpstream(testApp.dataSource);

    const copies = [...testApp.fake.files.values()].filter((file) => Buffer.compare(file.bytes, bytes) === 0);
    expect(copies).toHaveLength(1);
    const stores = await Promise.all([left, right].map(async (assistant) => (await getAssistant(user.cookie, assistant.id)).vectorStoreId));
    expect(new Set(stores).size).toBe(2);
    for (const store of stores) expect(filesInStore(testApp.fake, store)).toEqual([copies[0].id]);

    await api().delete(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
    const upstreamState = () => ({
      stores: stores.map((store) => filesInStore(testApp.fake, store)),
      inFiles: testApp.fake.files.has(copies[0].id),
    });
    await eventually(
      () => {
        const state = upstreamState();
        return state.stores.every((files) => files?.length === 0) && !state.inFiles ? true : undefined;
      },
      { describe: upstreamState },
    );
  });

  it('creates one vector store for several documents attached at once, by create fileIds or by one upload with assistantId', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const byCreateBytes = ['one', 'two', 'three'].map((name) => minimalPdf(`Created with the assistant: ${name}`));
    const separate = await Promise.all(
      byCreateBytes.map((bytes, index) => uploadFile(testApp.baseUrl, user.cookie, bytes, `create-${index}.pdf`)),
    );
    const byCreate = await createAssistant(testApp.baseUrl, user.cookie, {
      name: 'Created with three',
      fileIds: separate.map((body) => body.fileIds[0]),
    });

    const byUpload = await createAssistant(testApp.baseUrl, user.cookie, { name: 'Uploaded three' });
    const byUploadBytes = ['one', 'two', 'three'].map((name) => minimalPdf(`Uploaded together: ${name}`));
    const upload = api().post('/api/upload').set('Cookie', user.cookie).field('assistantId', byUpload.id);
    byUploadBytes.forEach((bytes, index) => upload.attach('files', bytes, `upload-${index}.pdf`));
    const uploaded = await upload.expect(201);

    for (const { assistant, fileIds, documents } of [
      { assistant: byCreate, fileIds: byCreate.fileIds as string[], documents: byCreateBytes },
      { assistant: byUpload, fileIds: uploaded.body.fileIds as string[], documents: byUploadBytes },
    ]) {
      expect(fileIds).toHaveLength(3);
      for (const fileId of fileIds) await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
      const { vectorStoreId } = await getAssistant(user.cookie, assistant.id);
      expect(storeCreations(testApp.fake, assistant.id)).toHaveLength(1);
      expect(storesOf(testApp.fake, assistant.id).map((store) => store.id)).toEqual([vectorStoreId]);
      const copies = documents.map((bytes) => requireUpstreamCopy(testApp.fake, bytes).id);
      expect(filesInStore(testApp.fake, vectorStoreId)?.sort()).toEqual(copies.sort());
    }
  });

  for (const { route, step } of INDEXING_STEPS) {
    it(`leaves no copy at OpenAI of a document deleted during ${step}`, async () => {
      const user = await registerUserWithKey(testApp.baseUrl);
      const assistant = await createAssistant(testApp.baseUrl, user.cookie);
      const bytes = minimalPdf(`Deleted while ${route} was busy`);
      await waitForIdleUpstream(testApp.dataSource);

      await removeWhileHeld(
        testApp.fake,
        route,
        async () => (await uploadFile(testApp.baseUrl, user.cookie, bytes, 'fleeting.pdf', { assistantId: assistant.id })).fileIds[0],
        (fileId) => api().delete(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200),
      );

      await waitForIdleUpstream(testApp.dataSource);
      expect(upstreamCopy(testApp.fake, bytes)).toBeUndefined();
      expect(storesOf(testApp.fake, assistant.id).flatMap((store) => [...store.files.keys()])).toEqual([]);
      expect((await getAssistant(user.cookie, assistant.id)).fileIds).toEqual([]);
    });

    it(`leaves no copy in the vector store of a document detached during ${step}, and keeps the file`, async () => {
      const user = await registerUserWithKey(testApp.baseUrl);
      const assistant = await createAssistant(testApp.baseUrl, user.cookie);
      const bytes = minimalPdf(`Detached while ${route} was busy`);
      await waitForIdleUpstream(testApp.dataSource);

      const fileId = await removeWhileHeld(
        testApp.fake,
        route,
        async () => (await uploadFile(testApp.baseUrl, user.cookie, bytes, 'detached.pdf', { assistantId: assistant.id })).fileIds[0],
        (id) => api().delete(`/api/assistants/${assistant.id}/files/${id}`).set('Cookie', user.cookie).expect(200),
      );

      await waitForIdleUpstream(testApp.dataSource);
      expect(storesOf(testApp.fake, assistant.id).flatMap((store) => [...store.files.keys()])).toEqual([]);
      const file = await api().get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
      expect(file.body).toMatchObject({ status: 'ready', assistants: [] });
      // Detaching keeps the platform's one upload of the file, for when it is attached again.
      expect([...testApp.fake.files.values()].filter((copy) => Buffer.compare(copy.bytes, bytes) === 0)).toHaveLength(1);
    });
  }

  it('marks a document the provider could not process as failed, with the reason', async () => {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie);
    const reason = 'The file type is not supported for search.';
    testApp.fake.setFileProcessing({ outcome: 'failed', lastError: { code: 'unsupported_file', message: reason } });
    try {
      const fileId = (await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Unreadable'), 'unreadable.pdf', { assistantId: assistant.id }))
        .fileIds[0];
      const failed = await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'failed');
      expect(failed.error).toContain(reason);
      expect(failed.assistants).toEqual([{ assistantId: assistant.id, status: 'failed', error: expect.stringContaining(reason) }]);
      const listed = await api().get(`/api/assistants/${assistant.id}/files`).set('Cookie', user.cookie).expect(200);
      expect(listed.body.files).toEqual([expect.objectContaining({ id: fileId, status: 'failed' })]);
    } finally {
      testApp.fake.setFileProcessing({});
    }
  });

  for (const route of ['files', 'vector_stores', 'vector_store_files'] as const) {
    it(`marks a document failed when OpenAI ${route} fails, keeps its bytes, and retries it once the provider is back`, async () => {
      const user = await registerUserWithKey(testApp.baseUrl);
      const assistant = await createAssistant(testApp.baseUrl, user.cookie);
      const bytes = minimalPdf(`Retry after ${route} failed`);
      // Queued clean-up from earlier tests must not take the scripted failure.
      await waitForIdleUpstream(testApp.dataSource);
      testApp.fake.failNext(route, { kind: 'server_error' });

      const fileId = (await uploadFile(testApp.baseUrl, user.cookie, bytes, 'retry.pdf', { assistantId: assistant.id })).fileIds[0];
      const failed = await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'failed');
      expect(failed.error).toEqual(expect.any(String));
      expect(failed.assistants).toEqual([{ assistantId: assistant.id, status: 'failed', error: failed.error }]);
      const content = await download(testApp.baseUrl, user.cookie, fileId).expect(200);
      expect(Buffer.compare(content.body as Buffer, bytes)).toBe(0);

      const retried = await api().post(`/api/files/${fileId}/retry`).set('Cookie', user.cookie).expect(200);
      expect(retried.body).toMatchObject({ id: fileId, status: 'processing', error: null });
      await waitForFileStatus(testApp.baseUrl, user.cookie, fileId, 'ready');
      const { vectorStoreId } = await getAssistant(user.cookie, assistant.id);
      expect(filesInStore(testApp.fake, vectorStoreId)).toEqual([requireUpstreamCopy(testApp.fake, bytes).id]);
      expect([...testApp.fake.files.values()].filter((file) => Buffer.compare(file.bytes, bytes) === 0)).toHaveLength(1);
    });
  }
});

describe('assistant documents across a restart', () => {
  it('finishes upstream work queued by an instance that stopped before doing it', async () => {
    const database = await createTestDatabase();
    const fake = await FakeOpenAI.start();
    let first: TestApp | undefined;
    let second: TestApp | undefined;
    try {
      first = await startTestApp({ database, fake, env: { UPSTREAM_SYNC_ENABLED: 'false' } });
      const user = await registerUserWithKey(first.baseUrl);
      const assistant = await createAssistant(first.baseUrl, user.cookie);
      const bytes = minimalPdf('Queued before the restart');
      const fileId = (await uploadFile(first.baseUrl, user.cookie, bytes, 'queued.pdf', { assistantId: assistant.id })).fileIds[0];
      expect((await request(first.baseUrl).get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200)).body.status).toBe('processing');
      await first.close();
      first = undefined;
      expect(fake.files.size).toBe(0);

      second = await startTestApp({ database, fake });
      await waitForFileStatus(second.baseUrl, user.cookie, fileId, 'ready');
      const { body: indexed } = await request(second.baseUrl).get(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).expect(200);
      expect(filesInStore(fake, indexed.vectorStoreId)).toEqual([requireUpstreamCopy(fake, bytes).id]);
    } finally {
      await first?.close();
      await second?.close();
      await fake.stop();
      await database.drop();
    }
    fake.assertNoSchemaViolations();
  });
});
