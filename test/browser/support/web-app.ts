import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestAppOptions } from '../../support/test-app.js';
import './matchers.js';

export const TEST_API_KEY = 'sk-test-browser-0123456789abcdefghij';
export const PASSWORD = 'correct horse battery staple';

/** The real application with a fake OpenAI, serving the built client. */
export async function startWebApp(options: Omit<TestAppOptions, 'fake'> = {}): Promise<TestApp> {
  if (!existsSync(join(process.cwd(), 'dist', 'web', 'index.html'))) {
    throw new Error('The web client is not built: run `npm run build:web` (npm run test:browser does it first)');
  }
  return startTestApp({ ...options, fake: true });
}

export function uniqueEmail(prefix = 'browser'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.org`;
}

/** Signs up through the register screen (from a signed-out browser) and waits for the signed-in app. */
export async function registerInBrowser(page: Page, baseUrl: string, email = uniqueEmail(), password = PASSWORD): Promise<string> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/register`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toShow();
  return email;
}

export async function signInInBrowser(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toShow();
}

/** Saves the OpenAI key on the settings screen. */
export async function saveApiKeyInBrowser(page: Page, baseUrl: string, apiKey = TEST_API_KEY): Promise<void> {
  await page.goto(`${baseUrl}/settings`);
  await page.getByLabel('API key', { exact: true }).fill(apiKey);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByRole('main')).toShow('API key saved');
}

/** Creates an assistant with the given name through the editor; returns its id. */
export async function createAssistantInBrowser(page: Page, baseUrl: string, name: string): Promise<string> {
  await page.goto(`${baseUrl}/assistants/new`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('File search').check();
  await page.getByRole('button', { name: 'Create assistant' }).click();
  await page.waitForURL(/\/assistants\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

/**
 * A new user ready to chat, set up through the API with the browser's own
 * cookie: registered, the test key saved, and an assistant of this name made
 * their default. Returns the assistant's id.
 */
export async function registerChatUser(page: Page, baseUrl: string, assistantName: string): Promise<string> {
  await registerInBrowser(page, baseUrl);
  expect((await page.request.post(`${baseUrl}/api/settings/apikey`, { data: { apiKey: TEST_API_KEY } })).status()).toBe(200);
  const created = await page.request.post(`${baseUrl}/api/assistants`, { data: { name: assistantName } });
  const assistantId = ((await created.json()) as { id: string }).id;
  expect((await page.request.post(`${baseUrl}/api/settings/default-assistant`, { data: { assistantId } })).status()).toBe(200);
  return assistantId;
}
