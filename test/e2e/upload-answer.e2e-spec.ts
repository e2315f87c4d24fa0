import request from 'supertest';
import { createAssistant, folderEntry, uploadFile } from '../support/platform-api.js';
import { minimalDocx, minimalPdf } from '../support/sample-files.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe("an upload to an assistant answers the new files and the assistant's whole document list", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists every document of the assistant, oldest first, besides the ids of this upload', async () => {
    const user = await registerUser(app.baseUrl);
    const assistant = await createAssistant(app.baseUrl, user.cookie, { name: 'Library' });
    const first = await uploadFile(app.baseUrl, user.cookie, minimalPdf('First'), 'first.pdf', { assistantId: assistant.id });
    expect(first.assistantFileIds).toEqual(first.fileIds);

    const second = await uploadFile(app.baseUrl, user.cookie, minimalPdf('Second'), 'second.pdf', { assistantId: assistant.id });
    expect(second.fileIds).toHaveLength(1);
    expect(second.assistantFileIds).toEqual([...first.fileIds, ...second.fileIds]);

    const folder = await request(app.baseUrl)
      .post('/api/upload-directory')
      .set('Cookie', user.cookie)
      .field('assistantId', assistant.id)
      .attach('files', minimalDocx('Third'), folderEntry('docs/third.docx'))
      .expect(201);
    expect(folder.body.assistantFileIds).toEqual([...first.fileIds, ...second.fileIds, ...folder.body.fileIds]);

    const routed = await request(app.baseUrl)
      .post(`/api/assistants/${assistant.id}/files`)
      .set('Cookie', user.cookie)
      .attach('file', minimalPdf('Fourth'), 'fourth.pdf')
      .expect(201);
    expect(routed.body.assistantFileIds).toHaveLength(4);
    expect(routed.body.assistantFileIds.at(-1)).toBe(routed.body.fileIds[0]);
  });

  it('answers null for the list when no assistant is named', async () => {
    const user = await registerUser(app.baseUrl);
    const plain = await uploadFile(app.baseUrl, user.cookie, minimalPdf('Alone'), 'alone.pdf');
    expect(plain).toMatchObject({ assistantId: null, assistantFileIds: null, fileIds: [expect.any(String)] });
  });
});
