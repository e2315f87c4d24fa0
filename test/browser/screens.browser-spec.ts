// Every screen at desktop and phone size and in dark mode: a screenshot of
// each (test-output/screenshots/<screen>-<variant>.png) and an axe-core scan
// that fails on any serious or critical violation.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { registerUser } from '../support/session-client.js';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, SCREENSHOT_DIR, type Browser } from './support/browser.js';
import { replies, send, waitUntilIdle } from './support/chat-page.js';
import { apiInPage } from './support/chat-shell.js';
import { createAssistantInBrowser, registerInBrowser, saveApiKeyInBrowser, signInInBrowser, startWebApp, uniqueEmail } from './support/web-app.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const VARIANTS = [
  { name: 'desktop', width: 1280, height: 800, colorScheme: 'light' },
  { name: 'phone', width: 390, height: 844, colorScheme: 'light' },
  { name: 'dark', width: 1280, height: 800, colorScheme: 'dark' },
] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** The serious and critical axe violations of the page as it is, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations: AxeViolation[] = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
  );
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Opens `path` in each variant, waits until `ready` shows and nothing is loading, then shoots and scans it. */
async function visit(page: Page, baseUrl: string, screen: string, path: string, ready: (page: Page) => Promise<unknown>): Promise<string[]> {
  const problems: string[] = [];
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const variant of VARIANTS) {
    await page.setViewportSize({ width: variant.width, height: variant.height });
    await page.emulateMedia({ colorScheme: variant.colorScheme, reducedMotion: 'reduce' });
    await page.goto(`${baseUrl}${path}`);
    await ready(page);
    await page.getByTestId('skeleton').first().waitFor({ state: 'detached' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${screen}-${variant.name}.png`), fullPage: true });
    problems.push(...(await axeViolations(page)).map((problem) => `${variant.name}: ${problem}`));
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}

function heading(text: string | RegExp) {
  return (page: Page) => page.getByRole('heading', { level: 1, name: text }).waitFor();
}

describe('every screen, on a desktop, on a phone and in dark mode', () => {
  let app: TestApp;
  let browser: Browser;
  let threadId: string;
  let shareToken: string;
  let assistantId: string;
  let otherUser: { userId: string; email: string };

  beforeAll(async () => {
    app = await startWebApp();
    // The page's Content-Security-Policy refuses inline scripts; axe-core is added as one.
    browser = await launchBrowser({ bypassCSP: true });
    const { page } = browser;
    // The first account is the administrator.
    await registerInBrowser(page, app.baseUrl, uniqueEmail('screens-admin'));
    await saveApiKeyInBrowser(page, app.baseUrl);
    assistantId = await createAssistantInBrowser(page, app.baseUrl, 'Support desk');
    await page.getByTestId('documents-input').setInputFiles([{ name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from('# Handbook\n\nOpen 9 to 5.\n') }]);
    await page.locator('table.documents tbody tr[data-status="ready"]').waitFor({ timeout: 15_000 });
    await page.goto(`${app.baseUrl}/`);
    app.fake.enqueueResponse({ deltas: ['Here is **a list**:\n\n', '- one\n- two\n\n', 'And `code`.'] });
    await send(page, 'Show me some formatting');
    await page.waitForURL(/\/threads\/[0-9a-f-]{36}$/);
    await waitUntilIdle(page);
    threadId = page.url().split('/').pop()!;
    shareToken = (await apiInPage<{ token: string }>(page, 'POST', `/api/threads/${threadId}/shares`, { includeFiles: true })).token;
    otherUser = await registerUser(app.baseUrl, { email: uniqueEmail('screens-user') });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const signedIn: Array<[string, () => string, (page: Page) => Promise<unknown>]> = [
    ['chat-empty', () => '/', heading('New conversation')],
    ['chat-messages', () => `/threads/${threadId}`, (page) => replies(page).last().waitFor()],
    ['assistants', () => '/assistants', heading('Assistants')],
    ['assistant-new', () => '/assistants/new', heading('New assistant')],
    ['assistant-editor', () => `/assistants/${assistantId}`, heading('Support desk')],
    ['settings', () => '/settings', heading('Settings')],
    ['usage', () => '/usage', (page) => page.locator('svg.chart').waitFor()],
    ['admin-users', () => '/admin', (page) => page.getByTestId('user-row').first().waitFor()],
    ['admin-user', () => `/admin/users/${otherUser.userId}`, (page) => page.getByTestId('user-status').waitFor()],
    ['admin-signup', () => '/admin/signup', (page) => page.getByRole('heading', { name: 'Who may sign up' }).waitFor()],
    ['admin-budgets', () => '/admin/budgets', (page) => page.getByRole('heading', { name: 'Installation defaults' }).waitFor()],
    ['admin-audit', () => '/admin/audit', (page) => page.getByTestId('audit-row').first().waitFor()],
    ['shared', () => `/shared/${shareToken}`, (page) => page.getByText('And').last().waitFor()],
  ];

  it('has a scan that finds a serious violation when there is one', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/settings`);
    await heading('Settings')(page);
    await page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<button type=button></button>')");
    expect(await axeViolations(page)).toEqual([expect.stringMatching(/^critical button-name/)]);
  });

  it.each(signedIn)('%s: looks right and has no serious accessibility violation', async (screen, path, ready) => {
    expect(await visit(browser.page, app.baseUrl, screen, path(), ready)).toEqual([]);
  });

  it('settings with an API token: the list looks right and has no serious accessibility violation', async () => {
    const { page } = browser;
    await apiInPage(page, 'POST', '/api/tokens', { name: 'Nightly backup script', scopes: ['read', 'write'], expiresInDays: 30 });
    const tokensListed = (shown: Page) => shown.getByRole('table', { name: 'API tokens' }).getByText('Nightly backup script').waitFor();
    expect(await visit(page, app.baseUrl, 'settings-tokens', '/settings', tokensListed)).toEqual([]);
  });

  it('the top bar menu, open on a phone: looks right and has no serious accessibility violation', async () => {
    const { page } = browser;
    const problems: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      await page.goto(`${app.baseUrl}/usage`);
      await page.locator('svg.chart').waitFor();
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOT_DIR, `top-bar-menu-${colorScheme}.png`) });
      problems.push(...(await axeViolations(page)).map((problem) => `${colorScheme}: ${problem}`));
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  });

  it('password change: looks right and has no serious accessibility violation', async () => {
    const { page } = browser;
    await page.request.post(`${app.baseUrl}/api/admin/users/${otherUser.userId}/require-password-change`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInInBrowser(page, otherUser.email);
    expect(await visit(page, app.baseUrl, 'password-change', '/', heading('Choose a new password'))).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('sign-in and registration: look right and have no serious accessibility violation', async () => {
    const { page } = browser;
    await page.context().clearCookies();
    expect(await visit(page, app.baseUrl, 'sign-in', '/signin', heading('Sign in'))).toEqual([]);
    expect(await visit(page, app.baseUrl, 'register', '/register', heading('Create your account'))).toEqual([]);
  });

  it('first run (the checklist, and Send off without a key): looks right and has no serious accessibility violation', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl, uniqueEmail('screens-new'));
    expect(await visit(page, app.baseUrl, 'chat-first-run', '/', (shown) => shown.getByTestId('onboarding').waitFor())).toEqual([]);
  });
});
