import type { Page } from 'playwright-core';
import { eventually } from '../support/eventually.js';
import { minimalPng } from '../support/sample-files.js';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { replies, send, sidebar, waitUntilIdle } from './support/chat-page.js';
import { TEST_API_KEY, registerInBrowser, startWebApp } from './support/web-app.js';

const MAX_CHARS = 200;

/** The names the model picker offers, the default first. */
async function offeredModels(page: Page): Promise<string[]> {
  const picker = page.getByLabel('Model', { exact: true });
  await picker.waitFor();
  return picker.locator('option').evaluateAll((options) => options.map((option) => option.textContent ?? ''));
}

const field = (page: Page) => page.getByLabel('Message', { exact: true });
const lastResponseBody = (app: TestApp) => app.fake.requestsTo('POST', '/v1/responses').at(-1)!.body as Record<string, unknown>;

/** Hands files to the composer as the browser does for a paste (into the field) or a drop (on the form). */
async function handOver(page: Page, how: 'paste' | 'drop', files: Array<{ name: string; type: string; bytes: number[] }>): Promise<void> {
  await page.evaluate(`(() => {
    const transfer = new DataTransfer();
    for (const file of ${JSON.stringify(files)}) transfer.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
    const init = { bubbles: true, cancelable: true };
    const event = ${how === 'paste' ? "new ClipboardEvent('paste', { ...init, clipboardData: transfer })" : "new DragEvent('drop', { ...init, dataTransfer: transfer })"};
    document.querySelector(${JSON.stringify(how === 'paste' ? '.composer textarea' : '.composer')}).dispatchEvent(event);
  })()`);
}

describe('the composer: model, growing field, files, length and plain chat', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp({ env: { CHAT_MAX_INPUT_CHARS: String(MAX_CHARS) } });
    browser = await launchBrowser();
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    expect((await page.request.post(`${app.baseUrl}/api/settings/apikey`, { data: { apiKey: TEST_API_KEY } })).status()).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('chats without any assistant, with the plain chat model as the default', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    expect((await offeredModels(page))[0]).toBe('Default (gpt-4o-mini)');
    app.fake.enqueueResponse({ text: 'Plainly answered.' });
    await send(page, 'Hello without an assistant');
    await waitUntilIdle(page);
    await expect(replies(page).last()).toShow('Plainly answered.');
    expect(lastResponseBody(app).model).toBe('gpt-4o-mini');
  });

  it('sends a turn with the model picked in the composer, from the models of the key', async () => {
    const { page } = browser;
    const created = await page.request.post(`${app.baseUrl}/api/assistants`, { data: { name: 'Picker', model: 'gpt-4.1' } });
    await page.request.post(`${app.baseUrl}/api/settings/default-assistant`, { data: { assistantId: (await created.json()).id } });
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('combobox', { name: 'Assistant' }).or(page.getByLabel('Assistant')).first().waitFor();
    await eventually(async () => ((await offeredModels(page))[0] === 'Default (gpt-4.1)' ? true : undefined));
    const offered = await offeredModels(page);
    expect(offered).toContain('gpt-5-mini');
    expect(offered).not.toContain('text-embedding-3-small');
    await page.getByLabel('Model', { exact: true }).selectOption('gpt-5-mini');
    app.fake.enqueueResponse({ text: 'From the smaller model.' });
    await send(page, 'Which model answers?');
    await waitUntilIdle(page);
    expect(lastResponseBody(app).model).toBe('gpt-5-mini');
  });

  it('warns in the assistant editor about a model the key does not offer', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/assistants/new`);
    const model = page.getByLabel('Model');
    await model.fill('gpt-4o-mni');
    await expect(page.getByRole('main')).toShow('Your OpenAI key does not offer this model');
    await model.fill('gpt-4o-mini');
    await expect(page.getByText('Your OpenAI key does not offer this model')).toBeGone();
    const listed = await page.locator(`datalist#${await model.getAttribute('list')} option`).evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(listed).toContain('gpt-5');
  });

  it('is focused when a conversation opens, grows with its text up to a bound, and counts characters near the limit', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/`);
    await sidebar(page).locator('a[href^="/threads/"]').first().click();
    await page.waitForURL(/\/threads\//);
    await eventually(async () => ((await page.evaluate("document.activeElement?.matches('.composer textarea')")) ? true : undefined));

    const height = () => field(page).evaluate((element) => element.getBoundingClientRect().height);
    await field(page).fill('one line');
    const oneLine = await height();
    await field(page).fill(Array.from({ length: 6 }, (_, index) => `line ${index}`).join('\n'));
    const sixLines = await height();
    expect(sixLines).toBeGreaterThan(oneLine * 2);
    await field(page).fill(Array.from({ length: 60 }, (_, index) => `line ${index}`).join('\n'));
    expect(await height()).toBeLessThanOrEqual(800 * 0.4 + 1);

    await field(page).fill('a'.repeat(150));
    expect(await page.getByTestId('length-counter').count()).toBe(0);
    await field(page).fill('a'.repeat(170));
    await expect(page.getByTestId('length-counter')).toShow(`170 / ${MAX_CHARS} characters`);
    await field(page).fill('a'.repeat(MAX_CHARS + 10));
    await expect(page.getByTestId('length-counter')).toShow('10 characters over the limit');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    await field(page).fill('');
  });

  it('attaches a pasted image and a dropped document, and sends both with the message', async () => {
    const { page } = browser;
    await handOver(page, 'paste', [{ name: 'pasted.png', type: 'image/png', bytes: [...minimalPng()] }]);
    await page.getByRole('img', { name: 'Preview of pasted.png' }).waitFor();
    await handOver(page, 'drop', [{ name: 'notes.txt', type: 'text/plain', bytes: [...Buffer.from('The lamp is lit at dusk.')] }]);
    const files = page.getByRole('list', { name: 'Files to send' });
    await expect(files.locator('li[data-kind="document"]')).toShow('notes.txt');
    await expect(files.locator('li[data-state="ready"]').nth(1)).toShow('Ready');
    app.fake.enqueueResponse({ text: 'I see a pixel and a note.' });
    await send(page, 'What did I attach?');
    await waitUntilIdle(page);
    const threadId = page.url().split('/').pop();
    const messages = await (await page.request.get(`${app.baseUrl}/api/threads/${threadId}/messages`)).json();
    expect(messages.at(-2).fileIds).toHaveLength(2);
    expect(JSON.stringify(lastResponseBody(app))).toContain('input_image');
  });

  it('says so when "Attach image" is given something else, instead of a broken preview', async () => {
    const { page } = browser;
    await page.getByTestId('image-input').setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from('quarterly') });
    await expect(page.getByRole('status').filter({ hasText: 'report.txt is not an image' })).toShow();
    expect(await page.getByRole('img', { name: 'Preview of report.txt' }).count()).toBe(0);
    await screenshot(page, 'composer');
  });
});
