import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadFile } from '../support/platform-api.js';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.js';
import { query } from '../support/query.js';
import { multipartPieces, sendChunked } from '../support/raw-multipart.js';
import { registerUser } from '../support/session-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(180_000);

const LIMIT_BYTES = 8 * 1024 * 1024;
const BOUNDARY = 'memoryBoundary9a8b7c6d';
/** Twelve files of 16 MB: each under the per-file limit, together 24 times the request limit. */
const FILES = 12;
const FILE_BYTES = 16 * 1024 * 1024;
const BODY_BYTES = FILES * FILE_BYTES;

/** The resident memory of a process, in bytes, as the kernel reports it. */
function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * The limit holds for the server as it runs (a child process, as `npm start`
 * runs it): an upload sent chunked, with no Content-Length to check up front,
 * is counted as it streams and cut at the request limit, and the process's
 * memory never grows by the body's size.
 */
describe('a chunked upload far larger than the request limit, sent to the server process', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;
  let tempDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    tempDir = await mkdtemp(join(tmpdir(), 'upload-memory-'));
    platform = await startPlatformProcess({
      DATABASE_URL: database.url,
      UPLOAD_MAX_REQUEST_BYTES: String(LIMIT_BYTES),
      UPLOAD_TEMP_DIR: tempDir,
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('is refused with 413 once the limit is reached, and the server grows by less than twice the limit; again and again', async () => {
    const user = await registerUser(platform.baseUrl);
    // The same code paths once, small, so that what is measured is the upload and not the first use.
    await uploadFile(platform.baseUrl, user.cookie, Buffer.from('warm up\n'), 'warm-up.txt');
    const send = () =>
      sendChunked(platform.baseUrl, 'POST', '/api/upload', {
        headers: { cookie: user.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        pieces: multipartPieces(BOUNDARY, FILES, FILE_BYTES),
      });
    const pid = platform.child.pid!;
    const baseline = residentBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 5);
    const answers = [];
    try {
      answers.push(await send());
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - baseline;
    process.stdout.write(`resident memory: baseline ${(baseline / 2 ** 20).toFixed(1)} MB, peak growth ${(growth / 2 ** 20).toFixed(1)} MB\n`);
    expect(growth).toBeLessThan(2 * LIMIT_BYTES);

    // The same again: each attempt is cut the same way (memory is not measured: what they read waits for the collector).
    answers.push(await send(), await send());
    for (const answer of answers) {
      expect({ status: answer.status, code: (answer.body as { code?: string }).code }).toEqual({ status: 413, code: 'payload_too_large' });
      expect(answer.raw).toMatch(/^connection: close\r$/im);
      // Answered long before the body ended (what the kernel's socket buffers took counts as sent).
      expect(answer.sentAll).toBe(false);
      expect(answer.sentBeforeAnswer).toBeLessThan(BODY_BYTES / 4);
    }

    // Nothing of the refused uploads was kept, in the database or on disk; the server still answers.
    const [{ files }] = await query(database.url, 'SELECT count(*)::int AS files FROM files WHERE user_id = $1', [user.userId]);
    expect(files).toBe(1);
    expect(await readdir(tempDir)).toEqual([]);
    expect((await fetch(`${platform.baseUrl}/health`)).status).toBe(200);
  });
});
