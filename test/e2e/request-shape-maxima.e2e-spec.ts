import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { pngOfSize } from '../support/sample-files.js';
import { sessionCookie } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

/**
 * JSON as a client that escapes everything outside ASCII writes it (Python's
 * json.dumps does by default): an emoji takes 12 bytes, the most any
 * character can, so these are the largest bodies the sign-in routes can get.
 */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);

const EMOJI_PASSWORD = () => `${'😀'.repeat(1_020)}${Math.random().toString(36).slice(2, 6)}`;
/** The longest address the e-mail check takes: 254 characters, 64 of them before the @. */
const longestEmail = () => `${randomUUID().replace(/-/g, '').padEnd(64, 'a')}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.org`;

const uuids = (count: number) => Array.from({ length: count }, () => randomUUID());

function send(app: TestApp, method: 'post' | 'patch' | 'delete', path: string, body: string, cookie?: string) {
  const pending = request(app.baseUrl)[method](path).set('Content-Type', 'application/json');
  return (cookie ? pending.set('Cookie', cookie) : pending).send(body);
}

/** Every field of an assistant at its longest: 16 metadata pairs of the longest keys and values, all three tools. */
const largestAssistantFields = () => ({
  name: 'n'.repeat(256),
  description: 'd'.repeat(512),
  model: 'gpt-4o-mini',
  instructions: 'i'.repeat(256_000),
  temperature: 2,
  tools: [{ type: 'file_search' }, { type: 'web_search' }, { type: 'code_interpreter' }],
  metadata: Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`${index}`.padEnd(64, 'k'), 'v'.repeat(512)])),
  isActive: true,
});

describe('the largest legitimate body of each route passes the shape and size limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Uploads stay on the platform: attaching 500 documents would otherwise start 500 upstream jobs.
    // Images per message at the DTO's own maximum, so the shape of the largest body is what is tried.
    app = await startTestApp({ env: { UPSTREAM_SYNC_ENABLED: 'false', UPLOAD_MAX_FILES: '250', CHAT_MAX_IMAGES_PER_MESSAGE: '20' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('signs up, signs in, changes the password and deletes the account with every field at its longest, escaped', async () => {
    const email = longestEmail();
    const password = EMOJI_PASSWORD();
    const registration = { email, password, name: '😀'.repeat(200) };
    expect(Buffer.byteLength(asciiJson(registration))).toBeGreaterThan(14_000);
    const registered = await send(app, 'post', '/api/register', asciiJson(registration));
    expect({ status: registered.status, body: registered.body }).toMatchObject({ status: 201, body: { email } });

    const signedIn = await send(app, 'post', '/api/login', asciiJson({ email, password }));
    expect(signedIn.status).toBe(200);
    const cookie = sessionCookie(signedIn);

    const newPassword = EMOJI_PASSWORD();
    const change = asciiJson({ currentPassword: password, newPassword });
    // Over 24 KB: why the sign-in routes' limit is 32 KB and not 16.
    expect(Buffer.byteLength(change)).toBeGreaterThan(24_000);
    expect((await send(app, 'post', '/api/user/password', change, cookie)).status).toBe(200);

    const deleted = await send(app, 'delete', '/api/user', asciiJson({ password: newPassword }), cookie);
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 200, body: { message: 'Account deleted' } });
  });

  it('creates and updates an assistant with every field at its longest, 16 metadata pairs and 500 file ids each way', async () => {
    const registered = await request(app.baseUrl).post('/api/register').send({ email: `max-${randomUUID()}@example.org`, password: 'correct horse battery staple' });
    const cookie = sessionCookie(registered);
    const fileIds: string[] = [];
    for (let batch = 0; batch < 2; batch++) {
      const upload = request(app.baseUrl).post('/api/upload').set('Cookie', cookie);
      for (let index = 0; index < 250; index++) upload.attach('files', Buffer.from(`note ${batch}-${index}`), `note-${batch}-${index}.txt`);
      const uploaded = await upload;
      expect(uploaded.status).toBe(201);
      fileIds.push(...uploaded.body.fileIds);
    }
    expect(fileIds).toHaveLength(500);

    const created = await send(app, 'post', '/api/assistants', JSON.stringify({ ...largestAssistantFields(), fileIds }), cookie);
    expect({ status: created.status, files: created.body.fileIds?.length, metadata: Object.keys(created.body.metadata ?? {}).length }).toEqual({
      status: 201,
      files: 500,
      metadata: 16,
    });

    const second = await send(app, 'post', '/api/assistants', JSON.stringify({ name: 'Second' }), cookie);
    // About 1,040 values: the largest body the API takes, by count.
    const update = { ...largestAssistantFields(), addFileIds: fileIds, removeFileIds: uuids(500) };
    const updated = await send(app, 'patch', `/api/assistants/${second.body.id}`, JSON.stringify(update), cookie);
    expect({ status: updated.status, files: updated.body.fileIds?.length }).toEqual({ status: 200, files: 500 });
  });

  it('adds a message and starts a chat turn with the longest text and 20 attachments (refused only for files that do not exist)', async () => {
    const registered = await request(app.baseUrl).post('/api/register').send({ email: `max-${randomUUID()}@example.org`, password: 'correct horse battery staple' });
    const cookie = sessionCookie(registered);
    const upload = request(app.baseUrl).post('/api/upload').set('Cookie', cookie);
    for (let index = 0; index < 20; index++) upload.attach('files', pngOfSize(200), `image-${index}.png`);
    const images = (await upload.expect(201)).body.fileIds as string[];
    const assistant = await send(app, 'post', '/api/assistants', JSON.stringify({ name: 'Helper' }), cookie);
    const thread = await send(app, 'post', '/api/thread/new', JSON.stringify({ title: 't'.repeat(200), assistantId: assistant.body.id }), cookie);
    expect({ status: thread.status, body: thread.body }).toMatchObject({ status: 201 });

    const content = '✓'.repeat(app.config.chat.maxInputChars);
    const added = await send(app, 'post', `/api/threads/${thread.body.id}/messages`, asciiJson({ role: 'user', content, fileIds: images }), cookie);
    expect({ status: added.status, files: added.body.fileIds?.length }).toEqual({ status: 201, files: 20 });

    const turn = {
      threadId: thread.body.id,
      assistantId: randomUUID(),
      message: content,
      fileIds: uuids(20),
      replyToId: added.body.id,
      stream: false,
      model: 'm'.repeat(128),
      temperature: 2,
      maxOutputTokens: 128_000,
    };
    const chat = await send(app, 'post', '/api/chat', asciiJson(turn), cookie);
    // Past the body checks and validation, into the service, which looks the files up.
    expect({ status: chat.status, code: chat.body.code }).toEqual({ status: 404, code: 'not_found' });
  });
});
