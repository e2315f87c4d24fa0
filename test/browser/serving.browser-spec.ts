import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { startWebApp } from './support/web-app.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the platform serves its web client at /', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('answers / with the page (no-cache, strict CSP) and hashed assets with a long cache', async () => {
    const page = await fetch(`${app.baseUrl}/`, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const script = html.match(/src="(\/assets\/main-[A-Z0-9]+\.js)"/)?.[1];
    const stylesheet = html.match(/href="(\/assets\/main-[A-Z0-9]+\.css)"/)?.[1];
    expect(script).toBeDefined();
    expect(stylesheet).toBeDefined();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);

    for (const asset of [script!, stylesheet!]) {
      const response = await fetch(`${app.baseUrl}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers client routes with the page, and leaves API and operations routes alone', async () => {
    for (const path of ['/assistants', '/threads/00000000-0000-4000-8000-000000000000', '/settings']) {
      const response = await fetch(`${app.baseUrl}${path}`, { headers: HTML });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="app">');
    }
    const api = await fetch(`${app.baseUrl}/api/no-such-route`, { headers: HTML });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
    const health = await fetch(`${app.baseUrl}/health`, { headers: HTML });
    expect(health.headers.get('content-type')).toMatch(/json/);
    const missingAsset = await fetch(`${app.baseUrl}/assets/main-MISSING.js`, { headers: HTML });
    expect(missingAsset.status).toBe(404);
    // Scripts and curl are not browsers asking for a page.
    const json = await fetch(`${app.baseUrl}/somewhere`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
  });

  it('loads in Chromium from its own origin only, without script errors or CSP violations', async () => {
    const { page } = browser;
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(app.baseUrl) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, '01-sign-in');
    expect(problems.filter((text) => !text.includes('401'))).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
