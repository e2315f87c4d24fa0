import type { Page } from 'playwright-core';
import { eventually } from '../support/eventually.js';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { replies, send, waitUntilIdle } from './support/chat-page.js';
import { registerChatUser, startWebApp } from './support/web-app.js';

const ANSWER = [
  'Here is the plan, with the maths: the beam reaches $r = \\sqrt{h \\cdot 2R}$.',
  '',
  '$$d \\approx 3.57\\,\\sqrt{h}$$',
  '',
  '- [x] measure the tower',
  '- [ ] paint the lamp',
  '',
  '```typescript',
  'export function reach(height: number): number {',
  '  return 3.57 * Math.sqrt(height); // kilometres',
  '}',
  '```',
].join('\n');

/** Waits for the reply's Copy button to settle at `opacity` (0: hidden until hover or focus); fails if it never does. */
async function expectCopyOpacity(page: Page, opacity: '0' | '1'): Promise<void> {
  const button = replies(page).last().getByRole('button', { name: 'Copy the message' });
  const read = () => button.evaluate((element) => String((globalThis as any).getComputedStyle(element).opacity));
  await eventually(async () => ((await read()) === opacity ? true : undefined), { describe: read });
}

describe('a conversation with code, maths, a task list, versions and actions, on a desktop, a phone and in dark mode', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    const { page } = browser;
    await registerChatUser(page, app.baseUrl, 'Lighthouse keeper');
    await page.goto(`${app.baseUrl}/`);
    app.fake.enqueueResponse({ text: 'A first, shorter plan.' });
    await send(page, 'How far does the lighthouse beam reach?');
    await waitUntilIdle(page);
    app.fake.enqueueResponse({ text: ANSWER });
    await replies(page).last().getByRole('button', { name: 'Regenerate' }).click();
    await waitUntilIdle(page);
    await replies(page).last().locator('.katex-display').waitFor();
    await replies(page).last().locator('.hljs-keyword').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('on a desktop, shows the actions of a message on hover or focus', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.mouse.move(5, 790);
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await expect(replies(page).last().getByRole('group', { name: 'Versions' })).toShow('2/2');
    await expectCopyOpacity(page, '0');
    await replies(page).last().hover();
    await expectCopyOpacity(page, '1');
    await screenshot(page, 'conversation-desktop');
    await page.mouse.move(5, 790);
    await replies(page).last().getByRole('button', { name: 'Copy the message' }).focus();
    await expectCopyOpacity(page, '1');
  });

  it('on a phone, keeps the actions in view and nothing wider than the screen', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.mouse.move(1, 1);
    await expectCopyOpacity(page, '1');
    await replies(page).last().getByRole('button', { name: 'Copy the message' }).scrollIntoViewIfNeeded();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'conversation-phone');
  });

  it('in dark mode, highlights code in the dark palette', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      const keyword = await replies(page).last().locator('.hljs-keyword').first().evaluate((element) => String((globalThis as any).getComputedStyle(element).color));
      expect(keyword).toBe('rgb(255, 123, 156)');
      await replies(page).last().hover();
      await screenshot(page, 'conversation-dark');
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });
});
