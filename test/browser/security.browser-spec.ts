import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { TEST_API_KEY, registerInBrowser, startWebApp } from './support/web-app.js';

const XSS_REPLY = [
  'Here is an image: <img src=x onerror=alert(1)>',
  '',
  'And [a tempting link](javascript:alert(2)) next to [a safe one](https://example.org/docs).',
  '',
  '<script>alert(3)</script>',
  '',
  '```html',
  '<img src=x onerror=alert(4)>',
  '```',
].join('\n');

/** A page on another origin that tries to act for the signed-in user. */
function attackerPage(appUrl: string): string {
  const target = `${appUrl}/api/settings/default-assistant`;
  return `<!doctype html>
<html><body>
<p id="result">pending</p>
<form id="form" method="POST" action="${target}" enctype="text/plain">
  <input name='{"assistantId":null,"x":"' value='"}'>
</form>
<script>
  fetch(${JSON.stringify(target)}, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: '{"assistantId":null}',
  }).then(
    (response) => { document.getElementById('result').textContent = 'status ' + response.status; },
    () => { document.getElementById('result').textContent = 'blocked'; },
  );
</script>
</body></html>`;
}

describe('the web client is safe against hostile content and other sites', () => {
  let app: TestApp;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;
  let assistantId: string;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    attacker = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(attackerPage(app.baseUrl));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;

    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    // Set-up through the API with the browser's own cookie.
    expect((await page.request.post(`${app.baseUrl}/api/settings/apikey`, { data: { apiKey: TEST_API_KEY } })).status()).toBe(200);
    const created = await page.request.post(`${app.baseUrl}/api/assistants`, { data: { name: 'Echo' } });
    assistantId = (await created.json()).id;
    await page.request.post(`${app.baseUrl}/api/settings/default-assistant`, { data: { assistantId } });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => attacker?.close(resolve));
  });

  it('renders raw HTML, scripts and javascript: links in messages as inert text', async () => {
    const { page, dialogs } = browser;
    await page.goto(`${app.baseUrl}/`);
    app.fake.enqueueResponse({ text: XSS_REPLY });
    await page.getByLabel('Message', { exact: true }).fill('Look: <img src=x onerror=alert(5)> [me](javascript:alert(6))');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('article', { name: 'Assistant reply' });
    await reply.locator('.markdown').getByText('a safe one').waitFor();

    expect(await page.locator('img[onerror], [onerror]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await page.locator('.message script').count()).toBe(0);
    // The raw HTML is shown as text, the code block as code.
    await reply.getByText('<img src=x onerror=alert(1)>').waitFor();
    await reply.locator('pre code').getByText('<img src=x onerror=alert(4)>').waitFor();
    await page.getByRole('article', { name: 'Your message' }).getByText('<img src=x onerror=alert(5)>', { exact: false }).waitFor();
    // Only the http(s) link is a link, and it opens without access to this page.
    const safe = reply.getByRole('link', { name: 'a safe one' });
    expect(await safe.getAttribute('href')).toBe('https://example.org/docs');
    expect(await safe.getAttribute('rel')).toContain('noopener');
    await reply.getByText('a tempting link').click();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    await screenshot(page, '17-chat-hostile-content');
  });

  it('refuses requests another site makes with the user’s cookie, while the client’s own work', async () => {
    const { context, page } = browser;
    const settings = async () => (await page.request.get(`${app.baseUrl}/api/settings`)).json();
    expect((await settings()).defaultAssistantId).toBe(assistantId);

    const other = await context.newPage();
    await other.goto(attackerUrl);
    await other.locator('#result').filter({ hasNotText: 'pending' }).waitFor();
    // CORS refuses the preflight, so the JSON request is never sent.
    expect(await other.locator('#result').innerText()).toBe('blocked');

    // A plain form post needs no preflight: it reaches the server, which refuses it.
    const [formResponse] = await Promise.all([
      other.waitForResponse((response) => response.url().startsWith(app.baseUrl) && response.request().method() === 'POST'),
      other.locator('#form').evaluate((form) => (form as unknown as { submit(): void }).submit()),
    ]);
    expect(formResponse.status()).toBe(403);
    expect(await formResponse.json()).toMatchObject({ code: 'cross_site_request' });
    await other.close();
    expect((await settings()).defaultAssistantId).toBe(assistantId);

    // The client itself, on the same origin, changes the setting.
    await page.goto(`${app.baseUrl}/settings`);
    await page.getByLabel('Assistant', { exact: true }).selectOption({ label: 'None' });
    await page.getByRole('button', { name: 'Save default' }).click();
    await page.getByText('Default assistant cleared').waitFor();
    expect((await settings()).defaultAssistantId).toBeNull();
  });
});
