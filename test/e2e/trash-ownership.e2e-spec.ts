import { randomUUID } from 'node:crypto';
import { chatJson, chatUser } from '../support/chat-helpers.js';
import { listRoutes } from '../support/routes.js';
import { minimalPdf } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { api, assistantRows, listedIds, threadRows } from '../support/trash-helpers.js';

/** The routes that reach an object in the trash: restore it, or delete it for good. */
const TRASH_ROUTES = ['DELETE /api/assistants/:id', 'DELETE /api/threads/:id', 'POST /api/assistants/:id/restore', 'POST /api/threads/:id/restore'];

describe("another user's trash", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is a 404 on every route that reaches the trash, word for word as an id that exists nowhere, and is never listed', async () => {
    const owner = await chatUser(app);
    const intruder = await chatUser(app);
    const chat = (await chatJson(app, owner.cookie, { assistantId: owner.assistant.id, message: 'Private' }).expect(200)).body;
    const threadId = chat.threadId;
    const messageId = chat.userMessageId;
    // Well-formed bodies, so that what answers is the ownership, not the validation.
    const BODIES: Record<string, object> = {
      messages: { role: 'user', content: 'hi' },
      fork: { messageId },
      edit: { content: 'Changed', stream: false },
    };
    await api(app).delete(`/api/threads/${threadId}`).set('Cookie', owner.cookie).expect(200);
    await api(app).delete(`/api/assistants/${owner.assistant.id}`).set('Cookie', owner.cookie).expect(200);

    const routes = listRoutes(app.app)
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => /^(POST|DELETE) \/api\/(threads|assistants)\/:id(\/restore)?$/.test(route));
    expect(routes.sort()).toEqual(TRASH_ROUTES);
    // Every thread and assistant route, the new ones included, for the owner's objects in the trash.
    const everyRoute = listRoutes(app.app).filter((route) => /^\/api\/(threads|assistants)\/:id/.test(route.path) && !route.path.includes(':fileId'));
    for (const route of everyRoute) {
      const id = route.path.startsWith('/api/threads/') ? threadId : owner.assistant.id;
      for (const query of ['', '?permanent=true', '?soft=false']) {
        if (query && route.method !== 'DELETE') continue;
        const send = (target: string) => {
          const call = api(app)
            [route.method.toLowerCase() as 'get'](`${route.path.replace(':id', target).replace(':messageId', messageId)}${query}`)
            .set('Cookie', intruder.cookie);
          if (route.method === 'POST' && route.path.endsWith('/files')) return call.attach('file', minimalPdf('Intruder'), 'intruder.pdf');
          return call.send(BODIES[route.path.slice(route.path.lastIndexOf('/') + 1)] ?? {});
        };
        const response = await send(id);
        const missing = await send(randomUUID());
        const key = `${route.method} ${route.path}${query}`;
        expect({ key, status: response.status, body: response.body }).toEqual({ key, status: 404, body: { error: missing.body.error, code: 'not_found' } });
      }
    }
    const viaChat = await chatJson(app, intruder.cookie, { threadId, message: 'Let me in' });
    expect(viaChat.status).toBe(404);
    const withAssistant = await chatJson(app, intruder.cookie, { assistantId: owner.assistant.id, message: 'Let me in' });
    expect(withAssistant.status).toBe(404);

    expect(await listedIds(app, intruder.cookie, '/api/threads?trashed=true')).toEqual([]);
    expect(await listedIds(app, intruder.cookie, '/api/assistants?trashed=true')).toEqual([]);
    // The owner's trash is as it was.
    expect(await threadRows(app, threadId)).toEqual({ threads: 1, messages: 2 });
    expect(await assistantRows(app, owner.assistant.id)).toBe(1);
    expect(await listedIds(app, owner.cookie, '/api/threads?trashed=true')).toEqual([threadId]);
    expect(await listedIds(app, owner.cookie, '/api/assistants?trashed=true')).toEqual([owner.assistant.id]);
  });
});
