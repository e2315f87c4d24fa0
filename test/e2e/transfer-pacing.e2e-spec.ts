import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { download, uploadFile } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MIB = 1024 ** 2;
/** Text of `bytes` bytes that differs from run to run (a type the platform keeps). */
const text = (bytes: number) => Buffer.from(randomBytes(bytes / 2).toString('hex'));
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('file bytes paced per user', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { USER_TRANSFER_BYTES_PER_SECOND: '2mb', USER_TRANSFER_BURST_BYTES: '1mb' } });
  });

  afterAll(() => app?.close());

  it('slows one user’s large upload and download to the configured rate, with every byte kept', async () => {
    const ada = await registerUser(app.baseUrl);
    const bytes = text(5 * MIB);
    // 4 MiB past the burst at 2 MiB/s: about two seconds each way.
    const upload = await timed(() => uploadFile(app.baseUrl, ada.cookie, bytes, 'large.txt'));
    expect(upload.ms).toBeGreaterThanOrEqual(1_800);
    const fileId = upload.value.fileIds[0] as string;
    const back = await timed(() => download(app.baseUrl, ada.cookie, fileId).expect(200));
    expect(back.ms).toBeGreaterThanOrEqual(1_800);
    expect(sha(back.value.body as Buffer)).toBe(sha(bytes));
  });

  it('does not slow another user while one user’s upload is paced', async () => {
    const [ada, bob] = await Promise.all([registerUser(app.baseUrl), registerUser(app.baseUrl)]);
    const slow = timed(() => uploadFile(app.baseUrl, ada.cookie, text(7 * MIB), 'slow.txt'));
    // Bob's upload and read go through at once, while Ada's bytes are still waiting.
    const small = Buffer.from('bob’s notes\n');
    const bobUpload = await timed(() => uploadFile(app.baseUrl, bob.cookie, small, 'notes.txt'));
    const bobRead = await timed(() => request(app.baseUrl).get('/api/threads').set('Cookie', bob.cookie).expect(200));
    const adaDone = await slow;
    expect(adaDone.ms).toBeGreaterThanOrEqual(2_800);
    expect(bobUpload.ms).toBeLessThan(adaDone.ms / 2);
    expect(bobRead.ms).toBeLessThan(adaDone.ms / 2);
    const bobFile = await download(app.baseUrl, bob.cookie, bobUpload.value.fileIds[0]).expect(200);
    expect(bobFile.body).toEqual(small);
  });
});
