import type { Page } from 'playwright-core';
import { minimalPng } from '../support/sample-files.js';
import type { TestApp } from '../support/test-app.js';
import { holdRequests, launchBrowser, type Browser } from './support/browser.js';
import { createAssistantInBrowser, registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

/** Form controls on the page that have no accessible name (label, aria-label or aria-labelledby). */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(`Array.from(document.querySelectorAll('input, select, textarea, button'))
    .filter((control) => control.type !== 'hidden')
    .filter((control) => {
      const labelled = control.labels && control.labels.length > 0 && control.labels[0].textContent.trim() !== '';
      const named = (control.getAttribute('aria-label') || '').trim() !== '' || control.hasAttribute('aria-labelledby');
      const text = control.tagName === 'BUTTON' && control.textContent.trim() !== '';
      return !labelled && !named && !text;
    })
    .map((control) => control.outerHTML.slice(0, 120))`);
}

/** Images with no text alternative (a missing or blank alt). */
function imagesWithoutText(page: Page): Promise<string[]> {
  return page.evaluate(`Array.from(document.querySelectorAll('img'))
    .filter((image) => (image.getAttribute('alt') || '').trim() === '')
    .map((image) => image.outerHTML.slice(0, 120))`);
}

function focusedElement(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    return element ? element.tagName.toLowerCase() + ':' + (element.textContent || '').trim().slice(0, 60) : '';
  })()`);
}

/** What has focus once it settles on `expected`, or after a short wait (a new screen moves focus when it has rendered). */
async function settledFocus(page: Page, expected: string, timeoutMs = 2_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let focused = await focusedElement(page);
  while (focused !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    focused = await focusedElement(page);
  }
  return focused;
}

/** Presses `key` until `target` (as focusedElement names it) has focus; fails when it is never reached. */
async function pressUntilFocused(page: Page, target: string, key = 'Tab', limit = 80): Promise<void> {
  const visited: string[] = [];
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press(key);
    const focused = await focusedElement(page);
    if (focused === target) return;
    visited.push(focused);
  }
  throw new Error(`${key} never reached ${target}; focus went through ${visited.join(', ')}`);
}

function messageBox(page: Page) {
  return page.getByLabel('Message', { exact: true });
}

function replies(page: Page) {
  return page.getByRole('article', { name: 'Assistant reply' });
}

/** Waits for the reply being written to end: a streamed reply takes a few seconds. */
async function waitUntilIdle(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 15_000 });
  await page.locator('article[aria-busy="true"]').waitFor({ state: 'detached' });
}

describe('the web client can be used with a keyboard and a screen reader', () => {
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

  it('labels every control on every screen', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/signin`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    // With the errors shown next to their fields.
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.field-error').first().waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await registerInBrowser(page, app.baseUrl);
    expect(await unlabelledControls(page)).toEqual([]);
    await createAssistantInBrowser(page, app.baseUrl, 'Labelled');
    await page.getByRole('button', { name: 'Add metadata' }).click();
    expect(await unlabelledControls(page)).toEqual([]);
    // The first account is the administrator: the Admin screens too, with a user's page and an invite link shown.
    const self = (await (await page.request.get(`${app.baseUrl}/api/user`)).json()) as { id: string };
    for (const screen of ['/admin', `/admin/users/${self.id}`, '/admin/audit', '/admin/budgets', '/admin/signup']) {
      await page.goto(`${app.baseUrl}${screen}`);
      await page.locator('table, dl, form').first().waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
    }
    await page.getByRole('button', { name: 'Create invite' }).click();
    await page.getByLabel('Invite link', { exact: true }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    for (const screen of ['/settings', '/usage', '/assistants', '/']) {
      await page.goto(`${app.baseUrl}${screen}`);
      await page.locator('h1').first().waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
    }
  });

  it('reaches the chat’s message box with one Tab and Enter on a fresh page: its skip link comes first', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('a:Skip to message box');
    await page.keyboard.press('Enter');
    expect(await focusedElement(page)).toBe('textarea:');
  });

  it('offers a skip link and moves focus to each new screen’s heading', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/usage`);
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    await page.locator('body').press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await focusedElement(page)).toBe('a:Skip to content');
    await skip.press('Enter');
    await page.waitForURL(/#main$/);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).press('Enter');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await settledFocus(page, 'h1:Settings')).toBe('h1:Settings');
  });

  it('opens dialogs with focus on the safe choice, closes them with Escape and returns focus', async () => {
    const { page } = browser;
    const opener = page.getByRole('button', { name: 'Delete account…' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.waitFor();
    expect(await settledFocus(page, 'input:')).toBe('input:');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await settledFocus(page, 'button:Delete account…')).toBe('button:Delete account…');
  });

  it('labels every control of a conversation with messages: rename, Regenerate, Stop, images', async () => {
    const { page } = browser;
    await saveApiKeyInBrowser(page, app.baseUrl);
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    // Sending waits until the screen knows the assistant to talk to.
    await page.getByRole('combobox', { name: 'Assistant' }).getByRole('option', { name: 'Labelled' }).waitFor({ state: 'attached' });
    app.fake.enqueueResponse({ text: 'A first answer.' });
    await messageBox(page).fill('A first question');
    await messageBox(page).press('Enter');
    await waitUntilIdle(page);
    await replies(page).last().getByText('A first answer.').waitFor();
    await page.waitForURL(/\/threads\/[0-9a-f-]{36}$/);
    await replies(page).last().getByRole('button', { name: 'Regenerate' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menu', { name: 'More actions' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByLabel('Conversation title', { exact: true }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Conversation title', { exact: true }).press('Escape');
    await page.getByRole('button', { name: 'More actions' }).waitFor();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Share…' }).click();
    await page.getByRole('button', { name: 'Create link' }).click();
    await page.getByLabel('Share link', { exact: true }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByLabel('Share link', { exact: true }).waitFor({ state: 'detached' });
    // `?` from a control outside the message box (pressing on it focuses it first, whatever took the focus back).
    await page.getByRole('button', { name: 'More actions' }).press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByTestId('image-input').setInputFiles([{ name: 'pixel.png', mimeType: 'image/png', buffer: minimalPng() }]);
    const previews = page.getByRole('list', { name: 'Files to send' });
    await previews.locator('li[data-state="ready"]').waitFor();
    await previews.getByRole('button', { name: 'Remove pixel.png' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await imagesWithoutText(page)).toEqual([]);

    app.fake.enqueueResponse({ text: 'A single pixel.' });
    await messageBox(page).fill('What is this?');
    await messageBox(page).press('Enter');
    await waitUntilIdle(page);
    await page.getByRole('article', { name: 'Your message' }).last().getByRole('img', { name: 'pixel.png' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await imagesWithoutText(page)).toEqual([]);

    // While a reply streams in, with Stop in place of Send.
    app.fake.enqueueResponse({ tokens: 30, deltaDelayMs: 100 });
    await messageBox(page).fill('A longer answer, please');
    await messageBox(page).press('Enter');
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    await page.locator('article[aria-busy="true"]').waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await waitUntilIdle(page);
  });

  it('reaches Stop and Regenerate with the keyboard and works them with Enter', async () => {
    const { page } = browser;
    app.fake.enqueueResponse({ tokens: 80, deltaDelayMs: 100 });
    await messageBox(page).fill('Another long answer, please');
    await messageBox(page).press('Enter');
    // Stopped once the reply has begun, so that what was written is kept.
    await page.locator('article[aria-busy="true"]').locator('.markdown, .plain-text').filter({ hasText: /\S/ }).first().waitFor();
    await pressUntilFocused(page, 'button:Stop');
    await page.keyboard.press('Enter');
    await waitUntilIdle(page);
    await replies(page).last().getByText('Stopped').waitFor();
    expect(await replies(page).last().getAttribute('data-status')).toBe('cancelled');

    await messageBox(page).focus();
    await pressUntilFocused(page, 'button:Regenerate', 'Shift+Tab');
    app.fake.enqueueResponse({ text: 'A regenerated answer.' });
    // The stored messages come back late (as from a slow server): the new version alone shows meanwhile.
    const releaseMessages = await holdRequests(page, '**/api/threads/*/messages?*');
    await page.keyboard.press('Enter');
    await replies(page).last().getByText('A regenerated answer.').waitFor();
    await waitUntilIdle(page);
    expect(await page.locator('article[data-status="cancelled"]').count()).toBe(0);
    await releaseMessages();
  });
});
