import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { registerUser } from '../support/session-client.js';
import { hostAndPort, TcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('database outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let testApp: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { host, port } = hostAndPort(database.url);
    proxy = await TcpProxy.start(host, port);
    testApp = await startTestApp({
      database,
      databaseUrl: proxy.rewrite(database.url),
      env: { DATABASE_CONNECT_TIMEOUT_MS: '1000' },
    });
  });

  afterAll(async () => {
    await testApp?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('answers 503 in the envelope while the database is down, stays up, and recovers by itself', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    await request(testApp.baseUrl).get('/health').expect(200);

    proxy.down();
    const started = Date.now();
    const health = await request(testApp.baseUrl).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ error: expect.any(String), code: 'database_unavailable', requestId: expect.any(String) });
    expect(Date.now() - started).toBeLessThan(5_000);

    // A request that needs its session is refused quickly, not hung.
    const sessionStarted = Date.now();
    const user = await request(testApp.baseUrl).get('/api/user').set('Cookie', cookie);
    expect(user.status).toBe(503);
    expect(user.body.code).toBe('database_unavailable');
    expect(Date.now() - sessionStarted).toBeLessThan(5_000);

    // Pages that need no database still work: the process is up.
    await request(testApp.baseUrl).get('/config').expect(200);

    proxy.up();
    const recovered = await eventually(async () => ((await request(testApp.baseUrl).get('/health')).status === 200 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    expect(recovered).toBe(true);
    await request(testApp.baseUrl).get('/api/user').set('Cookie', cookie).expect(200);
  });
});
