import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import request from 'supertest';
import { eventually } from './eventually.js';
import { registerUser } from './session-client.js';

/** A key the fake OpenAI server accepts. */
export const newApiKey = (): string => `sk-test-${randomBytes(16).toString('hex')}`;

export interface SignedInUser {
  cookie: string;
  userId: string;
  email: string;
  password: string;
}

/** Signs up and saves an OpenAI key, so that upstream work can run for the user. */
export async function registerUserWithKey(baseUrl: string): Promise<SignedInUser & { apiKey: string }> {
  const user = await registerUser(baseUrl);
  const apiKey = newApiKey();
  await request(baseUrl).post('/api/settings/apikey').set('Cookie', user.cookie).send({ apiKey }).expect(200);
  return { ...user, apiKey };
}

export async function createAssistant(baseUrl: string, cookie: string, fields: Record<string, unknown> = {}): Promise<any> {
  const response = await request(baseUrl)
    .post('/api/assistants')
    .set('Cookie', cookie)
    .send({ name: 'Test assistant', ...fields });
  if (response.status !== 201) throw new Error(`creating an assistant failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Uploads one file and returns the upload response body. */
export async function uploadFile(
  baseUrl: string,
  cookie: string,
  bytes: Buffer,
  filename: string,
  options: { assistantId?: string } = {},
): Promise<any> {
  const upload = request(baseUrl).post('/api/upload').set('Cookie', cookie);
  if (options.assistantId) upload.field('assistantId', options.assistantId);
  const response = await upload.attach('file', bytes, filename);
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Polling helper, kept importable from here for the specs that already do. */
export { eventually };

/** Polls GET /api/files/:id until the file's status is `status`; returns the file. */
export async function waitForFileStatus(baseUrl: string, cookie: string, fileId: string, status: 'ready' | 'failed' | 'processing'): Promise<any> {
  let last: unknown;
  return eventually(
    async () => {
      const response = await request(baseUrl).get(`/api/files/${fileId}`).set('Cookie', cookie).expect(200);
      last = response.body;
      return response.body.status === status ? response.body : undefined;
    },
    { describe: () => last },
  );
}

/** Waits until the background worker has no queued upstream work left. */
export async function waitForIdleUpstream(dataSource: DataSource): Promise<void> {
  let pending: unknown;
  await eventually(
    async () => {
      pending = await dataSource.query('SELECT kind, payload, attempts, last_error FROM upstream_jobs');
      return (pending as unknown[]).length === 0 ? true : undefined;
    },
    { describe: () => pending },
  );
}

/** A supertest parser that keeps any response body as raw bytes. */
export function rawBytes(response: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  // Under Node, superagent hands parsers the incoming message stream.
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
  stream.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

/**
 * Attach options that send a file under its relative path, as a browser sends
 * the files of a chosen folder: form-data keeps `filepath` whole, whereas a
 * `filename` is cut to its base name (superagent's types only know the latter).
 */
export function folderEntry(relativePath: string): { filename: string } {
  return { filepath: relativePath } as unknown as { filename: string };
}

/** GET /api/files/:id/content with the body as bytes. */
export function download(baseUrl: string, cookie: string, fileId: string) {
  return request(baseUrl).get(`/api/files/${fileId}/content`).set('Cookie', cookie).buffer(true).parse(rawBytes);
}

/** Rows a user has in files and file_chunks, to prove a refused upload left nothing behind. */
export async function storedRowCounts(dataSource: DataSource, userId: string): Promise<{ files: number; chunks: number }> {
  const [row] = (await dataSource.query(
    `SELECT (SELECT count(*) FROM files WHERE user_id = $1)::int AS files,
            (SELECT count(*) FROM file_chunks WHERE user_id = $1)::int AS chunks`,
    [userId],
  )) as Array<{ files: number; chunks: number }>;
  return row;
}
