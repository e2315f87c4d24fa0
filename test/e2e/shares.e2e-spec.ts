import request from 'supertest';
import { conversationUser, threadWith } from '../support/conversation-helpers.js';
import { rawBytes, uploadFile } from '../support/platform-api.js';
import { minimalPng } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SHARED_KEYS = ['messages', 'sharedAt', 'title'];
const SHARED_MESSAGE_KEYS = ['content', 'createdAt', 'role'];

describe('share links', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { SHARE_MAX_PER_USER: '3', SHARE_MAX_MESSAGES: '6', SHARE_READS_PER_MINUTE: '1000' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  const share = (cookie: string, threadId: string, body: object = {}) =>
    request(app.baseUrl).post(`/api/threads/${threadId}/shares`).set('Cookie', cookie).send(body);
  /** Read the way a stranger does: no cookie at all. */
  const readShared = (path: string) => request(app.baseUrl).get(path);

  it('is read without a session, as a frozen snapshot with nothing private, until it is revoked', async () => {
    const user = await conversationUser(app);
    const { threadId } = await threadWith(app, user.cookie, 'Recipe', ['How do I make bread?', 'Flour, water, salt and time.']);

    const created = await share(user.cookie, threadId).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      threadId,
      title: 'Recipe',
      messageCount: 2,
      includeFiles: false,
      createdAt: expect.stringMatching(/Z$/),
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      path: `/api/shared/${created.body.token}`,
    });
    // 43 base64url characters: 258 bits written, 256 of them random; only the hash is stored.
    expect(Buffer.from(created.body.token, 'base64url')).toHaveLength(32);
    const [stored] = await app.dataSource.query('SELECT token_hash FROM thread_shares WHERE id = $1', [created.body.id]);
    expect(stored.token_hash).toHaveLength(32);
    expect(stored.token_hash.toString('base64url')).not.toBe(created.body.token);
    const [raw] = await app.dataSource.query('SELECT row_to_json(s)::text AS text FROM thread_shares s WHERE id = $1', [created.body.id]);
    expect(raw.text).not.toContain(created.body.token);

    const read = await readShared(created.body.path).expect(200);
    expect(read.headers['cache-control']).toBe('no-store');
    expect(read.headers['set-cookie']).toBeUndefined();
    expect(Object.keys(read.body).sort()).toEqual(SHARED_KEYS);
    expect(read.body).toEqual({
      title: 'Recipe',
      sharedAt: created.body.createdAt,
      messages: [
        { role: 'user', content: 'How do I make bread?', createdAt: expect.any(String) },
        { role: 'assistant', content: 'Flour, water, salt and time.', createdAt: expect.any(String) },
      ],
    });
    for (const message of read.body.messages) expect(Object.keys(message).sort()).toEqual(SHARED_MESSAGE_KEYS);
    const [{ email }] = await app.dataSource.query('SELECT email FROM users WHERE id = $1', [user.userId]);
    for (const secret of [email, user.userId, threadId, created.body.id]) expect(read.text).not.toContain(secret);

    // Frozen: later messages and a new title do not reach the link.
    await request(app.baseUrl).post(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).send({ role: 'user', content: 'And rye?' }).expect(201);
    await request(app.baseUrl).patch(`/api/threads/${threadId}`).set('Cookie', user.cookie).send({ title: 'Renamed' }).expect(200);
    const later = await readShared(created.body.path).expect(200);
    expect(later.body).toEqual(read.body);

    const listed = await request(app.baseUrl).get('/api/shares').set('Cookie', user.cookie).expect(200);
    expect(listed.body).toEqual([{ id: created.body.id, threadId, title: 'Recipe', messageCount: 2, includeFiles: false, createdAt: created.body.createdAt }]);

    // A thread in the trash takes its links down until it is restored.
    await request(app.baseUrl).delete(`/api/threads/${threadId}`).set('Cookie', user.cookie).expect(200);
    await readShared(created.body.path).expect(404);
    await request(app.baseUrl).post(`/api/threads/${threadId}/restore`).set('Cookie', user.cookie).expect(200);
    await readShared(created.body.path).expect(200);

    await request(app.baseUrl).delete(`/api/shares/${created.body.id}`).set('Cookie', user.cookie).expect(200);
    const revoked = await readShared(created.body.path);
    expect({ status: revoked.status, body: revoked.body }).toEqual({ status: 404, body: { error: 'Shared conversation not found', code: 'not_found' } });
    await request(app.baseUrl).delete(`/api/shares/${created.body.id}`).set('Cookie', user.cookie).expect(404);
    expect((await request(app.baseUrl).get('/api/shares').set('Cookie', user.cookie).expect(200)).body).toEqual([]);
  });

  it('answers 404 alike for unknown, malformed and hostile tokens, and never logs a token', async () => {
    const user = await conversationUser(app);
    const { threadId } = await threadWith(app, user.cookie, null, ['Hi', 'Hello']);
    const created = await share(user.cookie, threadId).expect(201);
    const unknown = await readShared(`/api/shared/${'A'.repeat(43)}`);
    for (const token of ['x', created.body.token.slice(0, 42), `${created.body.token}A`, '%00', '..%2F..%2Fapi%2Fuser', 'a'.repeat(5000)]) {
      const response = await readShared(`/api/shared/${token}`);
      expect({ token: token.slice(0, 50), status: response.status, body: response.body }).toEqual({ token: token.slice(0, 50), status: 404, body: unknown.body });
    }
    expect(unknown.status).toBe(404);
    const logged = JSON.stringify(app.logs.entries());
    expect(logged).not.toContain(created.body.token);
    expect(logged).toContain('/api/shared/[redacted]');
  });

  it('includes files only when the owner chooses: names, types, sizes and a download, never ids', async () => {
    const user = await conversationUser(app);
    const image = await uploadFile(app.baseUrl, user.cookie, minimalPng(), 'holiday.png');
    const thread = await request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ title: 'Photos' }).expect(201);
    await request(app.baseUrl)
      .post(`/api/threads/${thread.body.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'Look at this', fileIds: image.fileIds })
      .expect(201);

    const without = await share(user.cookie, thread.body.id).expect(201);
    const plain = await readShared(without.body.path).expect(200);
    expect(plain.body.messages).toEqual([{ role: 'user', content: 'Look at this', createdAt: expect.any(String) }]);
    expect(plain.text).not.toContain('holiday');

    // Without the choice there is no file to download either.
    await readShared(`${without.body.path}/files/0`).expect(404);

    const withFiles = await share(user.cookie, thread.body.id, { includeFiles: true }).expect(201);
    const shown = await readShared(withFiles.body.path).expect(200);
    const filePath = `${withFiles.body.path}/files/0`;
    expect(shown.body.messages).toEqual([
      {
        role: 'user',
        content: 'Look at this',
        createdAt: expect.any(String),
        files: [{ filename: 'holiday.png', contentType: 'image/png', size: minimalPng().length, path: filePath }],
        sources: [],
      },
    ]);
    expect(shown.text).not.toContain(image.fileIds[0]);
    const downloaded = await readShared(filePath).buffer(true).parse(rawBytes).expect(200);
    expect(downloaded.headers['content-type']).toBe('image/png');
    expect(downloaded.headers['set-cookie']).toBeUndefined();
    expect((downloaded.body as Buffer).equals(minimalPng())).toBe(true);
    for (const position of ['1', '-1', 'x', '0.5', '99999999']) await readShared(`${withFiles.body.path}/files/${position}`).expect(404);

    // The owner deletes the file: the link still shows its name, the download is gone.
    await request(app.baseUrl).delete(`/api/files/${image.fileIds[0]}`).set('Cookie', user.cookie).expect(200);
    await readShared(filePath).expect(404);
    expect((await readShared(withFiles.body.path).expect(200)).body.messages[0].files[0].filename).toBe('holiday.png');
    await request(app.baseUrl).delete(`/api/shares/${withFiles.body.id}`).set('Cookie', user.cookie).expect(200);
    await readShared(filePath).expect(404);
  });

  it('is bounded: links per user, messages per snapshot; a bad body is refused', async () => {
    const user = await conversationUser(app);
    const small = await threadWith(app, user.cookie, null, ['One', 'Two']);
    const large = await threadWith(app, user.cookie, null, ['1', '2', '3', '4', '5', '6', '7']);
    const tooLarge = await share(user.cookie, large.threadId);
    expect({ status: tooLarge.status, code: tooLarge.body.code }).toEqual({ status: 413, code: 'share_too_large' });
    for (const body of [{ includeFiles: 'yes' }, { includeFiles: null }, { other: 1 }]) {
      const refused = await share(user.cookie, small.threadId, body);
      expect({ body, status: refused.status, code: refused.body.code }).toEqual({ body, status: 400, code: 'validation_failed' });
    }
    const made = await Promise.all([1, 2, 3, 4, 5].map(() => share(user.cookie, small.threadId)));
    expect(made.map((response) => response.status).sort()).toEqual([201, 201, 201, 409, 409]);
    expect(made.find((response) => response.status === 409)!.body.code).toBe('share_limit_reached');
    expect((await request(app.baseUrl).get('/api/shares').set('Cookie', user.cookie).expect(200)).body).toHaveLength(3);
  });

  it('reads are limited per address', async () => {
    const limited = await startTestApp({ env: { SHARE_READS_PER_MINUTE: '3' } });
    try {
      const user = await conversationUser(limited);
      const { threadId } = await threadWith(limited, user.cookie, null, ['Hi']);
      const created = await request(limited.baseUrl).post(`/api/threads/${threadId}/shares`).set('Cookie', user.cookie).send({}).expect(201);
      for (let read = 0; read < 3; read++) await request(limited.baseUrl).get(created.body.path).expect(200);
      const refused = await request(limited.baseUrl).get(created.body.path);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 429, code: 'rate_limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Guesses count too.
      expect((await request(limited.baseUrl).get(`/api/shared/${'B'.repeat(43)}`)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
