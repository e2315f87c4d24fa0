// The chat on a phone (390×844): the conversation list is a drawer, the header
// one row, and the message box shows without scrolling on every chat screen.
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { send, waitUntilIdle } from './support/chat-page.js';
import { expectMessageBoxInView, focusIsWithin, focused, seedThread } from './support/chat-shell.js';
import { createAssistantInBrowser, registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

const PHONE = { width: 390, height: 844 };

describe('the chat on a phone', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await saveApiKeyInBrowser(page, app.baseUrl);
    await createAssistantInBrowser(page, app.baseUrl, 'Pocket');
    await page.setViewportSize(PHONE);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** The header's controls sit on one row: their vertical middles are within a few pixels. */
  async function expectHeaderOneRow(): Promise<void> {
    const { page } = browser;
    const row = page.locator('.thread-header.header-row, .thread-header .header-row');
    const parts = (await page.evaluate(`Array.from(document.querySelector('.thread-header.header-row, .thread-header .header-row').children).map((child) => {
      const rect = child.getBoundingClientRect();
      return { middle: rect.top + rect.height / 2, right: rect.right };
    })`)) as { middle: number; right: number }[];
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      expect(Math.abs(part.middle - parts[0].middle)).toBeLessThan(8);
      expect(part.right).toBeLessThanOrEqual(PHONE.width);
    }
    const height = (await row.boundingBox())!.height;
    expect(height).toBeLessThan(60);
    await expectTopBarOneRow();
  }

  /** The app's top bar is one row: the brand and the menu button side by side, the bar no taller than one control. */
  async function expectTopBarOneRow(): Promise<void> {
    const { page } = browser;
    const bar = (await page.locator('header.top-bar').boundingBox())!;
    expect(bar.height).toBeLessThan(60);
    const brand = (await page.locator('header.top-bar .brand').boundingBox())!;
    const menu = (await page.getByRole('button', { name: 'Menu' }).boundingBox())!;
    expect(Math.abs(brand.y + brand.height / 2 - (menu.y + menu.height / 2))).toBeLessThan(8);
    expect(menu.x + menu.width).toBeLessThanOrEqual(PHONE.width);
  }

  it('shows the message box without scrolling on a new chat, an empty thread and a long thread, with a one-row header', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    await expectMessageBoxInView(page);
    await expectHeaderOneRow();
    await screenshot(page, 'phone-new-chat');

    const empty = await seedThread(page, 'Nothing yet', []);
    await page.goto(`${app.baseUrl}/threads/${empty}`);
    await page.getByRole('heading', { name: 'Nothing yet' }).waitFor();
    await expectMessageBoxInView(page);
    await expectHeaderOneRow();

    const long = await seedThread(
      page,
      'A long talk with a title that does not fit on a phone screen at all',
      Array.from({ length: 40 }, (_, index) => `Message number ${index + 1}. `.repeat(6)),
    );
    await page.goto(`${app.baseUrl}/threads/${long}`);
    await page.getByText('Message number 40.').first().waitFor();
    await expectMessageBoxInView(page);
    await expectHeaderOneRow();
    await screenshot(page, 'phone-long-thread');

    // After a reply streamed in, still.
    app.fake.enqueueResponse({ text: 'A short answer on a small screen.' });
    await send(page, 'One more question');
    await waitUntilIdle(page);
    await page.getByText('A short answer on a small screen.').waitFor();
    await expectMessageBoxInView(page);
  });

  it('opens the conversation list as a drawer: focus moves in, Escape and the overlay close it, focus comes back', async () => {
    const { page } = browser;
    const toggle = page.getByRole('button', { name: 'Conversations' });
    const drawer = page.getByRole('complementary', { name: 'Conversations' });
    await expect(drawer).toBeGone();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.getAttribute('aria-haspopup')).toBeNull();

    await toggle.click();
    await expect(drawer).toShow('A long talk');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await focusIsWithin(page, '#thread-sidebar')).toBe(true);
    expect(await focused(page)).toBe('a:New conversation');
    // Tab goes round the drawer's controls.
    await page.keyboard.press('Shift+Tab');
    expect(await focusIsWithin(page, '#thread-sidebar')).toBe(true);
    expect(await focused(page)).not.toBe('a:New conversation');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a:New conversation');
    // The drawer lies over the chat, inside the window.
    const box = (await drawer.boundingBox())!;
    expect(box.x).toBe(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-drawer');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'phone-drawer-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.keyboard.press('Escape');
    await expect(drawer).toBeGone();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(page)).toBe('button:Conversations');

    await toggle.press('Enter');
    await expect(drawer).toShow();
    await page.getByTestId('drawer-overlay').click({ position: { x: PHONE.width - 20, y: PHONE.height / 2 } });
    await expect(drawer).toBeGone();
    expect(await focused(page)).toBe('button:Conversations');

    // Choosing a conversation closes the drawer and opens it.
    await toggle.click();
    await drawer.getByRole('link', { name: /Nothing yet/ }).click();
    await page.getByRole('heading', { name: 'Nothing yet' }).waitFor();
    await expect(drawer).toBeGone();
    await expectMessageBoxInView(page);
  });

  it('folds the sections and Sign out into a one-row top bar: the menu opens, Escape closes it and focus comes back', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    await expectTopBarOneRow();
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await expect(nav).toBeGone();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await expect(nav).toShow('Settings');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await screenshot(page, 'phone-top-bar-menu');
    await page.keyboard.press('Escape');
    await expect(nav).toBeGone();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(page)).toMatch(/^button:.*Menu$/);

    // Following a section link closes the menu.
    await menu.press('Enter');
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect(nav).toBeGone();
    await expectTopBarOneRow();
  });
});
