import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { PASSWORD, TEST_API_KEY, registerInBrowser, signInInBrowser, startWebApp, uniqueEmail } from './support/web-app.js';

describe('accounts and settings in the browser', () => {
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

  it('shows registration errors next to their fields, then creates the account', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/register`);
    await page.getByLabel('Email').fill(uniqueEmail());
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 8 characters for the password.').waitFor();
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '02-register-errors');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
  });

  it('says when the email is taken and when the password is wrong', async () => {
    const { page } = browser;
    const email = await registerInBrowser(page, app.baseUrl);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Sign in');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toShow('The email or password is not right');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect((await page.request.get(`${app.baseUrl}/api/user`)).status()).toBe(401);

    await page.getByRole('link', { name: 'Create an account' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Create your account');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert')).toShow('An account with this email already exists');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect((await page.request.get(`${app.baseUrl}/api/user`)).status()).toBe(401);
  });

  it('saves the API key showing only its hint, refuses a bad key with advice, and deletes it', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByTestId('api-key-status').getByText('No key saved yet.').waitFor();

    await page.getByLabel('API key', { exact: true }).fill('sk-invalid-0123456789abcdefghij');
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.getByRole('alert').getByText('OpenAI rejected your API key').waitFor();

    await page.getByLabel('API key', { exact: true }).fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.getByText('API key saved').waitFor();
    await page.getByTestId('api-key-status').getByText(TEST_API_KEY.slice(-4)).waitFor();
    expect(await page.content()).not.toContain(TEST_API_KEY);
    expect(await page.getByLabel('Replace the key').inputValue()).toBe('');
    await screenshot(page, '03-settings');

    await page.getByRole('button', { name: 'Delete key' }).click();
    await page.getByRole('dialog', { name: 'Delete your API key?' }).getByRole('button', { name: 'Delete key' }).click();
    await page.getByTestId('api-key-status').getByText('No key saved yet.').waitFor();
  });

  it('changes the password: the old one stops working, the new one signs in', async () => {
    const { page } = browser;
    const email = await registerInBrowser(page, app.baseUrl);
    await page.goto(`${app.baseUrl}/settings`);
    const newPassword = 'a brand new passphrase';
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill('something else');
    const changed = page.waitForResponse((response) => response.url().endsWith('/api/user/password'));
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('main')).toShow('The two new passwords differ.');
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    // The mismatch was caught on the page: the one request sent is the good one.
    expect((await changed).status()).toBe(200);
    await expect(page.getByRole('main')).toShow('Password changed');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toShow('The email or password is not right');
    expect((await page.request.get(`${app.baseUrl}/api/user`)).status()).toBe(401);
    await signInInBrowser(page, email, newPassword);
    const user = await page.request.get(`${app.baseUrl}/api/user`);
    expect(user.status()).toBe(200);
    expect((await user.json()).email).toBe(email);
  });

  it('deletes the account only after the password and a typed confirmation', async () => {
    const { page } = browser;
    const email = await registerInBrowser(page, app.baseUrl);
    await page.goto(`${app.baseUrl}/settings`);
    await page.getByRole('button', { name: 'Delete account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByLabel('Password').fill(PASSWORD);
    const confirm = dialog.getByRole('button', { name: 'Delete my account' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type "delete" to confirm').fill('delete');
    await screenshot(page, '04-delete-account');
    await confirm.click();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Create your account');

    await page.goto(`${app.baseUrl}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toShow('The email or password is not right');
  });
});

describe('sign-in rate limiting in the browser', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp({ env: { RATE_LIMIT_LOGIN_FAILURES: '2' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('tells how long to wait (from Retry-After) and holds the button until then', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/signin`);
    await page.getByLabel('Email').fill('nobody@example.org');
    await page.getByLabel('Password').fill('wrong password');
    const signIn = page.getByRole('button', { name: /^Sign in/ });
    for (let attempt = 0; attempt < 2; attempt++) {
      await signIn.click();
      await page.getByRole('alert').getByText('The email or password is not right').waitFor();
    }
    await signIn.click();
    const alert = page.getByRole('alert');
    await alert.getByText('Too many failed sign-ins').waitFor();
    await alert.getByText(/You can try again in \d+ minutes?/).waitFor();
    expect(await signIn.isDisabled()).toBe(true);
    expect(await signIn.innerText()).toMatch(/wait \d+ minutes?/);
    await screenshot(page, '05-sign-in-rate-limited');
  });
});

describe('registration rate limiting in the browser', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp({ env: { RATE_LIMIT_REGISTRATIONS: '2', RATE_LIMIT_REGISTRATION_WINDOW_SECONDS: '600' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('says the address has made too many accounts, tells how long to wait and keeps what was typed', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await registerInBrowser(page, app.baseUrl);

    await page.context().clearCookies();
    await page.goto(`${app.baseUrl}/register`);
    const email = uniqueEmail();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    const createAccount = page.getByRole('button', { name: /^Create account/ });
    const refused = page.waitForResponse((response) => response.url().endsWith('/api/register') && response.request().method() === 'POST');
    await createAccount.click();
    expect((await refused).status()).toBe(429);
    const alert = page.getByRole('alert');
    await alert.getByText('Too many accounts created from this address').waitFor();
    await alert.getByText(/You can try again in 10 minutes/).waitFor();
    expect(await createAccount.isDisabled()).toBe(true);
    expect(await createAccount.innerText()).toMatch(/wait 10 minutes/);
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await screenshot(page, '18-register-rate-limited');
  });
});
