import { createHash } from 'node:crypto';
import request from 'supertest';
import { memoryMiB } from '../../bench/lib/proc.js';
import { FakeOpenAI } from '../support/fake-openai/index.js';
import type { MultipartBody } from '../support/fake-openai/request-log.js';
import { createAssistant, registerUserWithKey, uploadFile } from '../support/platform-api.js';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.js';
import { pngOfSize } from '../support/sample-files.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const HEAP_LIMIT_MIB = 384;
/** What the process may hold beyond its heap limit: code, buffers, the database driver (the bound the platform promises). */
const OVERHEAD_MIB = 150;
const IMAGE_BYTES = 16 * 1024 * 1024;
const IMAGES = 8;

/** Samples the process's resident memory until stopped; the highest value seen. */
function sampleRss(pid: number): { stop(): number } {
  let highest = memoryMiB(pid).rss;
  const timer = setInterval(() => {
    try {
      highest = Math.max(highest, memoryMiB(pid).rss);
    } catch {
      // The process is gone; the test sees that on its own.
    }
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return highest;
    },
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('a chat turn with eight 16 MB images, on a server with a 384 MB heap', () => {
  let database: TestDatabase;
  let fake: FakeOpenAI;
  let platform: PlatformProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await FakeOpenAI.start();
    platform = await startPlatformProcess({
      DATABASE_URL: database.url,
      OPENAI_BASE_URL: fake.baseUrl,
      // As `npm start` runs it.
      NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MIB}`,
      LOG_LEVEL: 'warn',
    });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await fake?.stop();
    await database?.drop();
    fake?.assertNoSchemaViolations();
  });

  it('stays up with bounded memory and sends the images by reference, in that turn and the next', async () => {
    const pid = platform.child.pid!;
    const user = await registerUserWithKey(platform.baseUrl);
    const assistant = await createAssistant(platform.baseUrl, user.cookie, { name: 'Vision' });
    const digests: string[] = [];
    const fileIds: string[] = [];
    for (let index = 0; index < IMAGES; index++) {
      const image = pngOfSize(IMAGE_BYTES);
      digests.push(sha256(image));
      fileIds.push((await uploadFile(platform.baseUrl, user.cookie, image, `large-${index}.png`)).fileIds[0]);
    }

    const before = memoryMiB(pid).rss;
    const sampler = sampleRss(pid);
    let highest: number;
    let first: request.Response;
    let second: request.Response;
    try {
      first = await request(platform.baseUrl)
        .post('/api/chat')
        .set('Cookie', user.cookie)
        .send({ assistantId: assistant.id, message: 'What do these show?', fileIds, stream: false });
      second = await request(platform.baseUrl)
        .post('/api/chat')
        .set('Cookie', user.cookie)
        .send({ threadId: first.body.threadId, message: 'And the third one?', stream: false });
    } finally {
      highest = sampler.stop();
    }

    expect(platform.child.exitCode).toBeNull();
    expect(platform.child.signalCode).toBeNull();
    await request(platform.baseUrl).get('/health').expect(200);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);

    // Each image went to OpenAI Files once, whole, as a vision file...
    const uploads = fake.requestsTo('POST', '/v1/files').map((entry) => entry.body as MultipartBody);
    expect(uploads).toHaveLength(IMAGES);
    expect(uploads.map((form) => form.fields.purpose)).toEqual(Array(IMAGES).fill('vision'));
    expect(uploads.map((form) => sha256(form.files[0].bytes)).sort()).toEqual([...digests].sort());
    // ...and both turns referred to the copies by id.
    const copies = [...fake.files.values()].map((file) => file.id);
    const [firstTurn, secondTurn] = fake.requestsTo('POST', '/v1/responses').map((entry) => entry.body as any);
    const imagesOf = (body: any) => body.input.flatMap((item: any) => (Array.isArray(item.content) ? item.content : []).filter((part: any) => part.type === 'input_image'));
    expect(imagesOf(firstTurn).map((part: any) => part.file_id).sort()).toEqual([...copies].sort());
    expect(imagesOf(secondTurn)).toEqual(imagesOf(firstTurn));
    expect(JSON.stringify(firstTurn).length).toBeLessThan(10_000);

    // The turns added far less than the 128 MB of images (and the 171 MB of their base64) the process once held at
    // once: what grows is chunks already sent and not yet collected, which a loaded machine collects later.
    console.log(`RSS before the turns ${before.toFixed(0)} MiB, highest during them ${highest.toFixed(0)} MiB`);
    expect(highest).toBeLessThan(HEAP_LIMIT_MIB + OVERHEAD_MIB);
    expect(highest - before).toBeLessThan(128);
  }, 180_000);
});
