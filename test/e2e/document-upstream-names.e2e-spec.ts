import request from 'supertest';
import type { MultipartBody } from '../support/fake-openai/request-log.js';
import { registerUserWithKey, createAssistant, waitForFileStatus } from '../support/platform-api.js';
import { minimalPdf } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * OpenAI Files types a document by its name's extension: the copy of each
 * document goes under a name that ends with the extension of its content.
 */
describe('names of documents uploaded to OpenAI Files', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  /** The file part of the upload to OpenAI Files that carried these bytes, as the fake received it. */
  function receivedUpload(bytes: Buffer) {
    const parts = testApp.fake
      .requestsTo('POST', '/v1/files')
      .flatMap((entry) => (entry.body as MultipartBody | undefined)?.files ?? [])
      .filter((part) => Buffer.compare(part.bytes, bytes) === 0);
    expect(parts).toHaveLength(1);
    return parts[0];
  }

  async function attachAndIndex(name: string, bytes: Buffer): Promise<{ filename: string }> {
    const user = await registerUserWithKey(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, user.cookie, { tools: [{ type: 'file_search' }] });
    const uploaded = await request(testApp.baseUrl)
      .post(`/api/assistants/${assistant.id}/files`)
      .set('Cookie', user.cookie)
      .attach('file', bytes, name)
      .expect(201);
    const ready = await waitForFileStatus(testApp.baseUrl, user.cookie, uploaded.body.fileIds[0], 'ready');
    return { filename: ready.filename };
  }

  it('sends a PDF uploaded without an extension as .pdf, and keeps its name here', async () => {
    const report = minimalPdf('Quarterly report without an extension');
    const stored = await attachAndIndex('report', report);
    expect(stored.filename).toBe('report');
    expect(receivedUpload(report)).toMatchObject({ filename: 'report.pdf' });
    const copy = [...testApp.fake.files.values()].find((file) => Buffer.compare(file.bytes, report) === 0);
    expect(copy?.filename).toBe('report.pdf');
  });

  it('keeps names that already end with their content’s extension, and sends other text as .txt', async () => {
    const pdf = minimalPdf('Named properly');
    await attachAndIndex('Annual.PDF', pdf);
    expect(receivedUpload(pdf).filename).toBe('Annual.PDF');

    const markdown = Buffer.from('# Notes\n\nKept as Markdown.\n');
    await attachAndIndex('notes.md', markdown);
    expect(receivedUpload(markdown).filename).toBe('notes.md');

    const plain = Buffer.from('Plain text without an extension.\n');
    await attachAndIndex('README', plain);
    expect(receivedUpload(plain).filename).toBe('README.txt');

    const yaml = Buffer.from('key: value\n');
    await attachAndIndex('config.yaml', yaml);
    expect(receivedUpload(yaml).filename).toBe('config.yaml.txt');
  });
});
