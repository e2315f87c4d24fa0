import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { conversationUser, threadWith } from '../support/conversation-helpers.js';
import { listRoutes } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The routes that reach a message's feedback or a share by id (the thread routes have their own enumeration in threads.e2e-spec). */
const ID_ROUTES = ['DELETE /api/messages/:id/feedback', 'DELETE /api/shares/:id', 'PUT /api/messages/:id/feedback'];

describe("another user's feedback, shares and search results", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('are a 404 on every route by id, word for word as an id that exists nowhere, and never listed', async () => {
    const owner = await conversationUser(app);
    const intruder = await conversationUser(app);
    const { threadId, messageIds } = await threadWith(app, owner.cookie, 'Confidential plans', ['Our merger codename', 'The codename is Bluebird']);
    await request(app.baseUrl).put(`/api/messages/${messageIds[1]}/feedback`).set('Cookie', owner.cookie).send({ rating: 'up', comment: 'mine' }).expect(200);
    const share = await request(app.baseUrl).post(`/api/threads/${threadId}/shares`).set('Cookie', owner.cookie).send({}).expect(201);
    const ids: Record<string, string> = { messages: messageIds[1], shares: share.body.id };

    const routes = listRoutes(app.app).filter((route) => /^\/api\/(messages|shares)\/:id/.test(route.path));
    expect(routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(ID_ROUTES);
    for (const route of routes) {
      const send = (id: string) =>
        request(app.baseUrl)
          [route.method.toLowerCase() as 'put'](route.path.replace(':id', id))
          .set('Cookie', intruder.cookie)
          .send(route.method === 'PUT' ? { rating: 'down' } : {});
      const response = await send(ids[route.path.split('/')[2]]);
      const missing = await send(randomUUID());
      const key = `${route.method} ${route.path}`;
      expect({ key, status: response.status, body: response.body }).toEqual({ key, status: 404, body: missing.body });
      expect(missing.body.code).toBe('not_found');
    }
    // The owner's user message is a 404 too (not "not a reply"): nothing tells the intruder it exists.
    const userMessage = await request(app.baseUrl).put(`/api/messages/${messageIds[0]}/feedback`).set('Cookie', intruder.cookie).send({ rating: 'up' });
    expect(userMessage.status).toBe(404);
    const shareOthers = await request(app.baseUrl).post(`/api/threads/${threadId}/shares`).set('Cookie', intruder.cookie).send({});
    expect({ status: shareOthers.status, code: shareOthers.body.code }).toEqual({ status: 404, code: 'not_found' });

    // Nothing of the owner's in the intruder's lists.
    for (const path of ['/api/feedback', '/api/feedback?format=json', '/api/shares']) {
      expect({ path, body: (await request(app.baseUrl).get(path).set('Cookie', intruder.cookie).expect(200)).body }).toEqual({ path, body: [] });
    }
    const found = await request(app.baseUrl).get('/api/search?q=codename&includeArchived=true').set('Cookie', intruder.cookie).expect(200);
    expect(found.body).toEqual({ results: [], hasMore: false, capped: false });

    // The owner's objects are as they were.
    const [message] = (await request(app.baseUrl).get(`/api/threads/${threadId}/messages`).set('Cookie', owner.cookie).expect(200)).body.slice(1);
    expect(message.feedback).toMatchObject({ rating: 'up', comment: 'mine' });
    await request(app.baseUrl).get(share.body.path).expect(200);
    expect((await request(app.baseUrl).get('/api/shares').set('Cookie', owner.cookie).expect(200)).body).toHaveLength(1);
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM thread_shares');
    expect(count).toBe(1);
  });

  it("a message of the owner's own thread in the trash takes no feedback", async () => {
    const owner = await conversationUser(app);
    const { threadId, messageIds } = await threadWith(app, owner.cookie, null, ['Q', 'A']);
    await request(app.baseUrl).delete(`/api/threads/${threadId}`).set('Cookie', owner.cookie).expect(200);
    await request(app.baseUrl).put(`/api/messages/${messageIds[1]}/feedback`).set('Cookie', owner.cookie).send({ rating: 'up' }).expect(404);
    await request(app.baseUrl).delete(`/api/messages/${messageIds[1]}/feedback`).set('Cookie', owner.cookie).expect(404);
    await request(app.baseUrl).post(`/api/threads/${threadId}/shares`).set('Cookie', owner.cookie).send({}).expect(404);
  });
});
