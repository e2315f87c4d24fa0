import type { Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, type Browser } from './support/browser.js';
import { liveReply, replies, send, waitUntilIdle } from './support/chat-page.js';
import { registerChatUser, startWebApp } from './support/web-app.js';

const WORDS = Array.from({ length: 40 }, (_, index) => `word${index} `);
const STORED_TEXT = WORDS.join('');
const FULL_TEXT = STORED_TEXT.trim();

/** The reply text stored for the thread shown on the page. */
async function storedReply(page: Page, baseUrl: string): Promise<{ content: string; status: string }> {
  const threadId = page.url().split('/').pop();
  // A kept-alive connection the server has just closed is retried (Playwright retries only ECONNRESET).
  const messages = await (await page.request.get(`${baseUrl}/api/threads/${threadId}/messages`, { maxRetries: 1 })).json();
  return messages.at(-1);
}

/** Waits until the reply being written shows some text. */
async function replyUnderway(page: Page): Promise<void> {
  await expect(liveReply(page)).toShow(/word2 /, { timeout: 10_000 });
}

describe('a reply being written survives a reload, shows in a second tab, and can be stopped', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    const { page } = browser;
    await registerChatUser(page, app.baseUrl, 'Narrator');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('reattaches after a reload with the last event id, and ends with the whole reply shown once', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    app.fake.enqueueResponse({ deltas: WORDS, deltaDelayMs: 100 });
    await send(page, 'Tell me forty words');
    await page.waitForURL(/\/threads\/[0-9a-f-]{36}$/);
    await replyUnderway(page);

    const attaches: Array<string | undefined> = [];
    const watch = (request: import('playwright-core').Request) => {
      if (request.method() === 'GET' && /\/api\/threads\/[0-9a-f-]{36}\/stream$/.test(request.url())) attaches.push(request.headers()['last-event-id']);
    };
    page.on('request', watch);
    await page.reload();
    await liveReply(page).waitFor({ timeout: 10_000 });
    await waitUntilIdle(page);
    page.off('request', watch);

    expect(attaches).toHaveLength(1);
    expect(attaches[0]).toMatch(/^\d+$/);
    const stored = await storedReply(page, app.baseUrl);
    expect(stored).toMatchObject({ status: 'completed', content: STORED_TEXT });
    expect(await replies(page).count()).toBe(1);
    expect((await replies(page).locator('.markdown').innerText()).trim()).toBe(FULL_TEXT);
  });

  it('shows the same reply streaming in a second tab of the thread', async () => {
    const { page, context } = browser;
    app.fake.enqueueResponse({ deltas: WORDS, deltaDelayMs: 100 });
    await send(page, 'Again, please');
    await replyUnderway(page);
    const second = await context.newPage();
    try {
      await second.goto(page.url());
      await liveReply(second).waitFor({ timeout: 10_000 });
      await waitUntilIdle(second);
      await waitUntilIdle(page);
      const texts = async (tab: Page) => (await replies(tab).last().locator('.markdown').innerText()).trim();
      expect(await texts(second)).toBe(FULL_TEXT);
      expect(await texts(page)).toBe(FULL_TEXT);
      expect(await replies(second).count()).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('reattaches when coming back to the thread, and Stop cancels the reply on the server', async () => {
    const { page } = browser;
    const threadUrl = page.url();
    app.fake.enqueueResponse({ deltas: WORDS, deltaDelayMs: 120 });
    await send(page, 'Once more');
    await replyUnderway(page);
    await page.getByRole('link', { name: 'New conversation' }).or(page.getByRole('button', { name: 'New conversation' })).first().click();
    await page.waitForURL(`${app.baseUrl}/`);
    await page.goto(threadUrl);
    await liveReply(page).waitFor({ timeout: 10_000 });

    const cancel = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/cancel'));
    await page.getByRole('button', { name: 'Stop' }).click();
    await cancel;
    await waitUntilIdle(page);
    const stored = await storedReply(page, app.baseUrl);
    expect(stored.status).toBe('cancelled');
    expect(FULL_TEXT.startsWith(stored.content.trim())).toBe(true);
    await expect(replies(page).last()).toShow('Stopped');
    expect((await replies(page).last().locator('.markdown').innerText()).trim()).toBe(stored.content.trim());
  });
});
