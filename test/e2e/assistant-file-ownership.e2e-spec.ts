import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { listRoutes, type AppRoute } from '../support/routes.js';
import { registerUser } from '../support/session-client.js';
import { createAssistant, folderEntry, storedRowCounts, uploadFile, waitForFileStatus, type SignedInUser } from '../support/platform-api.js';
import { minimalPdf, minimalPng } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface OwnedIds {
  assistantId: string;
  fileId: string;
}

/** The route's path with the assistant id in /api/assistants/:id, the file id in :fileId and /api/files/:id. */
function pathWith(route: AppRoute, ids: OwnedIds): string {
  const idValue = route.path.startsWith('/api/assistants/') ? ids.assistantId : ids.fileId;
  return route.path.replace(':fileId', ids.fileId).replace(':id', idValue);
}

describe("one user's assistants and files are invisible to another", () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  let stranger: SignedInUser;
  let owned: OwnedIds & { imageId: string };

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await registerUser(testApp.baseUrl);
    stranger = await registerUser(testApp.baseUrl);
    const assistant = await createAssistant(testApp.baseUrl, owner.cookie, { name: "Owner's assistant" });
    const document = await uploadFile(testApp.baseUrl, owner.cookie, minimalPdf('Private'), 'private.pdf', { assistantId: assistant.id });
    const image = await uploadFile(testApp.baseUrl, owner.cookie, minimalPng(), 'private.png');
    owned = { assistantId: assistant.id, fileId: document.fileIds[0], imageId: image.fileIds[0] };
    // Without an API key the indexing fails: a state that POST /retry would change.
    await waitForFileStatus(testApp.baseUrl, owner.cookie, owned.fileId, 'failed');
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);

  /** What the owner sees of their own objects; must not change whatever the stranger does. */
  const ownerView = async () => ({
    assistant: (await api().get(`/api/assistants/${owned.assistantId}`).set('Cookie', owner.cookie).expect(200)).body,
    assistantFiles: (await api().get(`/api/assistants/${owned.assistantId}/files`).set('Cookie', owner.cookie).expect(200)).body,
    file: (await api().get(`/api/files/${owned.fileId}`).set('Cookie', owner.cookie).expect(200)).body,
    image: (await api().get(`/api/files/${owned.imageId}`).set('Cookie', owner.cookie).expect(200)).body,
  });

  const send = (route: AppRoute, path: string, cookie: string) => {
    const call = api()[route.method.toLowerCase() as 'get'](path).set('Cookie', cookie);
    if (route.method === 'POST' && route.path.endsWith('/files')) return call.attach('file', minimalPdf('Intruder'), 'intruder.pdf');
    if (route.method === 'PATCH') return call.send({ name: 'Hijacked', description: 'Taken over' });
    return call;
  };

  it("answers 404 on every assistant and file route for the other user's ids, as for ids that do not exist", async () => {
    const routes = listRoutes(testApp.app).filter(
      (route) => /^\/api\/(assistants|files)\//.test(route.path) && route.path.includes(':id'),
    );
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/assistants/:id',
        'PATCH /api/assistants/:id',
        'DELETE /api/assistants/:id',
        'GET /api/assistants/:id/files',
        'POST /api/assistants/:id/files',
        'DELETE /api/assistants/:id/files/:fileId',
        'GET /api/files/:id',
        'GET /api/files/:id/content',
        'POST /api/files/:id/retry',
        'DELETE /api/files/:id',
      ]),
    );
    const before = await ownerView();
    const strangersOwn = await createAssistant(testApp.baseUrl, stranger.cookie, { name: "Stranger's assistant" });
    const nobody = (): OwnedIds => ({ assistantId: randomUUID(), fileId: randomUUID() });
    /** Each case also names ids that exist nowhere, whose 404 the case must match word for word. */
    const casesFor = (route: AppRoute): Array<{ label: string; ids: OwnedIds; missing: OwnedIds }> => {
      const takesFile = route.path.startsWith('/api/files/') || route.path.includes(':fileId');
      return [
        { label: "owner's ids", ids: owned, missing: nobody() },
        ...(takesFile ? [{ label: "owner's image", ids: { assistantId: owned.assistantId, fileId: owned.imageId }, missing: nobody() }] : []),
        ...(route.path.includes(':fileId')
          ? [
              {
                label: "stranger's assistant, owner's file",
                ids: { assistantId: strangersOwn.id, fileId: owned.fileId },
                missing: { assistantId: strangersOwn.id, fileId: randomUUID() },
              },
            ]
          : []),
      ];
    };

    for (const route of routes) {
      for (const { label, ids, missing: missingIds } of casesFor(route)) {
        const response = await send(route, pathWith(route, ids), stranger.cookie);
        const missing = await send(route, pathWith(route, missingIds), stranger.cookie);
        expect({ route: `${route.method} ${route.path}`, label, status: response.status, body: response.body }).toEqual({
          route: `${route.method} ${route.path}`,
          label,
          status: 404,
          body: { error: missing.body.error, code: 'not_found' },
        });
      }
    }

    expect(await ownerView()).toEqual(before);
    expect(await storedRowCounts(testApp.dataSource, stranger.userId)).toEqual({ files: 0, chunks: 0 });
  });

  it("cannot attach the other user's file to its own assistant, nor upload into the other user's assistant", async () => {
    const before = await ownerView();
    const mine = await createAssistant(testApp.baseUrl, stranger.cookie, { name: 'Mine' });
    const assistantsBefore = (await api().get('/api/assistants').set('Cookie', stranger.cookie).expect(200)).body.length;

    const patched = await api().patch(`/api/assistants/${mine.id}`).set('Cookie', stranger.cookie).send({ addFileIds: [owned.fileId] });
    expect(patched.status).toBe(404);
    const created = await api().post('/api/assistants').set('Cookie', stranger.cookie).send({ name: 'Thief', fileIds: [owned.fileId] });
    expect(created.status).toBe(404);
    const uploaded = await api()
      .post('/api/upload')
      .set('Cookie', stranger.cookie)
      .field('assistantId', owned.assistantId)
      .attach('file', minimalPdf('Planted'), 'planted.pdf');
    expect(uploaded.status).toBe(404);
    const folder = await api()
      .post('/api/upload-directory')
      .set('Cookie', stranger.cookie)
      .field('assistantId', owned.assistantId)
      .attach('files', Buffer.from('planted'), folderEntry('folder/planted.txt'));
    expect(folder.status).toBe(404);
    const defaulted = await api().post('/api/settings/default-assistant').set('Cookie', stranger.cookie).send({ assistantId: owned.assistantId });
    expect(defaulted.status).toBe(404);

    expect((await api().get(`/api/assistants/${mine.id}`).set('Cookie', stranger.cookie).expect(200)).body.fileIds).toEqual([]);
    expect((await api().get('/api/assistants').set('Cookie', stranger.cookie).expect(200)).body).toHaveLength(assistantsBefore);
    expect(await storedRowCounts(testApp.dataSource, stranger.userId)).toEqual({ files: 0, chunks: 0 });
    expect(await ownerView()).toEqual(before);
  });

  it("never lists the other user's assistants or files", async () => {
    const reader = await registerUser(testApp.baseUrl);
    const readersAssistant = await createAssistant(testApp.baseUrl, reader.cookie, { name: "Reader's" });
    const readersFile = await uploadFile(testApp.baseUrl, reader.cookie, Buffer.from('reader notes'), 'notes.txt');

    const assistants = await api().get('/api/assistants').set('Cookie', reader.cookie).expect(200);
    expect(assistants.body.map((assistant: { id: string }) => assistant.id)).toEqual([readersAssistant.id]);
    const files = await api().get('/api/files').set('Cookie', reader.cookie).expect(200);
    expect(files.body.map((file: { id: string }) => file.id)).toEqual(readersFile.fileIds);
    expect(files.headers['x-total-count']).toBe('1');
    const byOwnersAssistant = await api().get(`/api/files?assistantId=${owned.assistantId}`).set('Cookie', reader.cookie).expect(200);
    expect(byOwnersAssistant.body).toEqual([]);
    const images = await api().get('/api/files?kind=image').set('Cookie', reader.cookie).expect(200);
    expect(images.body).toEqual([]);

    const ownersFiles = await api().get('/api/files').set('Cookie', owner.cookie).expect(200);
    expect(ownersFiles.body.map((file: { id: string }) => file.id).sort()).toEqual([owned.fileId, owned.imageId].sort());
  });
});
