import type { Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import { holdRequests, launchBrowser, type Browser } from './support/browser.js';
import { replies, send, waitUntilIdle } from './support/chat-page.js';
import { registerInBrowser, saveApiKeyInBrowser, startWebApp, uniqueEmail } from './support/web-app.js';

/** How many times `text` appears in the page's visible text. */
async function occurrences(page: Page, text: string): Promise<number> {
  const body = await page.locator('body').innerText();
  return body.split(text).length - 1;
}

describe('errors in plain words, notices that close, loading placeholders and a readable usage chart', () => {
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

  it('says once, in plain words, what is wrong with each field of the registration', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/register`);
    await page.getByLabel('Email').fill('not-an-address');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert')).toShow('Some fields need a change');
    await expect(page.locator('.field-error').first()).toShow();
    expect(await occurrences(page, 'Enter an email address like name@example.org.')).toBe(1);
    expect(await occurrences(page, 'Use at least 8 characters for the password.')).toBe(1);
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/must be|must be longer/);
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
  });

  it('explains a short key in plain words and, on Settings, gives no link to Settings', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl, uniqueEmail('polish'));
    await page.goto(`${app.baseUrl}/settings`);
    await page.getByLabel('API key', { exact: true }).fill('sk-1');
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(page.locator('.field-error')).toShow('That key is too short');
    expect(await occurrences(page, 'That key is too short')).toBe(1);
    expect(await page.locator('body').innerText()).not.toContain('looks too short');

    await page.getByLabel('API key', { exact: true }).fill('sk-invalid-0123456789abcdefghij');
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(page.getByRole('alert')).toShow('OpenAI rejected your API key');
    expect(await page.getByRole('alert').getByRole('link', { name: 'Open settings' }).count()).toBe(0);
  });

  it('closes a confirmation with its button, or by itself after a few seconds', async () => {
    const { page } = browser;
    await saveApiKeyInBrowser(page, app.baseUrl);
    const notice = page.locator('#api-key').getByRole('status').locator('.notice-ok');
    await expect(notice).toShow('API key saved');
    await notice.getByRole('button', { name: 'Dismiss this notice' }).click();
    await expect(notice).toBeGone();

    await page.locator('#default-assistant').getByRole('button', { name: 'Save default' }).click();
    const saved = page.locator('#default-assistant .notice-ok');
    await expect(saved).toShow();
    await expect(saved).toBeGone({ timeout: 9_000 });
  });

  it('points the advice of a chat error to the key on the settings screen', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    app.fake.enqueueResponse({ deltas: ['First answer.'] });
    await send(page, 'A first question');
    await page.waitForURL(/\/threads\//);
    await waitUntilIdle(page);
    await page.request.delete(`${app.baseUrl}/api/settings/apikey`);
    await page.reload();
    await replies(page).last().getByRole('button', { name: 'Regenerate' }).click();
    const link = page.getByRole('alert').getByRole('link', { name: 'Open settings' });
    await expect(link).toShow();
    expect(await link.getAttribute('href')).toBe('/settings#api-key');
    await link.click();
    await page.waitForURL(/\/settings#api-key$/);
    await page.getByRole('heading', { name: 'OpenAI API key' }).waitFor();
    await saveApiKeyInBrowser(page, app.baseUrl);
  });

  it('shows placeholders, not a blank screen, while a list loads', async () => {
    const { page } = browser;
    const release = await holdRequests(page, '**/api/assistants');
    await page.goto(`${app.baseUrl}/assistants`);
    await expect(page.getByRole('main').getByTestId('skeleton')).toShow();
    await release();
    await expect(page.getByRole('main').getByTestId('skeleton')).toBeGone();
  });

  it('draws the usage chart with distinct round ticks, and fewer slanted labels on a phone', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/usage`);
    const chart = page.locator('svg.chart');
    await chart.waitFor();
    const ticks = await chart.locator('.chart-grid text').allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks[0]).toBe('0');
    expect(new Set(ticks).size).toBe(ticks.length);

    await page.setViewportSize({ width: 390, height: 844 });
    const labels = chart.locator('.chart-label');
    await expect(labels.first()).toHaveAttributeValue('text-anchor', 'end');
    expect(await labels.count()).toBeLessThanOrEqual(6);
    // Text keeps a readable size when the chart shrinks to the phone's width.
    const height = await labels.first().evaluate((label) => label.getBoundingClientRect().height);
    expect(height).toBeGreaterThanOrEqual(9);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows an empty state, not a meaningless axis, when nothing was used', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl, uniqueEmail('empty-usage'));
    await page.goto(`${app.baseUrl}/usage`);
    await expect(page.getByTestId('usage-chart-empty')).toShow('Nothing used in this period yet');
    expect(await page.locator('svg.chart').count()).toBe(0);
  });
});
