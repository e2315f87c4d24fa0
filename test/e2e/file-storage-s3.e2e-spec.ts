import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { uploadFile } from '../support/platform-api.js';
import { TestS3Server } from '../support/s3-server.js';
import { minimalPdf } from '../support/sample-files.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface PendingRow {
  user_id: string;
  file_id: string | null;
  attempts: number;
  last_error: string | null;
}

/** Bytes in S3 that cannot be deleted when their owner goes are not forgotten: they go once the service is back. */
describe('file bytes in S3 when the service is unreachable at deletion', () => {
  let s3: TestS3Server;
  let testApp: TestApp;

  beforeAll(async () => {
    s3 = await TestS3Server.start();
    testApp = await startTestApp({ env: { ...s3.env(), FILE_DELETE_RETRY_MS: '200' } });
  });

  afterAll(async () => {
    await testApp?.close();
    await s3?.stop();
  });

  afterEach(() => s3.resume());

  const pending = (): Promise<PendingRow[]> =>
    testApp.dataSource.query('SELECT user_id, file_id, attempts, last_error FROM file_byte_deletions ORDER BY created_at');

  it('deletes the file at once, keeps its removal pending, and removes the object when S3 answers again', async () => {
    const user = await registerUser(testApp.baseUrl);
    const uploaded = await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Later'), 'later.pdf');
    const fileId: string = uploaded.fileIds[0];
    expect(await s3.keys(`${user.userId}/`)).toEqual([`${user.userId}/${fileId}`]);

    s3.pause();
    await request(testApp.baseUrl).delete(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(200);
    await request(testApp.baseUrl).get(`/api/files/${fileId}`).set('Cookie', user.cookie).expect(404);
    const [row] = await pending();
    expect(row).toMatchObject({ user_id: user.userId, file_id: fileId, attempts: expect.any(Number), last_error: expect.any(String) });
    expect(row.attempts).toBeGreaterThanOrEqual(1);
    expect(testApp.logs.text()).not.toContain('S3RVER');

    s3.resume();
    await eventually(async () => ((await s3.keys(`${user.userId}/`)).length === 0 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    await eventually(async () => ((await pending()).length === 0 ? true : undefined));
  });

  it('refuses an upload S3 cannot take, keeps no file row, and tracks the bytes it may have left until they are removed', async () => {
    const user = await registerUser(testApp.baseUrl);
    s3.pause();
    const response = await request(testApp.baseUrl).post('/api/upload').set('Cookie', user.cookie).attach('file', minimalPdf('Lost'), 'lost.pdf');
    expect(response.status).toBeGreaterThanOrEqual(500);
    const [{ files }] = await testApp.dataSource.query('SELECT count(*)::int AS files FROM files WHERE user_id = $1', [user.userId]);
    expect(files).toBe(0);
    const [row] = await pending();
    expect(row).toMatchObject({ user_id: user.userId, file_id: expect.any(String) });

    s3.resume();
    await eventually(async () => ((await pending()).length === 0 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    expect(await s3.keys(`${user.userId}/`)).toEqual([]);
  });

  it("deletes the account at once, keeps its bytes' removal pending, and removes them when S3 answers again", async () => {
    const user = await registerUser(testApp.baseUrl);
    await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('One'), 'one.pdf');
    await uploadFile(testApp.baseUrl, user.cookie, minimalPdf('Two'), 'two.pdf');
    expect(await s3.keys(`${user.userId}/`)).toHaveLength(2);

    s3.pause();
    await request(testApp.baseUrl).delete('/api/user').set('Cookie', user.cookie).send({ password: user.password }).expect(200);
    expect(await pending()).toEqual([expect.objectContaining({ user_id: user.userId, file_id: null })]);

    s3.resume();
    await eventually(async () => ((await s3.keys(`${user.userId}/`)).length === 0 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    await eventually(async () => ((await pending()).length === 0 ? true : undefined));
  });
});
