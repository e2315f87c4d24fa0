import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { rawBytes } from '../support/platform-api.js';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.js';
import { multipartPieces, sendChunked } from '../support/raw-multipart.js';
import { TestS3Server } from '../support/s3-server.js';
import { registerUser } from '../support/session-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(180_000);

const BOUNDARY = 'memoryBoundaryS3a1b2c3';
const FILE_BYTES = 50 * 1024 * 1024;
const WARM_UP_BYTES = 8 * 1024 * 1024;
const MAX_GROWTH_BYTES = 32 * 1024 * 1024;

const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** The resident memory of a process, in bytes, as the kernel reports it. */
function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process's resident memory while `work` runs; resolves with its result and the peak growth. */
async function peakGrowth<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = residentBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 5);
  try {
    const result = await work();
    return { result, growth: Math.max(peak, residentBytes(pid)) - baseline };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * With FILE_STORAGE=s3 the server (a child process, as `npm start` runs it)
 * streams a 50 MB upload through its spool to S3 in parts, and back out to a
 * download, never holding the file: each grows it by far less than the file.
 */
describe('a 50 MB file through S3, on the server process', () => {
  let database: TestDatabase;
  let s3: TestS3Server;
  let platform: PlatformProcess;
  let tempDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    s3 = await TestS3Server.start();
    tempDir = await mkdtemp(join(tmpdir(), 'upload-memory-s3-'));
    platform = await startPlatformProcess({
      ...s3.env(),
      DATABASE_URL: database.url,
      UPLOAD_MAX_FILE_BYTES: '64mb',
      UPLOAD_TEMP_DIR: tempDir,
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await s3?.stop();
    await database?.drop();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('is uploaded and downloaded while the server grows by less than 32 MB', async () => {
    const user = await registerUser(platform.baseUrl);
    const pid = platform.child.pid!;
    const upload = (bytes: number) =>
      sendChunked(platform.baseUrl, 'POST', '/api/upload', {
        headers: { cookie: user.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        pieces: multipartPieces(BOUNDARY, 1, bytes),
      });
    // The same code paths once, at a sixth of the size, so that what is measured is the transfer and
    // not the first use: a fresh process's first large transfer grows V8's young generation and the
    // allocator's arenas to their working size (about 30 MB, whatever the store), once for its life.
    const warmUp = await peakGrowth(pid, () => upload(WARM_UP_BYTES));
    process.stdout.write(`S3 first upload (8 MB) of a fresh process: resident memory grew by ${megabytes(warmUp.growth)}\n`);
    expect(warmUp.result.status).toBe(201);
    const warmUpId = (warmUp.result.body as { fileIds: string[] }).fileIds[0];
    await request(platform.baseUrl).get(`/api/files/${warmUpId}/content`).set('Cookie', user.cookie).buffer(true).parse(rawBytes).expect(200);

    // Held whole anywhere on its way (request, spool, parts), the 50 MB file would grow the process by more than 32 MB.
    const upload50 = await peakGrowth(pid, () => upload(FILE_BYTES));
    process.stdout.write(`S3 upload of 50 MB: resident memory grew by ${megabytes(upload50.growth)} at most\n`);
    expect(upload50.result.status).toBe(201);
    expect(upload50.growth).toBeLessThan(MAX_GROWTH_BYTES);
    const fileId = (upload50.result.body as { fileIds: string[] }).fileIds[0];
    expect(await s3.keys(`${user.userId}/`)).toContain(`${user.userId}/${fileId}`);

    const download = await peakGrowth(pid, async () => {
      const response = await request(platform.baseUrl).get(`/api/files/${fileId}/content`).set('Cookie', user.cookie).buffer(true).parse(rawBytes);
      return response;
    });
    process.stdout.write(`S3 download of 50 MB: resident memory grew by ${megabytes(download.growth)} at most\n`);
    expect(download.result.status).toBe(200);
    const body = download.result.body as Buffer;
    expect(body.length).toBe(FILE_BYTES);
    expect(body.every((byte) => byte === 0x61)).toBe(true);
    expect(download.growth).toBeLessThan(MAX_GROWTH_BYTES);
  });
});
