import { gzipSync } from 'node:zlib';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { replies, send, waitUntilIdle } from './support/chat-page.js';
import { registerChatUser, startWebApp } from './support/web-app.js';

const RICH_REPLY = [
  'Energy: $E = mc^2$, and the area:',
  '',
  '$$\\int_0^1 x\\,dx = \\frac{1}{2}$$',
  '',
  '- [x] measure the tower',
  '- [ ] paint the lamp',
  '',
  '```python',
  'def beam(height):',
  '    return height * 2  # metres',
  '```',
  '',
  'Hostile: <img src=x onerror=alert(1)> and [a link](javascript:alert(2)).',
  '',
  '```',
  '<img src=x onerror=alert(3)>',
  '```',
].join('\n');

describe('replies render code, maths and task lists, loaded on demand and still sanitized', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    const { page } = browser;
    await registerChatUser(page, app.baseUrl, 'Keeper');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('keeps highlight.js and KaTeX out of the first script, which stays far under 150 KB gzip', async () => {
    const page = await (await fetch(`${app.baseUrl}/`)).text();
    const entry = /<script type="module" src="([^"]+)"/.exec(page)![1];
    const script = Buffer.from(await (await fetch(`${app.baseUrl}${entry}`)).arrayBuffer());
    const text = script.toString('utf8');
    expect(text).not.toContain('katex-display');
    expect(text).not.toContain('hljs-keyword');
    expect(gzipSync(script).length).toBeLessThan(60 * 1024);
  });

  it('highlights code with a language label and a copy button, renders maths and disabled task boxes, and leaves hostile markup inert', async () => {
    const { page, dialogs } = browser;
    await page.goto(`${app.baseUrl}/`);
    app.fake.enqueueResponse({ text: RICH_REPLY });
    await send(page, 'Show me everything');
    await waitUntilIdle(page);
    const reply = replies(page).last();

    const code = reply.locator('.code-block').first();
    await expect(code.locator('.code-language')).toShow('python');
    expect(await code.locator('.hljs-keyword').count()).toBeGreaterThan(0);
    await code.getByRole('button', { name: 'Copy' }).click();
    await expect(code.locator('.code-copy')).toShow('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('def beam(height):\n    return height * 2  # metres\n');

    expect(await reply.locator('.katex').count()).toBeGreaterThanOrEqual(2);
    expect(await reply.locator('.katex-display').count()).toBe(1);
    expect(await page.locator('link[data-math-stylesheet]').count()).toBe(1);

    const boxes = reply.locator('input[type="checkbox"]');
    expect(await boxes.count()).toBe(2);
    expect(await boxes.evaluateAll((inputs) => inputs.map((input) => [input.hasAttribute('checked'), input.hasAttribute('disabled')]))).toEqual([
      [true, true],
      [false, true],
    ]);

    await expect(reply).toShow('<img src=x onerror=alert(1)>');
    expect(await page.locator('.markdown img, [onerror]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, 'rich-reply');
  });
});
