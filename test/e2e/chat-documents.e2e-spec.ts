import { chatJson, chatUser, responseRequests } from '../support/chat-helpers.js';
import type { MultipartBody } from '../support/fake-openai/request-log.js';
import { eventually, uploadFile } from '../support/platform-api.js';
import { minimalPdf, wordDocument, zipOf } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MAX_TEXT_CHARS = 60;

/** The content parts of the last user item of the newest request to /v1/responses. */
function lastUserParts(app: TestApp): any[] {
  const item = responseRequests(app).at(-1).input.at(-1);
  expect(item.role).toBe('user');
  return item.content;
}

describe('documents attached to a chat message', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true, env: { CHAT_MAX_TEXT_ATTACHMENT_CHARS: String(MAX_TEXT_CHARS) } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sends a PDF as input_file by the file_id of a copy in OpenAI Files (user_data) made for the turn and deleted after it', async () => {
    const user = await chatUser(app);
    const pdf = minimalPdf('Quarterly revenue rose 12 percent');
    const fileId = (await uploadFile(app.baseUrl, user.cookie, pdf, 'paper.pdf')).fileIds[0];
    const uploadsBefore = app.fake.requestsTo('POST', '/v1/files').length;

    const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Summarise the paper', fileIds: [fileId] }).expect(200);
    const uploads = app.fake.requestsTo('POST', '/v1/files').slice(uploadsBefore);
    expect(uploads).toHaveLength(1);
    const form = uploads[0].body as MultipartBody;
    expect(form.fields).toEqual({ purpose: 'user_data', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '3600' });
    expect(form.files[0]).toMatchObject({ filename: `${fileId}.pdf`, contentType: 'application/pdf', bytes: pdf });

    const parts = lastUserParts(app);
    expect(parts).toEqual([
      { type: 'input_text', text: 'Summarise the paper' },
      { type: 'input_text', text: 'Attached file paper.pdf:' },
      { type: 'input_file', file_id: expect.stringMatching(/^file-/) },
    ]);
    expect(JSON.stringify(parts)).not.toContain('not included');
    const copyId = parts[2].file_id;
    // The fake answers 404 for an input_file it does not have: the one upload above is the copy sent. It is deleted after the turn.
    await eventually(() => (app.fake.files.has(copyId) ? undefined : true));

    // Still in the thread's context: the next turn sends it again (a new copy of its own).
    await chatJson(app, user.cookie, { threadId: first.body.threadId, message: 'And its conclusion?' }).expect(200);
    const again = responseRequests(app).at(-1).input.flatMap((item: any) => (Array.isArray(item.content) ? item.content : []));
    const sentAgain = again.filter((part: any) => part.type === 'input_file');
    expect(sentAgain).toHaveLength(1);
    expect(sentAgain[0].file_id).not.toBe(copyId);
    expect(app.fake.requestsTo('POST', '/v1/files').length).toBe(uploadsBefore + 2);
  });

  it("sends a Word document's text, extracted and cut to CHAT_MAX_TEXT_ATTACHMENT_CHARS", async () => {
    const user = await chatUser(app);
    const docx = wordDocument(['Meeting notes', 'The budget is 4200 euros and the deadline is in May.']);
    const fileId = (await uploadFile(app.baseUrl, user.cookie, docx, 'notes.docx')).fileIds[0];

    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'What is the budget?', fileIds: [fileId] }).expect(200);
    const parts = lastUserParts(app);
    expect(parts).toHaveLength(2);
    expect(parts[1].type).toBe('input_text');
    const expected = 'Meeting notes\n\nThe budget is 4200 euros and the deadline is in May.'.slice(0, MAX_TEXT_CHARS);
    expect(parts[1].text).toBe(`Attached file notes.docx:\n${expected}`);
    expect(parts[1].text).toContain('4200 euros');
    // Nothing of it went to OpenAI Files: the text is in the input.
    expect([...app.fake.files.values()].some((file) => file.bytes.equals(docx))).toBe(false);
  });

  it('says so when a Word document cannot be read, and still answers', async () => {
    const user = await chatUser(app);
    // A ZIP with the parts of a Word document, but no readable document in it.
    const broken = zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': 'not xml at all <' });
    const fileId = (await uploadFile(app.baseUrl, user.cookie, broken, 'broken.docx')).fileIds[0];

    await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Read this', fileIds: [fileId] }).expect(200);
    expect(lastUserParts(app)[1]).toEqual({ type: 'input_text', text: '(Attached file broken.docx; its content could not be read.)' });
  });
});
