import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import OpenAI, { InternalServerError } from 'openai';
import { FakeOpenAI } from '../support/fake-openai/index.js';

describe('fake OpenAI: HTTP control routes', () => {
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

  async function control(method: string, path: string, body?: unknown) {
    const response = await fetch(`${fake.controlUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  it('enqueues scripts and sets the default response, without authentication', async () => {
    expect(await control('POST', '/responses', [{ text: 'first' }, { text: 'second' }])).toEqual({ status: 200, body: { queued: 2 } });
    await control('PUT', '/default-response', { text: 'fallback' });
    const reply = async () => (await client.responses.create({ model: 'gpt-4.1-mini', input: 'x' })).output_text;

    expect([await reply(), await reply(), await reply()]).toEqual(['first', 'second', 'fallback']);
    await control('PUT', '/default-response', null);
    expect(await reply()).not.toBe('fallback');
  });

  it('arms faults with fail-next and refuses stream faults on other routes', async () => {
    await control('POST', '/fail-next', { route: 'models', fault: { kind: 'server_error' } });

    await expect(client.models.list()).rejects.toBeInstanceOf(InternalServerError);
    await expect(client.models.list()).resolves.toBeDefined();
    const refused = await control('POST', '/fail-next', { route: 'files', fault: { kind: 'cut', afterDeltas: 1 } });
    const unknown = await control('POST', '/responses', { fault: { kind: 'explode' } });
    expect(refused.status).toBe(400);
    expect(unknown.status).toBe(400);
  });

  it('configures file processing and rejected keys', async () => {
    await control('PUT', '/file-processing', { after: 0, outcome: 'failed' });
    await control('POST', '/reject-key', { key: 'sk-test' });

    await expect(client.models.list()).rejects.toMatchObject({ status: 401 });
    await control('POST', '/reset');
    await expect(client.models.list()).resolves.toBeDefined();
  });

  it('serves recorded requests, schema violations and stores', async () => {
    await client.responses.create({ model: 'gpt-4.1-mini', input: 'recorded' });
    await client.vectorStores.create({ name: 'Docs' });
    await client.vectorStores.create({ name: 'x', unknown_field: true } as never).catch(() => undefined);

    const requests = await control('GET', '/requests?method=POST&pathPrefix=/v1/responses');
    const violations = await control('GET', '/schema-violations');
    const stores = await control('GET', '/stores');

    expect(requests.body).toEqual([expect.objectContaining({ path: '/v1/responses', body: { model: 'gpt-4.1-mini', input: 'recorded' } })]);
    expect(violations.body).toEqual([expect.objectContaining({ operationId: 'createVectorStore' })]);
    expect(stores.body).toMatchObject({ files: [], vectorStores: [{ name: 'Docs', files: [] }] });
  });

  it('answers unknown control routes with 404', async () => {
    expect((await control('GET', '/nope')).status).toBe(404);
  });

  it('answers unknown API routes with an OpenAI 404 body', async () => {
    const response = await fetch(`${fake.baseUrl}/assistants`, { headers: { authorization: 'Bearer sk-test' } });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'Invalid URL (GET /v1/assistants)', type: 'invalid_request_error', param: null, code: null },
    });
  });
});

describe('fake OpenAI: standalone CLI', () => {
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('prints its base URL and serves the API', async () => {
    child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'test/support/fake-openai-cli.ts'], {
      env: { ...process.env, FAKE_OPENAI_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [firstLine] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];

    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(`${firstLine}/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect(response.status).toBe(200);
  });
});
