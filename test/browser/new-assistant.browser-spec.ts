import type { TestApp } from '../support/test-app.js';
import { launchBrowser, type Browser } from './support/browser.js';
import { registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

const LONG_NAME = `quarterly-report-${'with-a-very-long-name-'.repeat(6)}final.md`;

describe('a new assistant: file search on, documents chosen before it exists', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    await registerInBrowser(browser.page, app.baseUrl);
    await saveApiKeyInBrowser(browser.page, app.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('starts with file search on', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/assistants/new`);
    expect(await page.getByLabel('File search').isChecked()).toBe(true);
  });

  it('queues documents picked before the first save and uploads them once the assistant is created', async () => {
    const { page } = browser;
    await page.getByLabel('Name').fill('Reports');
    await page.getByTestId('documents-input').setInputFiles([
      { name: LONG_NAME, mimeType: 'text/markdown', buffer: Buffer.from('# Q3\n\nRevenue grew.\n') },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Notes.\n') },
    ]);
    const queued = page.getByTestId('queued-documents');
    await expect(queued).toShow('notes.txt');
    await queued.getByRole('button', { name: 'Leave out notes.txt' }).click();
    await expect(queued.getByText('notes.txt')).toBeGone();

    // On a phone, the long name wraps inside the table instead of widening the page.
    await page.setViewportSize({ width: 390, height: 844 });
    const cell = queued.locator('.file-name').first();
    expect(await page.evaluate("getComputedStyle(document.querySelector('[data-testid=queued-documents] .file-name')).overflowWrap")).toBe('anywhere');
    expect(await cell.getAttribute('title')).toBe(LONG_NAME);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Create assistant' }).click();
    await page.waitForURL(/\/assistants\/[0-9a-f-]{36}$/);
    const row = page.locator('table.documents tbody tr').filter({ has: page.getByRole('link', { name: LONG_NAME }) });
    await expect(row).toHaveAttributeValue('data-status', 'ready', { timeout: 15_000 });
    const assistantId = page.url().split('/').pop();
    const { files } = await (await page.request.get(`${app.baseUrl}/api/assistants/${assistantId}/files`)).json();
    expect((files as Array<{ filename: string }>).map((file) => file.filename)).toEqual([LONG_NAME]);
    expect(await page.getByLabel('File search').isChecked()).toBe(true);
  });

  it('switches file search on with a note when documents come to an assistant without it', async () => {
    const { page } = browser;
    await page.goto(`${app.baseUrl}/assistants/new`);
    await page.getByLabel('Name').fill('Plain');
    await page.getByLabel('File search').uncheck();
    await page.getByRole('button', { name: 'Create assistant' }).click();
    await page.waitForURL(/\/assistants\/[0-9a-f-]{36}$/);
    expect(await page.getByLabel('File search').isChecked()).toBe(false);
    await page.getByTestId('documents-input').setInputFiles([{ name: 'faq.md', mimeType: 'text/markdown', buffer: Buffer.from('# FAQ\n') }]);
    await expect(page.getByText('File search was switched on')).toShow();
    expect(await page.getByLabel('File search').isChecked()).toBe(true);
  });
});
