import type { Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { replies, send, waitUntilIdle } from './support/chat-page.js';
import { registerChatUser, startWebApp } from './support/web-app.js';

const yours = (page: Page) => page.getByRole('article', { name: 'Your message' });
const threadIdOf = (page: Page) => page.url().split('/').pop()!;

describe('every message has its actions: copy, edit, versions, regenerate, rating and fork', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    const { page } = browser;
    await registerChatUser(page, app.baseUrl, 'Guide');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('copies a message with a "Copied" confirmation', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    app.fake.enqueueResponse({ text: 'The first answer.' });
    await send(page, 'A question');
    await waitUntilIdle(page);
    const reply = replies(page).last();
    await reply.hover();
    await reply.getByRole('button', { name: 'Copy the message' }).click();
    await expect(reply.getByRole('button', { name: 'Copy the message' })).toShow('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('The first answer.');
    expect(await reply.getAttribute('data-message-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('regenerates a reply and keeps the old one: the switcher moves between 1/2 and 2/2', async () => {
    const { page } = browser;
    app.fake.enqueueResponse({ text: 'The second answer.' });
    await replies(page).last().getByRole('button', { name: 'Regenerate' }).click();
    await waitUntilIdle(page);
    const reply = replies(page).last();
    await expect(reply).toShow('The second answer.');
    const versions = reply.getByRole('group', { name: 'Versions' });
    await expect(versions).toShow('2/2');
    await versions.getByRole('button', { name: 'Previous version' }).click();
    await expect(replies(page).last()).toShow('The first answer.');
    await expect(replies(page).last().getByRole('group', { name: 'Versions' })).toShow('1/2');
    await replies(page).last().getByRole('button', { name: 'Next version' }).click();
    await expect(replies(page).last()).toShow('The second answer.');
    expect(await replies(page).count()).toBe(1);
  });

  it('edits a message inline: Save & send makes a new branch, and the original stays one switch away', async () => {
    const { page } = browser;
    await yours(page).last().getByRole('button', { name: 'Edit your message' }).click();
    const editor = page.getByLabel('New version of your message');
    await expect(editor).toHoldValue('A question');
    await editor.fill('A better question');
    await screenshot(page, 'message-editor');
    app.fake.enqueueResponse({ text: 'An answer to the better question.' });
    await page.getByRole('button', { name: 'Save & send' }).click();
    await waitUntilIdle(page);
    await expect(yours(page).last()).toShow('A better question');
    await expect(yours(page).last().getByRole('group', { name: 'Versions' })).toShow('2/2');
    await expect(replies(page).last()).toShow('An answer to the better question.');
    const sent = JSON.stringify(app.fake.requestsTo('POST', '/v1/responses').at(-1)!.body);
    expect(sent).toContain('A better question');
    expect(sent).not.toContain('The first answer.');
    await yours(page).last().getByRole('button', { name: 'Previous version' }).click();
    await expect(yours(page).last()).toShow('A question');
    await expect(replies(page).last()).toShow('The second answer.');
  });

  it('rates a reply up with a comment, and clears the rating', async () => {
    const { page } = browser;
    const reply = replies(page).last();
    await reply.hover();
    await reply.getByRole('button', { name: 'Good reply' }).click();
    await expect(reply.getByRole('button', { name: 'Good reply' })).toHaveAttributeValue('aria-pressed', 'true');
    await reply.getByLabel('Comment on the rating').fill('Clear and short');
    await reply.getByRole('button', { name: 'Save comment' }).click();
    await reply.getByLabel('Comment on the rating').waitFor({ state: 'detached' });
    const messageId = await reply.getAttribute('data-message-id');
    const stored = async () =>
      (await (await page.request.get(`${app.baseUrl}/api/threads/${threadIdOf(page)}/messages`)).json()).find((message: any) => message.id === messageId);
    expect((await stored()).feedback).toMatchObject({ rating: 'up', comment: 'Clear and short' });
    await reply.getByRole('button', { name: 'Good reply' }).click();
    await expect(reply.getByRole('button', { name: 'Good reply' })).toHaveAttributeValue('aria-pressed', 'false');
    expect((await stored()).feedback).toBeNull();
  });

  it('forks the conversation from a message and opens the new thread', async () => {
    const { page } = browser;
    const original = threadIdOf(page);
    await screenshot(page, 'message-actions');
    await yours(page).last().hover();
    await yours(page).last().getByRole('button', { name: 'Fork: start a new conversation from this message' }).click();
    await page.waitForURL((url) => /\/threads\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(original));
    await expect(yours(page).last()).toShow('A question');
    expect(await replies(page).count()).toBe(0);
  });
});
