import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually, storedRowCounts, uploadFile } from '../support/platform-api.js';
import { fieldPart, filePart, multipartBody, multipartPieces, sendChunked, sendRaw } from '../support/raw-multipart.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const BOUNDARY = 'limitsBoundary5f4e3d2c';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** Bytes waiting in the temporary folder's spools (0 when none). */
async function spooledBytes(tempDir: string): Promise<number> {
  let total = 0;
  for (const spool of await readdir(tempDir)) {
    for (const file of await readdir(join(tempDir, spool)).catch(() => [])) total += (await stat(join(tempDir, spool, file)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

const emptied = (tempDir: string) =>
  eventually(async () => ((await readdir(tempDir)).length === 0 ? true : undefined), { describe: () => readdir(tempDir) });

describe('uploads counted as they stream, whatever the headers say', () => {
  let app: TestApp;
  let tempDir: string;

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'upload-limits-'));
    app = await startTestApp({ env: { UPLOAD_MAX_REQUEST_BYTES: '64kb', UPLOAD_TEMP_DIR: tempDir } });
  });

  afterAll(async () => {
    await app?.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('cuts a chunked 1.2 MB body (no Content-Length) at a 64 KB limit with 413 and Connection: close, keeping nothing', async () => {
    const user = await registerUser(app.baseUrl);
    const answer = await sendChunked(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: user.cookie, 'content-type': MULTIPART },
      pieces: multipartPieces(BOUNDARY, 1, 1_200_000),
    });
    expect({ status: answer.status, code: (answer.body as { code?: string }).code }).toEqual({ status: 413, code: 'payload_too_large' });
    expect(answer.raw).toMatch(/^connection: close\r$/im);
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
    await emptied(tempDir);

    // Announced too large, it is refused before a byte is read; a small upload still goes through.
    const announced = multipartBody(BOUNDARY, [filePart('file', 'big.txt', Buffer.alloc(100_000, 'b'))]);
    const upfront = await sendRaw(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: user.cookie, 'content-type': MULTIPART, 'content-length': String(announced.length) },
      body: announced,
    });
    expect({ status: upfront.status, code: (upfront.body as { code?: string }).code }).toEqual({ status: 413, code: 'payload_too_large' });
    await uploadFile(app.baseUrl, user.cookie, Buffer.from('small enough\n'), 'small.txt');
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 1, chunks: 1 });
  });
});

describe("an upload's budget, learnt from the user's storage when it starts", () => {
  const QUOTA_BYTES = 1024 * 1024;
  let app: TestApp;
  let tempDir: string;

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'upload-budget-'));
    app = await startTestApp({
      env: {
        UPLOAD_MAX_BYTES_PER_USER: String(QUOTA_BYTES),
        UPLOAD_MAX_FILE_BYTES: '512mb',
        UPLOAD_MAX_REQUEST_BYTES: '1gb',
        UPLOAD_MAX_FILES_PER_USER: '3',
        UPLOAD_TEMP_DIR: tempDir,
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  const api = () => request(app.baseUrl);

  it('cuts an upload at what is left of the quota, before its bytes are kept: 413 storage_quota_exceeded long before the body ends', async () => {
    const user = await registerUser(app.baseUrl);
    await uploadFile(app.baseUrl, user.cookie, Buffer.alloc(QUOTA_BYTES / 2, 'k'), 'half.txt');
    const bodyBytes = 128 * 1024 * 1024;
    const answer = await sendChunked(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: user.cookie, 'content-type': MULTIPART },
      pieces: multipartPieces(BOUNDARY, 1, bodyBytes),
    });
    expect({ status: answer.status, code: (answer.body as { code?: string }).code }).toEqual({ status: 413, code: 'storage_quota_exceeded' });
    // Sent before the answer: what the server read up to the quota plus what the kernel's socket buffers took.
    expect(answer.sentAll).toBe(false);
    expect(answer.sentBeforeAnswer).toBeLessThan(bodyBytes / 2);
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 1, chunks: 2 });
    await emptied(tempDir);
  });

  it('limits the files one account keeps (UPLOAD_MAX_FILES_PER_USER): 413 file_count_exceeded, nothing stored', async () => {
    const user = await registerUser(app.baseUrl);
    const two = api().post('/api/upload').set('Cookie', user.cookie);
    for (const name of ['a.txt', 'b.txt']) two.attach('files', Buffer.from(`${name}\n`), name);
    await two.expect(201);

    const overflow = api().post('/api/upload').set('Cookie', user.cookie);
    for (const name of ['c.txt', 'd.txt']) overflow.attach('files', Buffer.from(`${name}\n`), name);
    const refused = await overflow;
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 413, code: 'file_count_exceeded' });
    expect(refused.body.error).toContain('3 files');
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 2, chunks: 2 });

    // Two uploads racing for the last place: the one that stores first wins, the other is refused in its transaction.
    const racing = await Promise.all(['e.txt', 'f.txt'].map((name) => api().post('/api/upload').set('Cookie', user.cookie).attach('file', Buffer.from(`${name}\n`), name)));
    expect(racing.map((response) => response.status).sort()).toEqual([201, 413]);
    expect(racing.find((response) => response.status === 413)!.body.code).toBe('file_count_exceeded');
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 3, chunks: 3 });
    await emptied(tempDir);

    // Deleting one makes room again.
    const listed = await api().get('/api/files').set('Cookie', user.cookie).expect(200);
    await api().delete(`/api/files/${listed.body[0].id}`).set('Cookie', user.cookie).expect(200);
    await uploadFile(app.baseUrl, user.cookie, Buffer.from('room again\n'), 'g.txt');
  });

  it('removes the spool of an upload whose client goes away mid-file, and of one that succeeds', async () => {
    const user = await registerUser(app.baseUrl);
    const answer = await sendChunked(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: user.cookie, 'content-type': MULTIPART },
      pieces: multipartPieces(BOUNDARY, 1, 4 * 1024 * 1024),
      abortAfterBytes: 256 * 1024,
      // Gone only once part of the file is on disk, so that there is something to clean.
      beforeAbort: () => eventually(async () => ((await spooledBytes(tempDir)) > 0 ? true : undefined)),
    });
    expect(answer.noAnswer).toBe(true);
    await emptied(tempDir);
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });

    await uploadFile(app.baseUrl, user.cookie, Buffer.from('kept\n'), 'kept.txt');
    await emptied(tempDir);
  });
});

