import type { Page } from 'playwright-core';
import request from 'supertest';
import { registerUser } from '../support/session-client.js';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { PASSWORD, registerInBrowser, signInInBrowser, startWebApp, uniqueEmail } from './support/web-app.js';

/** Whether the page is wider than the window (it then scrolls sideways). */
function overflowsSideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

function adminNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' });
}

describe('the Admin screen', () => {
  let app: TestApp;
  let browser: Browser;
  let adminEmail: string;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    // The first account of an empty installation is its administrator.
    adminEmail = await registerInBrowser(browser.page, app.baseUrl, uniqueEmail('admin'));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Signs the administrator back in (from the sign-in screen). */
  async function asAdmin(page: Page): Promise<void> {
    await page.goto(`${app.baseUrl}/signin`);
    await signInInBrowser(page, adminEmail);
  }

  it('is offered to an administrator, and to nobody else: for a user its address does not exist', async () => {
    const { page } = browser;
    await adminNav(page).click();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Admin');
    await expect(page.getByRole('row').filter({ hasText: adminEmail })).toShow('Administrator');

    await signOut(page);
    await registerInBrowser(page, app.baseUrl, uniqueEmail('plain'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();
    expect(await adminNav(page).count()).toBe(0);
    for (const path of ['/admin', '/admin/audit', '/admin/users/00000000-0000-4000-8000-000000000000']) {
      await page.goto(`${app.baseUrl}${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toShow('Page not found');
    }
    // The Admin screen's code is not even downloaded for a user.
    const scripts: string[] = await page.evaluate("performance.getEntriesByType('resource').map((entry) => entry.name)");
    expect(scripts.filter((name) => name.includes('admin-screen'))).toEqual([]);
    await signOut(page);
    await asAdmin(page);
  });

  it('lists and searches users with their usage this month', async () => {
    const { page } = browser;
    const tag = `findme${Date.now().toString(36)}`;
    await registerUser(app.baseUrl, { email: `${tag}@example.org`, name: 'Findable Person' });
    await registerUser(app.baseUrl, { email: uniqueEmail('other') });
    await page.goto(`${app.baseUrl}/admin`);
    await expect(page.getByTestId('users-count')).toShow(/of \d+ users/);
    expect(await page.getByTestId('user-row').count()).toBeGreaterThanOrEqual(3);
    await expect(page.getByRole('columnheader', { name: 'Tokens this month' })).toShow();

    await page.getByLabel('Search users').fill(tag);
    await expect(page.getByTestId('users-count')).toShow('1–1 of 1 user');
    await expect(page.getByTestId('user-row')).toShow('Findable Person');
    await page.getByLabel('Search users').fill('nobody-has-this-address');
    await expect(page.getByTestId('users-count')).toShow('No user matches');
    expect(await page.getByTestId('user-row').count()).toBe(0);
  });

  it('disables an account after a confirmation: its sign-in is then refused, until it is enabled', async () => {
    const { page } = browser;
    const user = await registerUser(app.baseUrl, { email: uniqueEmail('disabled') });
    await page.goto(`${app.baseUrl}/admin`);
    await page.getByLabel('Search users').fill(user.email);
    await page.getByRole('link', { name: user.email }).click();
    await expect(page.getByTestId('user-status')).toShow('Active');

    await page.getByRole('button', { name: 'Disable account' }).click();
    const dialog = page.getByRole('dialog', { name: `Disable ${user.email}?` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('user-status')).toShow('Active');
    await page.getByRole('button', { name: 'Disable account' }).click();
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByTestId('user-status')).toShow('Disabled');
    await expect(page.getByRole('status').filter({ hasText: 'signed out everywhere' })).toShow();
    // The session the user had is over.
    expect((await request(app.baseUrl).get('/api/user').set('Cookie', user.cookie)).status).toBe(401);

    await signOut(page);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toShow('This account is disabled.');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    await asAdmin(page);
    await page.goto(`${app.baseUrl}/admin/users/${user.userId}`);
    await page.getByRole('button', { name: 'Enable account' }).click();
    await page.getByRole('dialog', { name: `Enable ${user.email}?` }).getByRole('button', { name: 'Enable' }).click();
    await expect(page.getByTestId('user-status')).toShow('Active');
    expect((await request(app.baseUrl).post('/api/login').send({ email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it('says why the last administrator cannot be demoted, and keeps the role', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/admin`);
    await page.getByRole('link', { name: adminEmail }).click();
    await page.getByLabel('Role').selectOption('user');
    await page.getByRole('button', { name: 'Change role' }).click();
    const dialog = page.getByRole('dialog', { name: `Make ${adminEmail} a user?` });
    await expect(dialog).toShow('You will lose access to Admin');
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await expect(page.getByRole('alert')).toShow('The last administrator cannot be demoted.');
    await expect(page.getByRole('main').locator('dl')).toShow('Administrator');
    await expect(adminNav(page)).toShow();
  });

  it('creates an invite whose link opens the register screen with it, and signs up with it while sign-up is by invite', async () => {
    const { page, context } = browser;
    await page.goto(`${app.baseUrl}/admin/signup`);
    await page.getByRole('radio', { name: /By invite/ }).check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Sign-up policy saved.' })).toShow();

    await page.getByLabel('Sign-ups allowed').fill('2');
    await page.getByLabel('Valid for').selectOption('72');
    await page.getByRole('button', { name: 'Create invite' }).click();
    const linkField = page.getByLabel('Invite link', { exact: true });
    await expect(page.getByRole('main')).toShow('the link is shown only once');
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${app.baseUrl}/register\\?invite=.+`));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Link copied.' })).toShow();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(link);
    await expect(page.getByTestId('invite-row').first()).toShow('0 of 2');
    await screenshot(page, 'admin-invite-created');

    // Without the invite, sign-up is refused with advice.
    await signOut(page);
    await page.goto(`${app.baseUrl}/register`);
    await page.getByLabel('Email').fill(uniqueEmail('uninvited'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert')).toShow('Signing up here needs a valid invite link.');

    await page.goto(link);
    await expect(page.getByTestId('invite-notice')).toShow('You were invited');
    const invited = uniqueEmail('invited');
    await page.getByLabel('Email').fill(invited);
    await page.getByLabel('Password').fill(PASSWORD);
    const sent = page.waitForRequest((request) => request.url().endsWith('/api/register'));
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(JSON.parse((await sent).postData() ?? '{}').inviteToken).toBe(new URL(link).searchParams.get('invite'));
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).search).toBe('');

    await signOut(page);
    await asAdmin(page);
    await page.goto(`${app.baseUrl}/admin/signup`);
    await expect(page.getByTestId('invite-row').first()).toShow('1 of 2');
    await page.getByTestId('invite-row').first().getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke this invite?' }).getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByTestId('invite-row').first()).toShow('Revoked');
    await page.getByRole('radio', { name: /Open/ }).check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Sign-up policy saved.' })).toShow();
  });

  it('filters the audit log by action and by actor', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/admin/audit`);
    await expect(page.getByTestId('audit-row').first()).toShow();
    await page.getByLabel('Action').selectOption('admin.user_disabled');
    await expect(page.getByRole('status').filter({ hasText: '1 entry shown' })).toShow();
    expect(await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))).toEqual([
      'admin.user_disabled',
    ]);
    await expect(page.getByTestId('audit-row')).toShow(adminEmail);

    await page.getByLabel('Action').selectOption('');
    await page.getByTestId('audit-row').first().getByRole('button', { name: adminEmail }).click();
    await expect(page.getByRole('main')).toShow(`Actor: ${adminEmail}`);
    await expect(page.getByTestId('audit-row').first()).toShow();
    const actors = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.querySelector('td[data-label="By"]')?.textContent));
    expect(new Set(actors)).toEqual(new Set([adminEmail]));
    // A day with no entries.
    await page.getByLabel('To', { exact: true }).fill('2001-01-01');
    await expect(page.getByRole('status').filter({ hasText: 'No entries match.' })).toShow();
  });

  it('fits a phone screen without scrolling sideways, rows shown as cards', async () => {
    const { page } = browser;
    const user = await registerUser(app.baseUrl, { email: uniqueEmail('a-rather-long-address-for-a-phone-screen') });
    const screens = ['/admin', `/admin/users/${user.userId}`, '/admin/signup', '/admin/audit'];
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      for (const path of screens) {
        await page.goto(`${app.baseUrl}${path}`);
        await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
        await page.locator('table, dl, form').first().waitFor();
        const name = path.split('/').filter(Boolean).map((part) => (part.length > 20 ? 'user' : part)).join('-');
        await screenshot(page, `admin-${name}-${width}`);
        const { scrollWidth, innerWidth } = await overflowsSideways(page);
        expect({ path, width, scrollWidth }).toEqual({ path, width, scrollWidth: Math.min(scrollWidth, innerWidth) });
      }
    }
    // On a phone, the table's header row is out of sight and every cell names its column.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${app.baseUrl}/admin`);
    await page.getByTestId('user-row').first().waitFor();
    await screenshot(page, 'admin-admin-390-dark');
    const cell = page.getByTestId('user-row').first().locator('td[data-label="Role"]');
    expect(await cell.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element, '::before').content)).toBe('"Role"');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
