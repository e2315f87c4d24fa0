import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, storedRowCounts, uploadFile } from '../support/platform-api.js';
import { fieldPart, filePart, multipartBody, multipartPieces, sendChunked, sendRaw, type RawPart } from '../support/raw-multipart.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const BOUNDARY = 'refusalBoundary3c2b1a09';
/** A file after the flawed parts, far larger than what the socket buffers between client and server hold. */
const TRAILING_BYTES = 64 * 1024 * 1024;

/** The flawed parts (without the closing delimiter), then a large file: the form as it streams in. */
function* flawedForm(parts: RawPart[]): Generator<Buffer> {
  yield multipartBody(BOUNDARY, parts, { close: false });
  yield* multipartPieces(BOUNDARY, 1, TRAILING_BYTES);
}

/**
 * A form refused for what it carries (a field too long, too many fields, a
 * field name no route knows, too many files) is answered as soon as the flaw
 * is read, while the client is still sending, whatever follows it and
 * however many parts are already on disk; nothing is stored and those parts
 * are removed.
 */
describe('upload forms refused for their contents, while they stream', () => {
  let app: TestApp;
  let tempDir: string;

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'upload-refusals-'));
    app = await startTestApp({ env: { UPLOAD_MAX_REQUEST_BYTES: '1gb', UPLOAD_MAX_FILE_BYTES: '512mb', UPLOAD_TEMP_DIR: tempDir } });
  });

  afterAll(async () => {
    await app?.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  const tinyFiles = (count: number) => Array.from({ length: count }, (_, index) => filePart('files', `f${index}.txt`, `file ${index}\n`));

  it.each([
    ['a field longer than 64 KB', [...tinyFiles(100), fieldPart('assistantId', 'v'.repeat(70_000))], 400, 'bad_request', /the field assistantId is longer than 65536 bytes/],
    ['more fields than a form may have', [...tinyFiles(50), ...Array.from({ length: 300 }, (_, index) => fieldPart(`f${index}`, 'v'))], 400, 'bad_request', /too many fields/],
    ['an indexed field name', [...tinyFiles(100), fieldPart('paths[0]', 'a.txt')], 400, 'validation_failed', /^paths\[0\] is not an accepted field$/],
    ['a nested field name', [...tinyFiles(1), fieldPart('assistantId[id]', 'x')], 400, 'validation_failed', /^assistantId\[id\] is not an accepted field$/],
    ['more files than one request may carry', tinyFiles(101), 413, 'too_many_files', /At most 100 files per request/],
  ] as const)('%s: answered before the body ends, nothing kept', async (_, parts, status, code, message) => {
    const user = await registerUser(app.baseUrl);
    const answer = await sendChunked(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: user.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      pieces: flawedForm([...parts]),
    });
    const body = answer.body as { code?: string; error?: string };
    expect({ status: answer.status, code: body.code }).toEqual({ status, code });
    expect(body.error).toMatch(message);
    expect(answer.raw).toMatch(/^connection: close\r$/im);
    expect(answer.sentAll).toBe(false);
    expect(answer.sentBeforeAnswer).toBeLessThan(TRAILING_BYTES / 4);
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
    await eventually(async () => ((await readdir(tempDir)).length === 0 ? true : undefined), { describe: () => readdir(tempDir) });

    // The same user's next upload goes through.
    await uploadFile(app.baseUrl, user.cookie, Buffer.from('after the refusal\n'), 'after.txt');
  });
});

describe('file names in a form', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('are read as browsers escape them (a quote is sent as %22, a line break as %0A), then made safe', async () => {
    const user = await registerUser(app.baseUrl);
    const body = multipartBody(BOUNDARY, [filePart('files', 'say %22hi%22.txt', 'quoted\n'), filePart('files', 'two%0Alines.txt', 'broken\n'), filePart('files', '50%.txt', 'percent\n')]);
    const answer = await sendRaw(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: user.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) },
      body,
    });
    expect(answer.status).toBe(201);
    const names = (answer.body as { files: Array<{ filename: string }> }).files.map((file) => file.filename);
    expect(names).toEqual(['say "hi".txt', 'twolines.txt', '50%.txt']);
  });
});
