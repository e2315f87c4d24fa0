import type { Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, type Browser } from './support/browser.js';
import { createAssistantInBrowser, registerInBrowser, startWebApp } from './support/web-app.js';

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

function focusedElement(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    return element ? element.tagName.toLowerCase() + ':' + (element.textContent || '').trim().slice(0, 60) : '';
  })()`);
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
    await registerInBrowser(page, app.baseUrl);
    expect(await unlabelledControls(page)).toEqual([]);
    await createAssistantInBrowser(page, app.baseUrl, 'Labelled');
    await page.getByRole('button', { name: 'Add metadata' }).click();
    expect(await unlabelledControls(page)).toEqual([]);
    for (const screen of ['/settings', '/usage', '/assistants', '/']) {
      await page.goto(`${app.baseUrl}${screen}`);
      await page.locator('h1').first().waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
    }
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
    expect(await focusedElement(page)).toBe('h1:Settings');
  });

  it('opens dialogs with focus on the safe choice, closes them with Escape and returns focus', async () => {
    const { page } = browser;
    const opener = page.getByRole('button', { name: 'Delete account…' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.waitFor();
    expect(await focusedElement(page)).toBe('input:');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedElement(page)).toBe('button:Delete account…');
  });
});
