import OpenAI, { toFile } from 'openai';
import request from 'supertest';
import { registerUserWithKey } from '../support/platform-api.js';
import { apiToken, platformClient, uuidOf, v1Suite } from '../support/openai-wire/v1-client.js';
import { minimalPng } from '../support/sample-files.js';

describe('/v1/files (OpenAI Files API wire format)', () => {
  const suite = v1Suite({ UPLOAD_MAX_FILE_BYTES: '4096' });
  const api = () => request(suite.app.baseUrl);

  const signedIn = async (scopes?: string[]) => {
    const user = await registerUserWithKey(suite.app.baseUrl);
    const token = await apiToken(suite.app, user.cookie, scopes);
    return { ...user, token, client: platformClient(suite.app, token, suite.answers) };
  };

  it('uploads, retrieves, downloads and deletes through the SDK, the same files as /api/files', async () => {
    const { client, cookie } = await signedIn();
    const created = await client.files.create({ file: await toFile(Buffer.from('Refunds take 14 days.\n'), 'policy.txt'), purpose: 'assistants' });
    expect(created).toEqual({
      id: expect.stringMatching(/^file-[0-9a-f]{32}$/),
      object: 'file',
      bytes: 22,
      created_at: expect.any(Number),
      filename: 'policy.txt',
      purpose: 'assistants',
      status: 'processed',
    });
    expect(await client.files.retrieve(created.id)).toEqual(created);
    const content = await client.files.content(created.id);
    expect(await content.text()).toBe('Refunds take 14 days.\n');

    // The same file under /api.
    const apiFile = (await api().get(`/api/files/${uuidOf(created.id)}`).set('Cookie', cookie).expect(200)).body;
    expect(apiFile).toMatchObject({ filename: 'policy.txt', kind: 'document', sizeBytes: 22 });

    expect(await client.files.delete(created.id)).toEqual({ id: created.id, object: 'file', deleted: true });
    await expect(client.files.retrieve(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await api().get(`/api/files/${uuidOf(created.id)}`).set('Cookie', cookie).expect(404);
  });

  it('lists by purpose, newest first, with limit, order and after', async () => {
    const { client } = await signedIn();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await client.files.create({ file: await toFile(Buffer.from(`note ${index}\n`), `n${index}.txt`), purpose: 'assistants' })).id);
    }
    const image = await client.files.create({ file: await toFile(minimalPng(), 'dot.png'), purpose: 'vision' });
    expect(image.purpose).toBe('vision');

    expect((await client.files.list()).data.map((file) => file.id)).toEqual([image.id, ...[...ids].reverse()]);
    expect((await client.files.list({ purpose: 'assistants' })).data.map((file) => file.id)).toEqual([...ids].reverse());
    expect((await client.files.list({ purpose: 'vision' })).data.map((file) => file.id)).toEqual([image.id]);
    expect((await client.files.list({ purpose: 'batch' })).data).toEqual([]);
    const first = await client.files.list({ purpose: 'assistants', order: 'asc', limit: 2 });
    expect({ ids: first.data.map((file) => file.id), hasMore: first.has_more }).toEqual({ ids: ids.slice(0, 2), hasMore: true });
    const rest = await client.files.list({ purpose: 'assistants', order: 'asc', limit: 2, after: ids[1] });
    expect({ ids: rest.data.map((file) => file.id), hasMore: rest.has_more }).toEqual({ ids: [ids[2]], hasMore: false });
    expect((await client.files.list({ after: 'file-nonsense' })).data).toEqual([]);
  });

  it('refuses what the platform cannot keep, in the OpenAI error body, with the limits of /api uploads', async () => {
    const { client } = await signedIn();
    const refusals: Array<[() => Promise<unknown>, number, string]> = [
      [async () => client.files.create({ file: await toFile(minimalPng(), 'dot.png'), purpose: 'assistants' }), 400, 'validation_failed'],
      [async () => client.files.create({ file: await toFile(Buffer.from('text\n'), 't.txt'), purpose: 'vision' }), 400, 'validation_failed'],
      [async () => client.files.create({ file: await toFile(Buffer.from('text\n'), 't.txt'), purpose: 'fine-tune' }), 400, 'validation_failed'],
      [async () => client.files.create({ file: await toFile(Buffer.from([0, 1, 2, 3, 0, 255, 254]), 'blob.bin'), purpose: 'assistants' }), 415, 'unsupported_media_type'],
      [async () => client.files.create({ file: await toFile(Buffer.alloc(5000, 'a'), 'big.txt'), purpose: 'assistants' }), 413, 'payload_too_large'],
    ];
    for (const [attempt, status, code] of refusals) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect({ code, error }).toEqual({ code, error: expect.any(OpenAI.APIError) });
      expect({ status: (error as InstanceType<typeof OpenAI.APIError>).status, code: (error as InstanceType<typeof OpenAI.APIError>).error }).toEqual({ status, code: expect.objectContaining({ code }) });
    }
    expect((await client.files.list()).data).toEqual([]);
  });

  it("holds tokens to their scopes and answers 404 for another user's file", async () => {
    const owner = await signedIn();
    const mine = await owner.client.files.create({ file: await toFile(Buffer.from('private\n'), 'p.txt'), purpose: 'assistants' });
    const reader = platformClient(suite.app, await apiToken(suite.app, owner.cookie, ['read']), suite.answers);
    expect((await reader.files.list()).data.map((file) => file.id)).toEqual([mine.id]);
    const refused = await reader.files.create({ file: await toFile(Buffer.from('x\n'), 'x.txt'), purpose: 'assistants' }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((await reader.files.delete(mine.id).catch((caught: unknown) => caught))).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const writer = platformClient(suite.app, await apiToken(suite.app, owner.cookie, ['write']), suite.answers);
    expect(await writer.files.retrieve(mine.id).catch((caught: unknown) => caught)).toBeInstanceOf(OpenAI.PermissionDeniedError);

    const intruder = await signedIn();
    for (const attempt of [() => intruder.client.files.retrieve(mine.id), () => intruder.client.files.content(mine.id), () => intruder.client.files.delete(mine.id)]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
    }
    expect((await intruder.client.files.list()).data).toEqual([]);
    expect((await owner.client.files.retrieve(mine.id)).filename).toBe('p.txt');
  });
});
