import type { Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, type Browser } from './support/browser.js';
import { replies, send, sidebar, waitUntilIdle } from './support/chat-page.js';
import { registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

function step(page: Page, key: 'key' | 'assistant' | 'message') {
  return page.getByTestId('onboarding').locator(`li[data-step="${key}"]`);
}

async function openNewChat(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('heading', { name: 'New conversation' }).waitFor();
}

describe('the first run: a checklist, chatting without an assistant, and no chat without a key', () => {
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

  it('shows the steps on the empty chat, with Send off and the reason shown while no key is saved', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await openNewChat(page, app.baseUrl);
    await expect(page.getByTestId('onboarding')).toShow('Getting started');
    await expect(step(page, 'key')).toHaveAttributeValue('data-done', 'false');
    await expect(step(page, 'assistant')).toHaveAttributeValue('data-done', 'false');
    await expect(step(page, 'message')).toHaveAttributeValue('data-done', 'false');

    await expect(page.getByTestId('send-blocked')).toShow('Save your OpenAI API key in Settings to start chatting.');
    await page.getByLabel('Message', { exact: true }).fill('Hello?');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await page.getByLabel('Message', { exact: true }).press('Enter');
    expect(await page.getByRole('article').count()).toBe(0);

    // The step's link leads to the key itself.
    await step(page, 'key').getByRole('link', { name: 'Open settings' }).click();
    await page.waitForURL(/\/settings#api-key$/);
  });

  it('stores nothing when a chat is sent without a key anyway', async () => {
    const { page } = browser;
    const response = await page.request.post(`${app.baseUrl}/api/chat`, { data: { message: 'Hello?' } });
    expect(response.status()).toBe(400);
    expect((await response.json()).code).toBe('api_key_missing');
    const list = await (await page.request.get(`${app.baseUrl}/api/threads`)).json();
    expect(list).toEqual([]);
  });

  it('chats without any assistant once a key is saved, and ticks the steps off as they are done', async () => {
    const { page } = browser;
    await saveApiKeyInBrowser(page, app.baseUrl);
    await openNewChat(page, app.baseUrl);
    await expect(step(page, 'key')).toHaveAttributeValue('data-done', 'true');
    await expect(page.getByTestId('send-blocked')).toBeGone();
    expect(await page.getByLabel('Assistant').inputValue()).toBe('');
    await expect(page.getByLabel('Assistant')).toShow('No assistant (plain chat)');

    app.fake.enqueueResponse({ deltas: ['Hello ', 'there.'] });
    await send(page, 'Hello without an assistant');
    await page.waitForURL(/\/threads\/[0-9a-f-]{36}$/);
    await waitUntilIdle(page);
    await expect(replies(page).last()).toShow('Hello there.');
    const assistants = await (await page.request.get(`${app.baseUrl}/api/assistants`)).json();
    expect(assistants).toEqual([]);

    await openNewChat(page, app.baseUrl);
    await expect(step(page, 'message')).toHaveAttributeValue('data-done', 'true');
    await expect(step(page, 'assistant')).toHaveAttributeValue('data-done', 'false');
    await expect(sidebar(page).getByRole('link')).toShow();
  });

  it('hides the steps for good once dismissed', async () => {
    const { page } = browser;
    await page.getByTestId('onboarding').getByRole('button', { name: 'Hide these steps' }).click();
    await expect(page.getByTestId('onboarding')).toBeGone();
    await page.reload();
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    await page.getByText('Ask anything to start a conversation.').waitFor();
    expect(await page.getByTestId('onboarding').count()).toBe(0);
  });
});

describe('the first run where the service lends its shared key', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp({ env: { OPENAI_API_KEY: 'sk-shared-browser-0123456789abcdefghij' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('counts the shared key as a usable key: the step is done and Send is on', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await openNewChat(page, app.baseUrl);
    await expect(step(page, 'key')).toShow('this service lends you its shared key');
    await expect(step(page, 'key')).toHaveAttributeValue('data-done', 'true');
    expect(await page.getByTestId('send-blocked').count()).toBe(0);
    await page.getByLabel('Message', { exact: true }).fill('Hello?');
    expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
  });
});
