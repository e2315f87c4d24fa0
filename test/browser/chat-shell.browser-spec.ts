// The chat's shell at desktop size: the header's "…" menu, the conversation
// list's date groups and placeholder rows, and the keyboard shortcuts.
import { minimalPng } from '../support/sample-files.js';
import type { TestApp } from '../support/test-app.js';
import { holdRequests, launchBrowser, screenshot, type Browser } from './support/browser.js';
import { liveReply, send, sidebar, waitUntilIdle } from './support/chat-page.js';
import { focusIsWithin, focused, focusPageStart, seedThread } from './support/chat-shell.js';
import { createAssistantInBrowser, registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

describe('the chat shell', () => {
  let app: TestApp;
  let browser: Browser;
  let threadId: string;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await saveApiKeyInBrowser(page, app.baseUrl);
    await createAssistantInBrowser(page, app.baseUrl, 'Shell');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const menuButton = () => browser.page.getByRole('button', { name: 'More actions' });
  const menu = () => browser.page.getByRole('menu', { name: 'More actions' });

  it('keeps the header to the title and two buttons, the rest in a keyboard-operable "…" menu', async () => {
    const { page } = browser;
    threadId = await seedThread(page, 'Menu test', ['Hello', 'Hi there']);
    await page.goto(`${app.baseUrl}/threads/${threadId}`);
    await page.getByRole('heading', { name: 'Menu test' }).waitFor();
    const header = page.locator('.thread-header');
    expect(await header.getByRole('button').count()).toBe(2);
    expect(await menuButton().getAttribute('aria-haspopup')).toBe('menu');
    expect(await menuButton().getAttribute('aria-expanded')).toBe('false');

    await menuButton().focus();
    await page.keyboard.press('Enter');
    await expect(menu()).toShow();
    expect(await menuButton().getAttribute('aria-expanded')).toBe('true');
    const items = await menu().getByRole('menuitem').allInnerTexts();
    expect(items).toEqual(['Rename', 'Share…', 'Change assistant…', 'Archive', 'Export Markdown', 'Export JSON', 'Delete…']);
    expect(await focused(page)).toBe('button:Rename');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('button:Share…');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('button:Delete…');
    await page.keyboard.press('Home');
    expect(await focused(page)).toBe('button:Rename');
    await screenshot(page, 'shell-menu');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'shell-menu-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await expect(menu()).toBeGone();
    expect(await focused(page)).toBe('button:More actions');

    // ArrowUp on the button opens at the last item; choosing an item works it.
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('button:Delete…');
    await page.keyboard.press('Escape');
    await menuButton().click();
    await menu().getByRole('menuitem', { name: 'Archive' }).click();
    await expect(page.locator('.thread-header')).toShow('Archived');
    await menuButton().click();
    await menu().getByRole('menuitem', { name: 'Restore from archive' }).click();
    await expect(page.locator('.thread-header .badge')).toBeGone();

    await menuButton().click();
    await menu().getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByLabel('Conversation title', { exact: true }).fill('Renamed by menu');
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByRole('heading', { name: 'Renamed by menu' }).waitFor();
    await expect(sidebar(page)).toShow('Renamed by menu');
  });

  it('offers "Download all files" only when the conversation has files', async () => {
    const { page } = browser;
    await menuButton().click();
    expect(await menu().getByRole('menuitem', { name: 'Download all files' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.getByTestId('image-input').setInputFiles([{ name: 'pixel.png', mimeType: 'image/png', buffer: minimalPng() }]);
    await page.locator('li[data-state="ready"]').waitFor();
    app.fake.enqueueResponse({ text: 'A pixel.' });
    await send(page, 'What is this?');
    await waitUntilIdle(page);
    await menuButton().click();
    const download = menu().getByRole('menuitem', { name: 'Download all files' });
    await download.waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/-files\.zip$/);
  });

  it('groups the conversation list by day, in local time, with placeholder rows while it loads', async () => {
    const { page } = browser;
    const ages: Record<string, number> = { 'Old one': 90, 'Last month': 20, 'Last week': 4, 'From yesterday': 1 };
    for (const [title, days] of Object.entries(ages)) {
      const id = await seedThread(page, title, ['Hi']);
      // Local calendar days (the browser runs in this process's time zone): noon of the day `days` before today.
      const today = new Date();
      const noon = new Date(today.getFullYear(), today.getMonth(), today.getDate() - days, 12);
      await app.dataSource.query('UPDATE threads SET last_message_at = $2 WHERE id = $1', [id, noon.toISOString()]);
    }
    // The list waits for the server a moment: placeholder rows show meanwhile, not a blank list.
    const release = await holdRequests(page, '**/api/threads?*');
    await page.goto(`${app.baseUrl}/`);
    await page.getByTestId('thread-skeleton').waitFor();
    expect(await page.getByTestId('thread-skeleton').locator('li').count()).toBeGreaterThan(2);
    await screenshot(page, 'shell-skeleton');
    await release();
    await page.getByTestId('thread-skeleton').waitFor({ state: 'detached' });

    const groups = await page.evaluate(`Array.from(document.querySelectorAll('#thread-sidebar section.thread-group')).map((section) => [
      section.querySelector('h2').textContent,
      Array.from(section.querySelectorAll('.thread-title')).map((title) => title.textContent),
    ])`);
    expect(groups).toEqual([
      ['Today', ['Renamed by menu']],
      ['Yesterday', ['From yesterday']],
      ['Previous 7 days', ['Last week']],
      ['Previous 30 days', ['Last month']],
      ['Older', ['Old one']],
    ]);
    await screenshot(page, 'shell-groups');
  });

  it('works the keyboard shortcuts and lists them in a dialog', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/threads/${threadId}`);
    await page.getByRole('heading', { name: 'Renamed by menu' }).waitFor();
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });

    // The message box takes the focus when a conversation opens; shortcuts are for the rest of the page.
    await focusPageStart(page);
    await page.keyboard.press('?');
    await expect(help).toShow('Ctrl');
    await screenshot(page, 'shell-shortcuts');
    await page.keyboard.press('Escape');
    await expect(help).toBeGone();
    await page.keyboard.press('Control+/');
    await expect(help).toShow();
    await page.keyboard.press('Escape');
    await expect(help).toBeGone();

    // ? in the message box is text, not a shortcut.
    await page.keyboard.press('Shift+Escape');
    expect(await focused(page)).toMatch(/^textarea:/);
    await page.keyboard.type('Why?');
    await expect(page.getByLabel('Message', { exact: true })).toHoldValue('Why?');
    await expect(help).toBeGone();
    await page.getByLabel('Message', { exact: true }).fill('');

    await page.keyboard.press('Control+K');
    expect(await focused(page)).toBe('input:Search messages and titles');

    await page.keyboard.press('Control+Shift+S');
    await expect(sidebar(page)).toBeGone();
    await page.keyboard.press('Control+Shift+S');
    await expect(sidebar(page)).toShow();
    expect(await focusIsWithin(page, '#thread-sidebar')).toBe(true);

    await page.keyboard.press('Control+Shift+O');
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    expect(await focused(page)).toMatch(/^textarea:/);

    // Escape stops a reply being written.
    await page.goto(`${app.baseUrl}/threads/${threadId}`);
    app.fake.enqueueResponse({ tokens: 80, deltaDelayMs: 100 });
    await send(page, 'A long answer, please');
    await liveReply(page).locator('.markdown, .plain-text').filter({ hasText: /\S/ }).first().waitFor();
    await page.keyboard.press('Escape');
    await waitUntilIdle(page);
    await expect(page.getByRole('article', { name: 'Assistant reply' }).last()).toHaveAttributeValue('data-status', 'cancelled');
  });

  it('reaches the message box from the top of the page in three Tab presses at most', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/threads/${threadId}`);
    await page.getByRole('heading', { name: 'Renamed by menu' }).waitFor();
    await focusPageStart(page);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a:Skip to message box');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^textarea:/);
  });
});
