import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Express } from 'express';
import request from 'supertest';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** What a request and its response looked like when Node handed them over, before Express saw them. */
interface Born {
  url: string;
  requestHasExpressPrototype: boolean;
  responseHasExpressPrototype: boolean;
  requestKnowsApp: boolean;
}

describe('HTTP objects are built with the prototypes Express gives them', () => {
  let app: TestApp;
  let express: Express;
  const born: Born[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    express = app.app.getHttpAdapter().getInstance() as Express;
    // First in line, before Express's own listener sets any prototype.
    (app.app.getHttpServer() as Server).prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      born.push({
        url: req.url ?? '',
        requestHasExpressPrototype: Object.getPrototypeOf(req) === express.request,
        responseHasExpressPrototype: Object.getPrototypeOf(res) === express.response,
        requestKnowsApp: (req as IncomingMessage & { app?: unknown }).app === express,
      });
    });
  });

  afterAll(() => app.close());

  it('so that Express changes no prototype, and every route still answers', async () => {
    const user = await registerUser(app.baseUrl);
    await request(app.baseUrl).get('/health').expect(200);
    const me = await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
    expect(me.body.email).toBe(user.email);
    await request(app.baseUrl).get('/api/nothing-here').expect(404);

    expect(born.length).toBeGreaterThanOrEqual(4);
    for (const entry of born) {
      expect(entry).toEqual({ url: entry.url, requestHasExpressPrototype: true, responseHasExpressPrototype: true, requestKnowsApp: true });
    }
  });

  it('and the objects are still Node’s requests and responses', async () => {
    let seen: { request: boolean; response: boolean } | undefined;
    const { IncomingMessage: NodeRequest, ServerResponse: NodeResponse } = await import('node:http');
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      seen = { request: req instanceof NodeRequest, response: res instanceof NodeResponse };
    };
    const server = app.app.getHttpServer() as Server;
    server.prependListener('request', listener);
    await request(app.baseUrl).get('/health').expect(200);
    server.removeListener('request', listener);
    expect(seen).toEqual({ request: true, response: true });
  });
});
