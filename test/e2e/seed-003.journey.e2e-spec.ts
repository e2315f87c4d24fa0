import request from 'supertest';
import { responseRequests } from '../support/chat-helpers.js';
import { createAssistant, download, rawBytes, registerUserWithKey } from '../support/platform-api.js';
import { pngOfSize } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unzip } from '../support/unzip.js';

/** The text of an input item, whatever its shape. */
const textOf = (item: any): string =>
  typeof item.content === 'string' ? item.content : item.content.map((part: any) => part.text ?? '').join('\n');

/**
 * Seed 003's flow (threads per user, ask, images, reply threading, regenerate,
 * files), walked as its users did, on this platform's routes:
 * POST /upload-file                                   -> POST /api/upload
 * POST /ask                                           -> POST /api/chat {message, threadId?, fileIds?, replyToId?}
 * POST /regenerate                                    -> POST /api/threads/:id/regenerate
 * GET /threads/{user_id}                              -> GET /api/threads?limit&offset (X-Total-Count)
 * GET /threads/{user_id}/{thread_id}/messages-with-files -> GET /api/threads/:id/messages (fileIds, replyToId)
 * GET /get-file/{file_id}                             -> GET /api/files/:id/content
 * GET /threads/{user_id}/{thread_id}/download-files  -> GET /api/threads/:id/files/archive
 * DELETE /threads/{user_id}/{thread_id}               -> DELETE /api/threads/:id
 */
describe('seed 003 journey: an image, a reply to an earlier answer, a regenerated reply, the thread\'s files as a zip', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('asks about an image, replies to an earlier answer (quoted to the model), regenerates, and downloads the files', async () => {
    const user = await registerUserWithKey(app.baseUrl);
    const api = () => request(app.baseUrl);
    const assistant = await createAssistant(app.baseUrl, user.cookie, { name: 'Vision', instructions: 'Describe images.' });
    await api().post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: assistant.id }).expect(200);

    // Upload the image, then ask about it: a new thread starts.
    const image = pngOfSize(4_000);
    const uploaded = await api().post('/api/upload').set('Cookie', user.cookie).attach('file', image, 'receipt.png').expect(201);
    const [imageId] = uploaded.body.fileIds;
    app.fake.enqueueResponse({ text: 'A receipt from Café Lisboa: total 23.40 euros.' }, { text: 'It was paid by card.' });
    const asked = await api().post('/api/chat').set('Cookie', user.cookie).send({ message: 'What is in this picture?', fileIds: [imageId] }).expect(200);
    const threadId = asked.body.threadId;
    const firstReplyId = asked.body.messageId;
    const imageRequest = responseRequests(app).at(-1);
    const userParts = imageRequest.input.at(-1).content;
    expect(userParts).toEqual(expect.arrayContaining([{ type: 'input_text', text: 'What is in this picture?' }, expect.objectContaining({ type: 'input_image' })]));

    // A second question, then a reply to the first answer: the model sees what it replies to.
    await api().post('/api/chat').set('Cookie', user.cookie).send({ threadId, message: 'How was it paid?' }).expect(200);
    app.fake.enqueueResponse({ text: 'The total was 23.40 euros.' });
    const reply = await api()
      .post('/api/chat')
      .set('Cookie', user.cookie)
      .send({ threadId, message: 'What was the total again?', replyToId: firstReplyId })
      .expect(200);
    const replyRequest = responseRequests(app).at(-1);
    expect(textOf(replyRequest.input.at(-1))).toBe(
      '(Replying to your earlier message: "A receipt from Café Lisboa: total 23.40 euros.")\n\nWhat was the total again?',
    );

    // Regenerate the last answer: the old one is kept as another version of it.
    app.fake.enqueueResponse({ text: 'Twenty-three euros forty.' });
    const regenerated = await api().post(`/api/threads/${threadId}/regenerate`).set('Cookie', user.cookie).send({}).expect(200);
    expect(regenerated.body.content).toEqual([{ type: 'text', text: 'Twenty-three euros forty.' }]);
    const messages = (await api().get(`/api/threads/${threadId}/messages`).set('Cookie', user.cookie).expect(200)).body;
    expect(messages.map((message: any) => [message.role, message.content, message.siblingIndex, message.siblingCount])).toEqual([
      ['user', 'What is in this picture?', 1, 1],
      ['assistant', 'A receipt from Café Lisboa: total 23.40 euros.', 1, 1],
      ['user', 'How was it paid?', 1, 1],
      ['assistant', 'It was paid by card.', 1, 1],
      ['user', 'What was the total again?', 1, 1],
      ['assistant', 'Twenty-three euros forty.', 2, 2],
    ]);
    expect(messages[0].fileIds).toEqual([imageId]);
    expect(messages[4].replyToId).toBe(firstReplyId);
    expect(regenerated.body.messageId).toBe(messages[5].id);
    expect(reply.body.messageId).not.toBe(messages[5].id);
    // The regenerated reply answers the same question, with the same quote, without the earlier version.
    const regenerateRequest = responseRequests(app).at(-1);
    expect(textOf(regenerateRequest.input.at(-1))).toContain('(Replying to your earlier message: "A receipt');
    expect(regenerateRequest.input.map(textOf)).not.toContain('The total was 23.40 euros.');

    // The thread in the user's list, its image, and all its files as one zip.
    const listed = await api().get('/api/threads?limit=10&offset=0').set('Cookie', user.cookie).expect(200);
    expect(listed.headers['x-total-count']).toBe('1');
    expect(listed.body.map((thread: any) => thread.id)).toEqual([threadId]);
    const fetched = await download(app.baseUrl, user.cookie, imageId).expect(200);
    expect((fetched.body as Buffer).equals(image)).toBe(true);
    const archive = await api().get(`/api/threads/${threadId}/files/archive`).set('Cookie', user.cookie).buffer(true).parse(rawBytes).expect(200);
    expect(archive.headers['content-type']).toBe('application/zip');
    const entries = await unzip(archive.body as Buffer);
    expect([...entries.keys()]).toEqual(['receipt.png']);
    expect(entries.get('receipt.png')!.equals(image)).toBe(true);

    await api().delete(`/api/threads/${threadId}`).set('Cookie', user.cookie).expect(200);
    expect((await api().get('/api/threads').set('Cookie', user.cookie).expect(200)).body).toEqual([]);
  });
});
