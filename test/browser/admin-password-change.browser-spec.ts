import request from 'supertest';
import { registerUser } from '../support/session-client.js';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { PASSWORD, registerInBrowser, signInInBrowser, startWebApp, uniqueEmail } from './support/web-app.js';

describe('a password change an administrator requires', () => {
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

  it('is asked for after a confirmation, and the user sees only the way to change it until it is changed', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl, uniqueEmail('admin'));
    const user = await registerUser(app.baseUrl, { email: uniqueEmail('renew') });
    await page.goto(`${app.baseUrl}/admin/users/${user.userId}`);
    await page.getByRole('button', { name: 'Require password change' }).click();
    await page.getByRole('dialog', { name: `Require a new password from ${user.email}?` }).getByRole('button', { name: 'Require change' }).click();
    await expect(page.getByTestId('user-status')).toShow('Must change password');
    expect(await page.getByRole('button', { name: 'Require password change' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInInBrowser(page, user.email);
    await expect(page.getByTestId('password-change-banner')).toShow('An administrator asked you to choose a new password.');
    await expect(page.getByRole('heading', { level: 1 })).toShow('Choose a new password');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    // Every address shows the same until the password is changed; the server refuses the rest.
    await page.goto(`${app.baseUrl}/usage`);
    await expect(page.getByTestId('password-change-banner')).toShow();
    expect((await page.request.get(`${app.baseUrl}/api/settings`)).status()).toBe(403);
    await screenshot(page, 'admin-password-change-required');

    const newPassword = 'a fresh passphrase of mine';
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Usage');
    await expect(page.getByRole('navigation', { name: 'Main' })).toShow('Settings');
    expect(await page.getByTestId('password-change-banner').count()).toBe(0);
    expect((await page.request.get(`${app.baseUrl}/api/settings`)).status()).toBe(200);
    expect((await request(app.baseUrl).post('/api/login').send({ email: user.email, password: newPassword })).status).toBe(200);
  });
});
