import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PAGE = '<!doctype html><html><head><title>Assistants</title></head><body><div id="root" data-marker="web-page"></div></body></html>';

describe('the web page at /', () => {
  let app: TestApp;
  let folder: string;

  beforeAll(async () => {
    // A built client as web/build.mjs lays it out: the page and hashed assets.
    folder = mkdtempSync(join(tmpdir(), 'web-client-'));
    writeFileSync(join(folder, 'index.html'), PAGE);
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'assets', 'app-1a2b3c.js'), 'console.log("client");');
    app = await startTestApp({ webClientDir: folder });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is served to curl (Accept: */*), to a client sending no Accept, and to HEAD', async () => {
    for (const accept of ['*/*', undefined, 'application/json', 'text/html,application/xhtml+xml,*/*;q=0.8']) {
      const asked = request(app.baseUrl).get('/');
      if (accept) asked.set('Accept', accept);
      else asked.unset('Accept');
      const page = await asked;
      expect({ accept, status: page.status, type: page.headers['content-type'] }).toEqual({ accept, status: 200, type: expect.stringContaining('text/html') });
      expect(page.text).toContain('data-marker="web-page"');
    }
    const head = await request(app.baseUrl).head('/').set('Accept', '*/*').expect(200);
    expect(head.headers['content-type']).toContain('text/html');
  });

  it('leaves the API and other paths as they were: JSON errors unless HTML is preferred', async () => {
    const missing = await request(app.baseUrl).get('/api/nothing-here').set('Accept', '*/*').expect(404);
    expect(missing.body.code).toBe('not_found');
    const clientRoute = await request(app.baseUrl).get('/threads/123').set('Accept', '*/*').expect(404);
    expect(clientRoute.body.code).toBe('not_found');
    const reloaded = await request(app.baseUrl).get('/threads/123').set('Accept', 'text/html').expect(200);
    expect(reloaded.text).toContain('data-marker="web-page"');
    const asset = await request(app.baseUrl).get('/assets/app-1a2b3c.js').expect(200);
    expect(asset.text).toContain('client');
    expect((await request(app.baseUrl).post('/').set('Accept', '*/*').send({})).status).toBe(404);
  });
});
