import OpenAI from 'openai';
import request from 'supertest';
import { registerUserWithKey } from '../support/platform-api.js';
import { apiToken, platformClient, v1Suite } from '../support/openai-wire/v1-client.js';
import { WireSchemas, type CheckedAnswer } from '../support/openai-wire/wire-schemas.js';

describe('/v1/assistants (OpenAI Assistants API wire format)', () => {
  const suite = v1Suite({ TRASH_RETENTION_DAYS: '30' });
  const api = () => request(suite.app.baseUrl);

  const signedIn = async () => {
    const user = await registerUserWithKey(suite.app.baseUrl);
    const token = await apiToken(suite.app, user.cookie);
    return { ...user, token, client: platformClient(suite.app, token, suite.answers) };
  };

  it('creates, retrieves, modifies and deletes through the SDK, the same assistants as /api/assistants', async () => {
    const { client, cookie } = await signedIn();
    const created = await client.beta.assistants.create({
      model: 'gpt-4o-mini',
      name: 'Math Tutor',
      description: 'Helps with sums',
      instructions: 'You are a personal math tutor.',
      tools: [{ type: 'code_interpreter' }, { type: 'file_search' }],
      metadata: { team: 'maths' },
      temperature: 0.4,
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^asst_[0-9a-f]{32}$/),
      object: 'assistant',
      name: 'Math Tutor',
      description: 'Helps with sums',
      model: 'gpt-4o-mini',
      instructions: 'You are a personal math tutor.',
      tools: [{ type: 'code_interpreter' }, { type: 'file_search' }],
      tool_resources: {},
      metadata: { team: 'maths' },
      temperature: 0.4,
      top_p: 1,
      response_format: 'auto',
    });
    expect(Math.abs(created.created_at - Date.now() / 1000)).toBeLessThan(60);
    expect(await client.beta.assistants.retrieve(created.id)).toEqual(created);
    // The check can fail: an answer of another shape is caught.
    expect(WireSchemas.shared().violations('AssistantObject', { ...created, object: 'thread', created_at: 'now' })).toHaveLength(2);

    // The same assistant under /api: its UUID is the id's 32 hex digits.
    const uuid = created.id.slice(5).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const [listed] = (await api().get('/api/assistants').set('Cookie', cookie).expect(200)).body;
    expect(listed).toMatchObject({ id: uuid, name: 'Math Tutor', model: 'gpt-4o-mini', metadata: { team: 'maths' }, temperature: 0.4 });
    await api().patch(`/api/assistants/${uuid}`).set('Cookie', cookie).send({ instructions: 'Changed under /api' }).expect(200);
    expect((await client.beta.assistants.retrieve(created.id)).instructions).toBe('Changed under /api');

    const modified = await client.beta.assistants.update(created.id, { name: 'Algebra Tutor', metadata: { team: 'algebra' }, tools: [{ type: 'file_search' }], temperature: null });
    expect(modified).toMatchObject({ id: created.id, name: 'Algebra Tutor', metadata: { team: 'algebra' }, tools: [{ type: 'file_search' }], temperature: null, instructions: 'Changed under /api' });
    expect((await api().get(`/api/assistants/${uuid}`).set('Cookie', cookie).expect(200)).body).toMatchObject({ name: 'Algebra Tutor', tools: [{ type: 'file_search' }] });

    expect(await client.beta.assistants.delete(created.id)).toEqual({ id: created.id, object: 'assistant.deleted', deleted: true });
    await expect(client.beta.assistants.retrieve(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await api().get(`/api/assistants/${uuid}`).set('Cookie', cookie).expect(404);
  });

  it('keeps the platform-only tools an assistant has when /v1 changes its tools, and shows an assistant made under /api', async () => {
    const { client, cookie } = await signedIn();
    const made = (await api().post('/api/assistants').set('Cookie', cookie).send({ name: 'Searcher', tools: [{ type: 'web_search' }, { type: 'file_search' }] }).expect(201)).body;
    const id = `asst_${made.id.replace(/-/g, '')}`;
    expect((await client.beta.assistants.retrieve(id)).tools).toEqual([{ type: 'file_search' }]);
    await client.beta.assistants.update(id, { tools: [{ type: 'code_interpreter' }] });
    const tools = (await api().get(`/api/assistants/${made.id}`).set('Cookie', cookie).expect(200)).body.tools.map((tool: { type: string }) => tool.type);
    expect(tools.sort()).toEqual(['code_interpreter', 'web_search']);
    // Made without a name over /v1: null there.
    expect((await client.beta.assistants.create({ model: 'gpt-4o' })).name).toBeNull();
  });

  it('lists by creation time with limit, order and cursors, and the SDK pages through all of them', async () => {
    const { client } = await signedIn();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push((await client.beta.assistants.create({ model: 'gpt-4o-mini', name: `A${index}` })).id);
    const newestFirst = [...ids].reverse();

    const first = await client.beta.assistants.list({ limit: 2 });
    expect(first.data.map((assistant) => assistant.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    const seen: string[] = [];
    for await (const assistant of client.beta.assistants.list({ limit: 2 })) seen.push(assistant.id);
    expect(seen).toEqual(newestFirst);
    const ascending: string[] = [];
    for await (const assistant of client.beta.assistants.list({ limit: 3, order: 'asc' })) ascending.push(assistant.id);
    expect(ascending).toEqual(ids);

    const raw = await api().get(`/v1/assistants?limit=2&order=asc&after=${ids[1]}`).set('Authorization', `Bearer ${(client as any).apiKey}`).expect(200);
    suite.answers.push(check('GET', '/v1/assistants', raw));
    expect(raw.body).toEqual({ object: 'list', data: [expect.objectContaining({ id: ids[2] }), expect.objectContaining({ id: ids[3] })], first_id: ids[2], last_id: ids[3], has_more: true });
    const before = await client.beta.assistants.list({ limit: 2, before: ids[1] });
    expect(before.data.map((assistant) => assistant.id)).toEqual([ids[3], ids[2]]);
    expect((await client.beta.assistants.list({ after: 'asst_00000000000000000000000000000000' })).data).toEqual([]);
    const empty = await api().get('/v1/assistants?after=not-an-id').set('Authorization', `Bearer ${(client as any).apiKey}`).expect(200);
    expect(empty.body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });

    for (const query of ['limit=0', 'limit=101', 'order=sideways', 'page=2']) {
      const refused = await api().get(`/v1/assistants?${query}`).set('Authorization', `Bearer ${(client as any).apiKey}`);
      suite.answers.push(check('GET', '/v1/assistants', refused));
      expect({ query, status: refused.status, type: refused.body.error?.type }).toEqual({ query, status: 400, type: 'invalid_request_error' });
    }
  });

  it("suite.answers in OpenAI's error format: bad tokens 401, another user's assistant 404, bad input 400, missing scope 403", async () => {
    const owner = await signedIn();
    const intruder = await signedIn();
    const mine = await owner.client.beta.assistants.create({ model: 'gpt-4o-mini', name: 'Private' });

    for (const key of ['ap_wrong', `ap_${'A'.repeat(43)}`, 'sk-not-a-platform-token']) {
      const client = platformClient(suite.app, key, suite.answers);
      const error = await client.beta.assistants.list().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((error as InstanceType<typeof OpenAI.APIError>).error).toEqual({ message: expect.any(String), type: 'authentication_error', param: null, code: 'invalid_api_token' });
    }
    const anonymous = await api().get('/v1/assistants');
    suite.answers.push(check('GET', '/v1/assistants', anonymous));
    expect({ status: anonymous.status, code: anonymous.body.error.code }).toEqual({ status: 401, code: 'not_authenticated' });

    for (const attempt of [
      () => intruder.client.beta.assistants.retrieve(mine.id),
      () => intruder.client.beta.assistants.update(mine.id, { name: 'Mine now' }),
      () => intruder.client.beta.assistants.delete(mine.id),
      () => intruder.client.beta.assistants.retrieve('asst_not-hex'),
      () => intruder.client.beta.assistants.retrieve(mine.id.replace('asst_', 'thread_')),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
    }
    expect((await owner.client.beta.assistants.retrieve(mine.id)).name).toBe('Private');
    expect((await intruder.client.beta.assistants.list()).data).toEqual([]);

    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: 'No model' }, 'model'],
      [{ model: 'gpt-4o-mini', temperature: 5 }, 'temperature'],
      [{ model: 'gpt-4o-mini', tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools[0]'],
      [{ model: 'gpt-4o-mini', top_p: 0.5 }, 'top_p'],
      [{ model: 'gpt-4o-mini', response_format: { type: 'json_object' } }, 'response_format'],
      [{ model: 'gpt-4o-mini', tool_resources: { code_interpreter: { file_ids: ['file-1'] } } }, 'tool_resources.code_interpreter.file_ids'],
      [{ model: 'gpt-4o-mini', tool_resources: { file_search: { vector_store_ids: ['vs_1', 'vs_2'] } } }, 'tool_resources.file_search.vector_store_ids'],
      [{ model: 'gpt-4o-mini', metadata: Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v'])) }, 'metadata'],
      [{ model: 'gpt-4o-mini', surprise: true }, 'surprise'],
      [{ model: 'not a model!' }, 'model'],
    ];
    for (const [body, param] of bad) {
      const error = await owner.client.beta.assistants.create(body as never).catch((caught: unknown) => caught);
      expect({ param, error }).toEqual({ param, error: expect.any(OpenAI.BadRequestError) });
      expect({ param, body: (error as InstanceType<typeof OpenAI.APIError>).error }).toEqual({ param, body: expect.objectContaining({ type: 'invalid_request_error', param }) });
    }
    // An unknown model is a 422 that names the nearest ones.
    const unknownModel = await owner.client.beta.assistants.create({ model: 'gpt-4o-minii' }).catch((caught: unknown) => caught);
    expect((unknownModel as InstanceType<typeof OpenAI.APIError>).status).toBe(422);

    const readOnly = platformClient(suite.app, await apiToken(suite.app, owner.cookie, ['read']), suite.answers);
    expect((await readOnly.beta.assistants.list()).data.map((assistant) => assistant.id)).toEqual([mine.id]);
    const refused = await readOnly.beta.assistants.create({ model: 'gpt-4o-mini' }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'permission_error', code: 'insufficient_scope' });
    // A session is not enough for /v1.
    const withCookie = await api().get('/v1/assistants').set('Cookie', owner.cookie);
    expect(withCookie.status).toBe(401);
  });
});

function check(method: string, path: string, response: request.Response): CheckedAnswer {
  const component = WireSchemas.componentFor(method, path, response.status);
  return { method, path, status: response.status, component, violations: component ? WireSchemas.shared().violations(component, response.body) : ['no schema'] };
}
