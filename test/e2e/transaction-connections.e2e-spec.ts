import { toFile } from 'openai';
import pg from 'pg';
import request from 'supertest';
import { chatUser } from '../support/chat-helpers.js';
import { createAssistant, eventually, registerUserWithKey } from '../support/platform-api.js';
import { apiToken, platformClient, v1Suite } from '../support/openai-wire/v1-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Two connections and a short wait for one. A transaction that asks the pool
 * for a second connection while it holds its own cannot finish once two of
 * them hold both (each waits for the other's): the requests below then fail
 * after the wait instead of answering.
 */
const SMALL_POOL = { DATABASE_POOL_SIZE: '2', DATABASE_CONNECT_TIMEOUT_MS: '1000' };
const AT_ONCE = 8;

describe('changes to assistants and their documents, many at once on a pool of two connections', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: SMALL_POOL });
  });

  afterAll(async () => {
    await app?.close();
  });

  const api = () => request(app.baseUrl);

  async function assistantWithDocuments(count: number) {
    const user = await registerUserWithKey(app.baseUrl);
    const assistant = await createAssistant(app.baseUrl, user.cookie, { tools: [{ type: 'file_search' }] });
    const fileIds: string[] = [];
    for (let index = 0; index < count; index++) {
      const attached = await api()
        .post(`/api/assistants/${assistant.id}/files`)
        .set('Cookie', user.cookie)
        .attach('file', Buffer.from(`Document ${index}: refunds take ${index + 1} days.\n`), `doc-${index}.txt`)
        .expect(201);
      fileIds.push(attached.body.fileIds[0]);
    }
    return { user, assistant, fileIds };
  }

  it('detaches documents', async () => {
    const { user, assistant, fileIds } = await assistantWithDocuments(AT_ONCE);
    const answers = await Promise.all(fileIds.map((fileId) => api().delete(`/api/assistants/${assistant.id}/files/${fileId}`).set('Cookie', user.cookie)));
    expect(answers.map((answer) => answer.status)).toEqual(fileIds.map(() => 200));
    const left = await api().get(`/api/assistants/${assistant.id}/files`).set('Cookie', user.cookie).expect(200);
    expect(left.body.files).toEqual([]);
  });

  it("changes an assistant's tools", async () => {
    const { user, assistant } = await assistantWithDocuments(1);
    const tools = (index: number) => (index % 2 === 0 ? [] : [{ type: 'file_search' }]);
    const answers = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, index) => api().patch(`/api/assistants/${assistant.id}`).set('Cookie', user.cookie).send({ tools: tools(index) })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
  });
});

describe("one user's uploads, many at once, on a pool of two connections", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: SMALL_POOL });
  });

  afterAll(async () => {
    await app?.close();
  });

  // Storing an upload holds a connection while its bytes go in, and a user's uploads queue on the user's row.
  // Here the row is held elsewhere, so stores wait at it with their connections: eight uploads at once (within
  // the user's transfer burst) must still leave a connection to another user's reads.
  it("leave a connection to another user's reads", async () => {
    const uploader = await registerUserWithKey(app.baseUrl);
    const reader = await registerUserWithKey(app.baseUrl);
    const blocker = new pg.Client({ connectionString: app.database.url });
    await blocker.connect();
    let uploads: Promise<request.Response[]> | undefined;
    const reads: number[] = [];
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [uploader.userId]);
      uploads = Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          request(app.baseUrl)
            .post('/api/upload')
            .set('Cookie', uploader.cookie)
            .attach('file', Buffer.alloc(5 * 1024 * 1024, 0x61 + index), `notes-${index}.txt`)
            .then((response) => response),
        ),
      );
      await eventually(async () => {
        // Inside a transaction the activity view is a snapshot: clear it before each look.
        await blocker.query('SELECT pg_stat_clear_snapshot()');
        const waiting = await blocker.query(
          "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM users%FOR UPDATE%' AND datname = current_database()",
        );
        return waiting.rowCount ? true : undefined;
      });
      // For longer than a connection may be waited for, while the other uploads get their bodies in and ask to store.
      const until = Date.now() + 2 * Number(SMALL_POOL.DATABASE_CONNECT_TIMEOUT_MS);
      while (Date.now() < until) reads.push((await request(app.baseUrl).get('/api/threads').set('Cookie', reader.cookie)).status);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    expect((await uploads)?.map((upload) => upload.status)).toEqual(Array.from({ length: 8 }, () => 201));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((status) => status !== 200)).toEqual([]);
  });
});

describe('giving assistants a vector store through /v1, many at once on a pool of two connections', () => {
  const suite = v1Suite(SMALL_POOL);

  it('sets tool_resources.file_search', async () => {
    const user = await chatUser(suite.app);
    const client = platformClient(suite.app, await apiToken(suite.app, user.cookie), suite.answers);
    const file = await client.files.create({ file: await toFile(Buffer.from('Refunds take 14 days.\n'), 'refunds.txt'), purpose: 'assistants' });
    const store = await client.vectorStores.create({ name: 'Support docs' });
    await client.vectorStores.files.createAndPoll(store.id, { file_id: file.id }, { pollIntervalMs: 50 });
    const assistants = await Promise.all(Array.from({ length: AT_ONCE }, () => client.beta.assistants.create({ model: 'gpt-4o-mini', tools: [{ type: 'file_search' }] })));
    const updated = await Promise.all(
      assistants.map((assistant) => client.beta.assistants.update(assistant.id, { tool_resources: { file_search: { vector_store_ids: [store.id] } } })),
    );
    expect(updated.map((assistant) => assistant.tool_resources)).toEqual(assistants.map(() => ({ file_search: { vector_store_ids: [store.id] } })));
  });
});