describe('multipart bodies on routes that take JSON', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('are refused with 415 before anything is done: POST /api/thread/new, the assistant and settings routes, even /api/login', async () => {
    const user = await registerUser(app.baseUrl);
    const assistant = await request(app.baseUrl).post('/api/assistants').set('Cookie', user.cookie).send({ name: 'Helper' }).expect(201);
    // With a default assistant, a thread needs no field at all: a body nobody reads would have made one.
    await request(app.baseUrl).post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: assistant.body.id }).expect(200);
    const form = multipartBody(BOUNDARY, [fieldPart('assistantId', assistant.body.id), fieldPart('title', 'From a form')]);
    const routes: Array<[string, string]> = [
      ['POST', '/api/thread/new'],
      ['POST', '/api/assistants'],
      ['PATCH', `/api/assistants/${assistant.body.id}`],
      ['POST', '/api/settings/default-assistant'],
      ['POST', '/api/login'],
    ];
    for (const [method, path] of routes) {
      const answer = await sendRaw(app.baseUrl, method, path, {
        headers: { cookie: user.cookie, 'content-type': MULTIPART, 'content-length': String(form.length) },
        body: form,
      });
      expect({ method, path, status: answer.status, code: (answer.body as { code?: string }).code }).toEqual({
        method,
        path,
        status: 415,
        code: 'unsupported_media_type',
      });
    }
    const [{ threads, assistants }] = await app.dataSource.query(
      'SELECT (SELECT count(*)::int FROM threads WHERE user_id = $1) AS threads, (SELECT count(*)::int FROM assistants WHERE user_id = $1) AS assistants',
      [user.userId],
    );
    expect({ threads, assistants }).toEqual({ threads: 0, assistants: 1 });
    // The routes that take files still do.
    await uploadFile(app.baseUrl, user.cookie, Buffer.from('a form where one belongs\n'), 'notes.txt');
  });
});

describe('the temporary upload folder at start', () => {
  const host = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';
  let tempDir: string;
  let app: TestApp | undefined;

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'upload-leftovers-'));
  });

  afterAll(async () => {
    await app?.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  it("removes what crashed processes left, and keeps what live ones (or another machine, lately) are writing", async () => {
    const leftovers = [
      // A process of this machine that is gone (beyond any pid in use), and an earlier one with this very pid.
      `${host}.4194303.0dead001.a1b2c3`,
      `${host}.${process.pid}.0a9a1100.d4e5f6`,
      'not-a-spool',
      'other-machine.12.0000beef.old001',
    ];
    const kept = [`${host}.${process.ppid}.0a11fe00.x1y2z3`, 'other-machine.12.0000beef.new001'];
    for (const name of [...leftovers, ...kept]) {
      await mkdir(join(tempDir, name));
      await writeFile(join(tempDir, name, '0'), 'half an upload');
    }
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(join(tempDir, 'other-machine.12.0000beef.old001'), twoDaysAgo, twoDaysAgo);

    app = await startTestApp({ env: { UPLOAD_TEMP_DIR: tempDir } });
    expect((await readdir(tempDir)).sort()).toEqual([...kept].sort());
  });
});
