import request from 'supertest';
import { concretePath, listRoutes } from '../support/routes.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REFUSED = {
  status: 400,
  body: { error: 'bogus is not an accepted field', code: 'validation_failed', details: [{ field: 'bogus', message: 'bogus is not an accepted field' }] },
};

describe('query parameters', () => {
  let app: TestApp;
  let cookie: string;
  let token: string;

  beforeAll(async () => {
    app = await startTestApp();
    ({ cookie } = await registerUser(app.baseUrl));
    token = (await request(app.baseUrl).post('/api/tokens').set('Cookie', cookie).send({ name: 'queries', scopes: ['read', 'write', 'chat'] }).expect(201)).body.token;
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The /v1 routes take a token, not a session. */
  const send = (method: string, path: string) =>
    request(app.baseUrl)
      [method.toLowerCase() as 'get'](path)
      .set(path.startsWith('/v1/') ? { Authorization: `Bearer ${token}` } : { Cookie: cookie })
      .send({});
  /** The refusal as the /v1 routes word it (OpenAI's error body, the same code). */
  const REFUSED_V1 = {
    status: 400,
    body: { error: { message: 'bogus is not an accepted field', type: 'invalid_request_error', param: 'bogus', code: 'validation_failed' } },
  };

  it('a parameter no route declares is refused on every method and route (routes read from the application), before anything is done', async () => {
    const routes = listRoutes(app.app);
    expect(routes.filter((route) => route.method !== 'GET').length).toBeGreaterThanOrEqual(20);
    for (const route of routes) {
      const response = await send(route.method, `${concretePath(route.path)}?bogus=1`);
      expect({ route: `${route.method} ${route.path}`, status: response.status, body: response.body }).toEqual({
        route: `${route.method} ${route.path}`,
        ...(route.path.startsWith('/v1/') ? REFUSED_V1 : REFUSED),
      });
    }
    // Nothing was done: the account (DELETE /api/user) and the session (POST /api/logout) are still there.
    await request(app.baseUrl).get('/api/user').set('Cookie', cookie).expect(200);
  });

  it('is refused with the same answer on a route with a query of its own, and after the session check', async () => {
    const listed = await send('GET', '/api/threads?limit=5&bogus=1');
    expect({ status: listed.status, body: listed.body }).toEqual(REFUSED);
    const anonymous = await request(app.baseUrl).delete(`${concretePath('/api/threads/:id')}?bogus=1`);
    expect({ status: anonymous.status, code: anonymous.body.code }).toEqual({ status: 401, code: 'not_authenticated' });
  });

  it('names every unknown parameter, and leaves the declared ones alone', async () => {
    const thread = await send('POST', '/api/thread/new?title=x&other=2');
    expect(thread.status).toBe(400);
    expect(thread.body.details).toEqual([
      { field: 'title', message: 'title is not an accepted field' },
      { field: 'other', message: 'other is not an accepted field' },
    ]);
    await send('GET', '/api/threads?limit=5&archived=false').expect(200);
  });
});
