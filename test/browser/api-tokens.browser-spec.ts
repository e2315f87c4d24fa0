import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { registerInBrowser, startWebApp } from './support/web-app.js';

describe('API tokens in Settings', () => {
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

  const v1Status = async (token: string) =>
    (await browser.page.request.get(`${app.baseUrl}/v1/assistants`, { headers: { Authorization: `Bearer ${token}` } })).status();

  it('creates a token with the chosen scopes and expiry, shows it once with a copy button, lists it, and revokes it after a confirmation', async () => {
    const { page, context } = browser;
    await registerInBrowser(page, app.baseUrl);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'API tokens' });
    await section.getByText('No tokens yet.').waitFor();

    await section.getByLabel('Name').fill('backup script');
    await section.getByRole('checkbox', { name: /Write/ }).check();
    await section.getByLabel('Expires').selectOption('30');
    await section.getByRole('button', { name: 'Create token' }).click();
    await expect(section.getByRole('status').filter({ hasText: 'Token "backup script" created.' })).toShow();
    const shown = section.getByTestId('created-token');
    await expect(shown).toShow('it is shown only this once');
    const token = await section.getByLabel('Your new token').inputValue();
    expect(token).toMatch(/^ap_/);
    expect(await v1Status(token)).toBe(200);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    await section.getByRole('button', { name: 'Copy token' }).click();
    await expect(section.getByRole('status').filter({ hasText: 'Token copied.' })).toShow();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);

    const row = section.getByTestId('token-row');
    await expect(row).toShow('backup script');
    const rowText = await row.innerText();
    expect(rowText).toContain('read, write');
    expect(rowText).not.toContain(token);
    expect(rowText).toContain(token.slice(0, 6));
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'api-tokens-created');
    await page.setViewportSize({ width: 390, height: 844 });
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'api-tokens-created-narrow');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'api-tokens-created-narrow-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Once dismissed, or after a reload, the token itself is nowhere on the page.
    await section.getByRole('button', { name: 'I have copied it' }).click();
    expect(await shown.count()).toBe(0);
    await page.reload();
    await expect(section.getByTestId('token-row')).toShow('backup script');
    expect(await page.content()).not.toContain(token);
    await section.getByRole('table', { name: 'API tokens' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'api-tokens-list');
    await page.setViewportSize({ width: 390, height: 844 });
    await section.getByRole('table', { name: 'API tokens' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'api-tokens-list-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Revoking asks first; cancelling keeps the token working.
    await section.getByRole('button', { name: 'Revoke backup script' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this token?' });
    await expect(confirm).toShow('Programs using "backup script" stop working at once.');
    await screenshot(page, 'api-tokens-revoke');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await v1Status(token)).toBe(200);

    await section.getByRole('button', { name: 'Revoke backup script' }).click();
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect(section.getByRole('status').filter({ hasText: 'Token "backup script" revoked.' })).toShow();
    await section.getByText('No tokens yet.').waitFor();
    expect(await v1Status(token)).toBe(401);
  });

  it('asks for a name and at least one scope before creating a token', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'API tokens' });
    await section.getByLabel('Name').fill('nothing');
    await section.getByRole('checkbox', { name: /Read/ }).uncheck();
    await expect(section).toShow('Tick at least one.');
    expect(await section.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(true);
    await section.getByRole('checkbox', { name: /Chat/ }).check();
    await section.getByLabel('Name').fill('   ');
    expect(await section.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(true);
  });
});
