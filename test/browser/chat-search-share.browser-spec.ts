// Full-text search from the conversation list (to the very message), and share
// links: made and revoked from the "…" menu, read signed out.
import type { TestApp } from '../support/test-app.js';
import { holdRequests, launchBrowser, screenshot, type Browser } from './support/browser.js';
import { sidebar } from './support/chat-page.js';
import { apiInPage, focused, seedThread } from './support/chat-shell.js';
import { createAssistantInBrowser, registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

const HOSTILE = '<img src=x onerror="alert(1)"> volcano <script>alert(2)</script>';

describe('search and share links', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await saveApiKeyInBrowser(page, app.baseUrl);
    await createAssistantInBrowser(page, app.baseUrl, 'Finder');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const searchBox = () => browser.page.getByLabel('Search conversations');
  const results = () => browser.page.getByRole('navigation', { name: 'Search results' });

  it('searches messages and titles, marks the matched words as text, and opens the very message', async () => {
    const { page } = browser;
    // The message to find is far up a long conversation, beyond the first page of messages.
    const filler = Array.from({ length: 70 }, (_, index) => `Ordinary talk number ${index + 1}.`);
    const geology = await seedThread(page, 'Geology notes', ['Tell me about the volcano Etna and its eruptions.', 'Etna erupts often.', ...filler]);
    await seedThread(page, 'Hostile text', [HOSTILE]);
    const archived = await seedThread(page, 'Old volcano trip', ['We hiked up a volcano.']);
    await apiInPage(page, 'PATCH', `/api/threads/${archived}`, { isArchived: true });

    await page.goto(`${app.baseUrl}/`);
    await searchBox().fill('volcano');
    await expect(results()).toShow('2 results');
    const marks = await results().locator('mark').allInnerTexts();
    expect(marks.map((mark) => mark.toLowerCase())).toEqual(['volcano', 'volcano']);
    // The hostile message shows as text: no element, no script ran.
    await expect(results()).toShow('Hostile text');
    expect(await results().locator('img, script').count()).toBe(0);
    expect(browser.dialogs).toEqual([]);
    await screenshot(page, 'search-results');

    await sidebar(page).getByLabel('Include archived').check();
    // Its title and its message both match.
    await expect(results()).toShow('4 results');
    await expect(results()).toShow('Old volcano trip');

    // The conversation's header comes after its messages (as from a slow server): the found message still ends with the focus.
    const releaseHeader = await holdRequests(page, `**/api/threads/${geology}`);
    await results().getByRole('link', { name: /Geology notes/ }).click();
    await page.getByRole('region', { name: 'Messages' }).getByText('Ordinary talk number 70.').waitFor();
    await releaseHeader();
    await page.getByRole('heading', { name: 'Geology notes' }).waitFor();
    const target = page.locator('article[data-highlighted]');
    await expect(target).toShow('Tell me about the volcano Etna');
    expect(await page.evaluate(`document.activeElement?.dataset.highlighted`)).toBe('true');
    const box = (await target.boundingBox())!;
    const messages = (await page.getByRole('region', { name: 'Messages' }).boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(messages.y - 1);
    expect(box.y + Math.min(box.height, 40)).toBeLessThanOrEqual(messages.y + messages.height);
    // Only the messages scrolled, not the page.
    expect(await page.evaluate('document.scrollingElement.scrollTop')).toBe(0);
    await screenshot(page, 'search-opened-message');

    // A title match opens the thread.
    await searchBox().fill('geology');
    await results().getByRole('link', { name: /Geology notes/ }).waitFor();
    expect(await results().getByText('Title').count()).toBeGreaterThan(0);
    await searchBox().fill('nothingmatchesthis');
    await expect(results()).toShow('Nothing matches');
  });

  it('moves through the results with the arrow keys, Home and End, as one tab stop', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    await searchBox().fill('volcano');
    await expect(results()).toShow('results');
    const links = results().getByRole('link');
    const count = await links.count();
    expect(count).toBeGreaterThanOrEqual(2);
    /** The position of the focused result among the results (-1: none has focus). */
    const focusedResult = () => page.evaluate(`Array.from(document.querySelectorAll('.search-results .thread-list a')).indexOf(document.activeElement)`);
    // One tab stop for the whole list.
    expect(await results().locator('.thread-list a[tabindex="0"]').count()).toBe(1);

    await searchBox().press('ArrowDown');
    expect(await focusedResult()).toBe(0);
    await page.keyboard.press('ArrowDown');
    expect(await focusedResult()).toBe(1);
    await page.keyboard.press('End');
    expect(await focusedResult()).toBe(count - 1);
    await page.keyboard.press('ArrowDown');
    expect(await focusedResult()).toBe(count - 1);
    await page.keyboard.press('Home');
    expect(await focusedResult()).toBe(0);
    await page.keyboard.press('ArrowDown');
    // Up from the first result goes back to the field; Down from there returns to the result holding the tab stop.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toMatch(/^input:/);
    expect(await page.evaluate('document.activeElement.id')).toBe('thread-search');
    await searchBox().press('ArrowDown');
    expect(await focusedResult()).toBe(0);
    // Enter opens the focused result.
    await page.keyboard.press('ArrowDown');
    const title = (await links.nth(1).locator('.thread-title').innerText()).replace(/Archived$/, '').trim();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  });

  it('makes a share link from the menu, copies it, lists it, and revokes it', async () => {
    const { page, context } = browser;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    const shared = await seedThread(page, 'Shared recipe', ['How do I make **bread**?', 'Mix *flour* and water:\n\n- knead\n- bake']);
    await page.goto(`${app.baseUrl}/threads/${shared}`);
    await page.getByRole('heading', { name: 'Shared recipe' }).waitFor();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Share…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this conversation' });
    await expect(dialog).toShow('No link shares this conversation.');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const field = dialog.getByLabel('Share link', { exact: true });
    await field.waitFor();
    const link = await field.inputValue();
    expect(link).toMatch(new RegExp(`^${app.baseUrl}/shared/[A-Za-z0-9_-]+$`));
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await expect(dialog).toShow('Link copied.');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(link);
    await expect(dialog.getByRole('list', { name: 'Links to this conversation' }).getByRole('listitem')).toShow('2 messages');
    await screenshot(page, 'share-dialog');

    // Signed out, in another browser: the conversation as Markdown, read-only.
    const stranger = await launchBrowser();
    const other = stranger.page;
    await other.goto(link);
    await other.getByRole('heading', { name: 'Shared recipe' }).waitFor();
    await expect(other.locator('article').last().locator('li')).toShow('knead');
    await expect(other.locator('article').last().locator('em')).toShow('flour');
    expect(await other.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await other.getByLabel('Message', { exact: true }).count()).toBe(0);
    expect(await other.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex, nofollow');
    expect(await other.locator('meta[name="referrer"]').getAttribute('content')).toBe('no-referrer');
    await screenshot(other, 'shared-page');
    await other.emulateMedia({ colorScheme: 'dark' });
    await screenshot(other, 'shared-page-dark');

    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect(dialog).toShow('Link revoked.');
    await expect(dialog).toShow('No link shares this conversation.');
    await other.reload();
    await expect(other.getByRole('main')).toShow('This link does not work');
    expect(stranger.dialogs).toEqual([]);
    await stranger.close();
  });
});
