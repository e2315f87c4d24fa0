import type { Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { replies, send, waitUntilIdle } from './support/chat-page.js';
import { createAssistantInBrowser, registerInBrowser, saveApiKeyInBrowser, startWebApp, uniqueEmail } from './support/web-app.js';

function sideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
}

describe('budgets in the web client', () => {
  let app: TestApp;
  let browser: Browser;
  let adminId: string;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    await registerInBrowser(browser.page, app.baseUrl, uniqueEmail('admin'));
    adminId = ((await (await browser.page.request.get(`${app.baseUrl}/api/user`)).json()) as { id: string }).id;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sets the installation’s budgets and the shared key’s policy, and a user’s own limits', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/admin/budgets`);
    await page.getByLabel('Tokens per period', { exact: true }).waitFor();
    await page.getByLabel('Period', { exact: true }).selectOption('month');
    await page.getByLabel('Warn at (percent)').fill('1');
    await page.getByLabel('Tokens per period', { exact: true }).fill('2500');
    await page.getByLabel('US dollars per period', { exact: true }).fill('');
    await page.getByLabel('Models allowed').fill('gpt-4o-mini');
    await page.getByRole('checkbox', { name: 'File search' }).check();
    await page.getByLabel('Longest reply (output tokens)').fill('512');
    await page.getByRole('button', { name: 'Save budgets' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Budgets saved.' })).toShow();
    const saved = await (await page.request.get(`${app.baseUrl}/api/admin/budgets`)).json();
    expect(saved).toMatchObject({
      period: 'month',
      softPercent: 1,
      default: { tokens: 2_500, usd: null },
      sharedKey: { models: ['gpt-4o-mini'], tools: ['file_search'], maxOutputTokens: 512 },
    });
    // A refused value is explained.
    await page.getByLabel('Time zone').fill('Nowhere/Special');
    await page.getByRole('button', { name: 'Save budgets' }).click();
    await expect(page.getByRole('alert')).toShow('timeZone must be an IANA time zone');
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('button', { name: 'Save budgets' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Budgets saved.' })).toShow();
    await screenshot(page, 'admin-budgets-1280');

    await page.goto(`${app.baseUrl}/admin/users/${adminId}`);
    await expect(page.getByTestId('user-budget-state')).toShow('The installation’s limits: 2,500 tokens');
    await page.getByLabel('Own limit: tokens').fill('5000');
    await page.getByRole('button', { name: 'Save own limits' }).click();
    await expect(page.getByTestId('user-budget-state')).toShow('Own limits: 5,000 tokens');
    await page.getByRole('button', { name: 'Remove own limits' }).click();
    await page.getByRole('dialog', { name: 'Remove this user’s own limits?' }).getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('user-budget-state')).toShow('The installation’s limits: 2,500 tokens');

    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/admin/budgets', `/admin/users/${adminId}`]) {
      await page.goto(`${app.baseUrl}${path}`);
      await page.locator('form').first().waitFor();
      await screenshot(page, `admin-budgets-${path.includes('users') ? 'user' : 'panel'}-390`);
      const { scrollWidth, innerWidth } = await sideways(page);
      expect({ path, scrollWidth }).toEqual({ path, scrollWidth: Math.min(scrollWidth, innerWidth) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('warns in the chat past the soft limit, then says when a used-up budget renews, and shows what is left', async () => {
    const { page } = browser;
    await saveApiKeyInBrowser(page, app.baseUrl);
    await createAssistantInBrowser(page, app.baseUrl, 'Budgeted');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat' }).click();
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    await page.getByRole('combobox', { name: 'Assistant' }).getByRole('option', { name: 'Budgeted' }).waitFor({ state: 'attached' });

    // Nothing is spent before the first turn: no warning yet.
    app.fake.enqueueResponse({ tokens: 200, deltaDelayMs: 0 });
    await send(page, 'A first, long question');
    await waitUntilIdle(page);
    await replies(page).first().waitFor();
    expect(await page.getByTestId('budget-warning').count()).toBe(0);
    // The first turn spent more than 1% of the limit: the next one goes on, with a warning.
    app.fake.enqueueResponse({ text: 'An answer with a warning.' });
    await send(page, 'A second question');
    await waitUntilIdle(page);
    await replies(page).last().getByText('An answer with a warning.').waitFor();
    await expect(page.getByTestId('budget-warning')).toShow(/% of your budget is used; it renews /);
    await screenshot(page, 'admin-budgets-chat-warning');
    const thread = page.url();

    // The limit lowered below what is spent: the next turn is refused, saying when the budget renews.
    await page.goto(`${app.baseUrl}/admin/budgets`);
    await page.getByLabel('Tokens per period', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Save budgets' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Budgets saved.' })).toShow();
    await page.goto(thread);
    await replies(page).last().getByText('An answer with a warning.').waitFor();

    const refused = page.waitForResponse((response) => response.url().endsWith('/api/chat') && response.request().method() === 'POST');
    await send(page, 'One question too many');
    expect((await refused).status()).toBe(402);
    await expect(page.getByRole('alert')).toShow('Your budget for this period is used up. It renews ');
    await screenshot(page, 'admin-budgets-chat-refused');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await expect(page.getByTestId('budget-summary')).toShow('Budget this month');
    await expect(page.getByTestId('budget-tokens-left')).toShow('0 left');
    await expect(page.getByTestId('budget-summary')).toShow('Paid by your own OpenAI key');
    await screenshot(page, 'admin-budgets-usage');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByTestId('budget-summary')).toShow('0 left');
  });
});
