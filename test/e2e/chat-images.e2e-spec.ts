import request from 'supertest';
import { chatJson, chatUser, responseRequests, type ChatUser } from '../support/chat-helpers.js';
import type { MultipartBody } from '../support/fake-openai/request-log.js';
import { newApiKey, uploadFile, waitForIdleUpstream } from '../support/platform-api.js';
import { pngOfSize } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

interface CopyRow {
  upstream_file_id: string | null;
  upstream_key_ref: string | null;
  upstream_expires_at: Date | null;
}

describe('chat images by reference', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  const uploadsToFiles = () => app.fake.requestsTo('POST', '/v1/files');
  /** The file ids of the input_image parts of a request to /v1/responses. */
  const sentImages = (body: any): string[] =>
    body.input.flatMap((item: any) => (Array.isArray(item.content) ? item.content : []).filter((part: any) => part.type === 'input_image').map((part: any) => part.file_id));
  const copyOf = async (fileId: string): Promise<CopyRow> =>
    (await app.dataSource.query('SELECT upstream_file_id, upstream_key_ref, upstream_expires_at FROM files WHERE id = $1', [fileId]))[0];

  async function imageIn(user: ChatUser, size = 20_000): Promise<{ fileId: string; bytes: Buffer }> {
    const bytes = pngOfSize(size);
    return { fileId: (await uploadFile(app.baseUrl, user.cookie, bytes, 'photo.png')).fileIds[0], bytes };
  }

  it('copies an image to OpenAI Files once, streamed with its length as a vision file that expires, and sends its file_id in later turns and threads', async () => {
    const user = await chatUser(app);
    const image = await imageIn(user);
    const uploadsBefore = uploadsToFiles().length;

    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'What is this?', fileIds: [image.fileId] }).expect(200);
    const uploads = uploadsToFiles().slice(uploadsBefore);
    expect(uploads).toHaveLength(1);
    const form = uploads[0].body as MultipartBody;
    expect(form.fields).toEqual({ purpose: 'vision', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '2592000' });
    expect(form.files).toEqual([{ field: 'file', filename: `${image.fileId}.png`, contentType: 'image/png', bytes: image.bytes }]);
    // Sent with its length, not chunked: the API can refuse an oversized body before reading it.
    expect(uploads[0].headers['transfer-encoding']).toBeUndefined();
    expect(Number(uploads[0].headers['content-length'])).toBeGreaterThan(image.bytes.length);

    const copyId = [...app.fake.files.values()].find((file) => file.bytes.equals(image.bytes))!.id;
    expect(sentImages(responseRequests(app).at(-1))).toEqual([copyId]);
    const copy = await copyOf(image.fileId);
    expect(copy).toMatchObject({ upstream_file_id: copyId, upstream_key_ref: expect.stringMatching(/^user:\d+$/) });
    expect(Math.abs(copy.upstream_expires_at!.getTime() - (Date.now() + THIRTY_DAYS_MS))).toBeLessThan(60_000);

    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'And now?' }).expect(200);
    expect(sentImages(responseRequests(app).at(-1))).toEqual([copyId]);
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Again, elsewhere', fileIds: [image.fileId] }).expect(200);
    expect(sentImages(responseRequests(app).at(-1))).toEqual([copyId]);
    expect(uploadsToFiles().length).toBe(uploadsBefore + 1);
  });

  it('copies an image again when OpenAI no longer has its copy: the turn still answers, and later turns send the new copy', async () => {
    const user = await chatUser(app);
    const image = await imageIn(user);
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Keep this', fileIds: [image.fileId] }).expect(200);
    const vanished = (await copyOf(image.fileId)).upstream_file_id!;
    // Deleted at OpenAI behind the platform's back (by hand, or by an expiry it did not know of).
    await fetch(`${app.fake.baseUrl}/files/${vanished}`, { method: 'DELETE', headers: { authorization: 'Bearer sk-test-someone' } });
    const requestsBefore = responseRequests(app).length;
    const uploadsBefore = uploadsToFiles().length;

    app.fake.enqueueResponse({ text: 'Still here.' });
    const answer = await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'Do you still see it?' }).expect(200);
    expect(answer.body.content).toEqual([{ type: 'text', text: 'Still here.' }]);
    const attempts = app.fake.requestsTo('POST', '/v1/responses').slice(requestsBefore);
    expect(attempts.map((attempt) => attempt.status)).toEqual([404, 200]);
    const renewed = (await copyOf(image.fileId)).upstream_file_id!;
    expect(renewed).not.toBe(vanished);
    expect(sentImages(attempts[0].body)).toEqual([vanished]);
    expect(sentImages(attempts[1].body)).toEqual([renewed]);
    expect(uploadsToFiles().length).toBe(uploadsBefore + 1);

    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'And later?' }).expect(200);
    expect(sentImages(responseRequests(app).at(-1))).toEqual([renewed]);
    expect(uploadsToFiles().length).toBe(uploadsBefore + 1);
  });

  it('makes a new copy after the user saves another key, and before a copy expires', async () => {
    const user = await chatUser(app);
    const image = await imageIn(user);
    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Look', fileIds: [image.fileId] }).expect(200);
    const madeWithOldKey = await copyOf(image.fileId);

    // Another key may be another OpenAI project, which cannot see the old copy.
    const newKey = newApiKey();
    await request(app.baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey: newKey }).expect(200);
    const uploadsBefore = uploadsToFiles().length;
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'With my new key' }).expect(200);
    expect(uploadsToFiles().slice(uploadsBefore).map((upload) => upload.headers.authorization)).toEqual([`Bearer ${newKey}`]);
    const madeWithNewKey = await copyOf(image.fileId);
    expect(madeWithNewKey.upstream_file_id).not.toBe(madeWithOldKey.upstream_file_id);
    expect(madeWithNewKey.upstream_key_ref).not.toBe(madeWithOldKey.upstream_key_ref);
    expect(sentImages(responseRequests(app).at(-1))).toEqual([madeWithNewKey.upstream_file_id]);

    await app.dataSource.query(`UPDATE files SET upstream_expires_at = now() + interval '1 minute' WHERE id = $1`, [image.fileId]);
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'About to expire' }).expect(200);
    expect(uploadsToFiles().length).toBe(uploadsBefore + 2);
    const fresh = await copyOf(image.fileId);
    expect(fresh.upstream_file_id).not.toBe(madeWithNewKey.upstream_file_id);
    expect(sentImages(responseRequests(app).at(-1))).toEqual([fresh.upstream_file_id]);
  });

  it("deletes an image's copy at OpenAI when the image is deleted", async () => {
    const user = await chatUser(app);
    const image = await imageIn(user);
    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Look', fileIds: [image.fileId] }).expect(200);
    const copyId = (await copyOf(image.fileId)).upstream_file_id!;
    expect(app.fake.files.has(copyId)).toBe(true);

    await request(app.baseUrl).delete(`/api/files/${image.fileId}`).set('Cookie', user.cookie).expect(200);
    await waitForIdleUpstream(app.dataSource);
    expect(app.fake.files.has(copyId)).toBe(false);
  });

  it('fails the turn with the upstream error when an image cannot be copied, keeps the message, and frees the thread', async () => {
    const user = await chatUser(app);
    const image = await imageIn(user);
    const requestsBefore = responseRequests(app).length;
    app.fake.failNext('files', { kind: 'server_error' });

    const failed = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Look', fileIds: [image.fileId] });
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe('upstream_unavailable');
    expect(responseRequests(app)).toHaveLength(requestsBefore);
    const threadId = failed.body.details[0].threadId;
    await chatJson(app, user.cookie, { threadId, message: 'Try again' }).expect(200);
    expect(sentImages(responseRequests(app).at(-1))).toEqual([(await copyOf(image.fileId)).upstream_file_id]);
  });
});
