import request from 'supertest';
import { chatJson, chatUser, responseRequests } from '../support/chat-helpers.js';
import { uploadFile } from '../support/platform-api.js';
import { zipBombDocx } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MB = 1024 * 1024;
const UNREADABLE = (name: string) => ({ type: 'input_text', text: `(Attached file ${name}; its content could not be read.)` });

/** Runs `task` while sampling this process's RSS (the server runs in it, its document workers too); returns the growth's peak. */
async function rssGrowthDuring<T>(task: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const result = await task();
    return { result, growth: Math.max(peak, process.memoryUsage.rss()) - before };
  } finally {
    clearInterval(sampler);
  }
}

describe('hostile Word documents attached to a chat message', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: { CHAT_DOCUMENT_HEAP_MB: '64', CHAT_DOCUMENT_TIMEOUT_MS: '20000' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['a zip bomb that says it inflates to 300 MB (past the 64 MB guard)', 'declared.docx', () => zipBombDocx(300 * MB)],
    ['a zip bomb that says 100 bytes and inflates to 300 MB', 'lying.docx', () => zipBombDocx(300 * MB, { lie: true })],
    ['16 MB of tiny paragraphs, under the guard, that mammoth would make millions of nodes of', 'dense.docx', () => zipBombDocx(16 * MB, { paragraphs: true })],
  ])('%s: the turn answers with a bounded "could not be read" note, the server stays up and its memory bounded', async (_name, filename, build) => {
    const user = await chatUser(app);
    const bomb = await build();
    expect(bomb.length).toBeLessThan(MB);
    const fileId = (await uploadFile(app.baseUrl, user.cookie, bomb, filename)).fileIds[0];

    app.fake.enqueueResponse({ text: 'I could not read it.' });
    const { result: answer, growth } = await rssGrowthDuring(() =>
      chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Summarise this', fileIds: [fileId] }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.content).toEqual([{ type: 'text', text: 'I could not read it.' }]);
    const parts = responseRequests(app).at(-1).input.at(-1).content;
    expect(parts).toEqual([{ type: 'input_text', text: 'Summarise this' }, UNREADABLE(filename)]);
    // The worker's heap is 64 MB; the bytes it inflates are bounded by the guard (or refused when they pass their declared size).
    expect(growth).toBeLessThan(200 * MB);
    await request(app.baseUrl).get('/health').expect(200);
  }, 60_000);
});
