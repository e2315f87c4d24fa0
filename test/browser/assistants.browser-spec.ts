import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { PASSWORD, registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

/** A documents table row, by the name it shows. */
function documentRow(page: Page, name: string) {
  return page.locator('table.documents tbody tr').filter({ has: page.getByRole('link', { name, exact: true }) });
}

/** A document reaches `status`; indexing upstream takes up to the few seconds the fake is told. */
async function expectStatus(page: Page, name: string, status: 'ready' | 'failed' | 'processing'): Promise<void> {
  try {
    await expect(documentRow(page, name)).toHaveAttributeValue('data-status', status, { timeout: 15_000 });
  } catch (error) {
    // The row's own words (a failed document shows its reason) say why it did not get there.
    const shown = await documentRow(page, name).innerText({ timeout: 1_000 }).catch(() => '(no row)');
    throw new Error(`${(error as Error).message}\nthe row shows: ${shown.replace(/\s+/g, ' ')}`);
  }
}

/** The names of the assistant's documents, as the API lists them. */
async function documentNames(page: Page, baseUrl: string, assistantId: string): Promise<string[]> {
  const { files } = await (await page.request.get(`${baseUrl}/api/assistants/${assistantId}/files`)).json();
  return (files as Array<{ filename: string; relativePath: string | null }>).map((file) => file.relativePath ?? file.filename).sort();
}

describe('assistants and their documents in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let folder: string;
  let assistantUrl: string;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchBrowser();
    folder = mkdtempSync(join(tmpdir(), 'browser-folder-'));
    mkdirSync(join(folder, 'handbook', 'policies'), { recursive: true });
    writeFileSync(join(folder, 'handbook', 'intro.md'), '# Handbook\n\nWelcome aboard.\n');
    writeFileSync(join(folder, 'handbook', 'policies', 'leave.txt'), 'Holidays: 25 days a year.\n');
    await registerInBrowser(browser.page, app.baseUrl);
    await saveApiKeyInBrowser(browser.page, app.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('creates an assistant with every field and keeps them', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistants' }).click();
    await page.getByText('No assistants yet.').waitFor();
    await page.getByRole('link', { name: 'New assistant' }).click();

    await page.getByRole('button', { name: 'Create assistant' }).click();
    await page.getByText('Give the assistant a name.').waitFor();

    await page.getByLabel('Name').fill('Support helper');
    await page.getByLabel('Description').fill('Answers questions about the handbook');
    await page.getByLabel('Model').fill('gpt-4o-mini');
    await page.getByLabel('Instructions').fill('Be brief. Cite the handbook.');
    await page.getByLabel('Temperature').fill('0.4');
    await page.getByLabel('File search').check();
    await page.getByLabel('Code interpreter').check();
    await page.getByRole('button', { name: 'Add metadata' }).click();
    await page.getByLabel('Metadata key 1').fill('team');
    await page.getByLabel('Metadata value 1').fill('support');
    await page.getByLabel(/^Active/).uncheck();
    await page.getByRole('button', { name: 'Create assistant' }).click();
    await page.waitForURL(/\/assistants\/[0-9a-f-]{36}$/);
    assistantUrl = page.url();

    await page.reload();
    await page.getByRole('heading', { name: 'Support helper' }).waitFor();
    expect(await page.getByLabel('Description').inputValue()).toBe('Answers questions about the handbook');
    expect(await page.getByLabel('Model').inputValue()).toBe('gpt-4o-mini');
    expect(await page.getByLabel('Instructions').inputValue()).toBe('Be brief. Cite the handbook.');
    expect(await page.getByLabel('Temperature').inputValue()).toBe('0.4');
    expect(await page.getByLabel('File search').isChecked()).toBe(true);
    expect(await page.getByLabel('Web search').isChecked()).toBe(false);
    expect(await page.getByLabel('Code interpreter').isChecked()).toBe(true);
    expect(await page.getByLabel('Metadata key 1').inputValue()).toBe('team');
    expect(await page.getByLabel(/^Active/).isChecked()).toBe(false);
  });

  it('edits every field', async () => {
    const { page } = browser;
    await page.getByLabel('Name').fill('Handbook helper');
    await page.getByLabel('Description').fill('');
    await page.getByLabel('Model').fill('gpt-4.1-mini');
    await page.getByLabel('Instructions').fill('Answer from the handbook only.');
    await page.getByLabel('Temperature').fill('');
    await page.getByLabel('Web search').check();
    await page.getByLabel('Code interpreter').uncheck();
    await page.getByRole('button', { name: 'Add metadata' }).click();
    await page.getByLabel('Metadata key 2').fill('tier');
    await page.getByLabel('Metadata value 2').fill('gold');
    await page.getByLabel(/^Active/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Assistant saved.').waitFor();

    const id = assistantUrl.split('/').pop();
    const stored = await (await page.request.get(`${app.baseUrl}/api/assistants/${id}`)).json();
    expect(stored).toMatchObject({
      name: 'Handbook helper',
      description: null,
      model: 'gpt-4.1-mini',
      instructions: 'Answer from the handbook only.',
      temperature: null,
      tools: [{ type: 'file_search' }, { type: 'web_search' }],
      metadata: { team: 'support', tier: 'gold' },
      isActive: true,
    });
  });

  it('uploads picked files and shows each one processing, then ready', async () => {
    const { page } = browser;
    // The provider takes a few seconds to index them, long enough to see them processing.
    app.fake.setFileProcessing({ afterMs: 3000 });
    await page.getByTestId('documents-input').setInputFiles([
      { name: 'faq.md', mimeType: 'text/markdown', buffer: Buffer.from('# FAQ\n\nQ: Hours? A: 9 to 5.\n') },
      { name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from('item,price\ntea,2\n') },
    ]);
    await page.getByText('2 files added.').waitFor();
    await expectStatus(page, 'faq.md', 'processing');
    await expectStatus(page, 'prices.csv', 'processing');
    expect(await documentRow(page, 'faq.md').getByText('Processing…').count()).toBe(1);
    expect(await page.getByTestId('documents-summary').innerText()).toContain('2 processing');

    await expectStatus(page, 'faq.md', 'ready');
    await expectStatus(page, 'prices.csv', 'ready');
    expect(await documentRow(page, 'faq.md').getByText('Ready', { exact: true }).count()).toBe(1);
    expect(await page.getByTestId('documents-summary').innerText()).toContain('0 processing');
    app.fake.setFileProcessing({});
  });

  it('uploads a whole chosen folder with the files’ paths', async () => {
    const { page } = browser;
    const upload = page.waitForResponse((response) => response.url().endsWith('/api/upload-directory'));
    await page.getByTestId('folder-input').setInputFiles(join(folder, 'handbook'));
    expect((await upload).status()).toBe(201);
    await expectStatus(page, 'handbook/intro.md', 'ready');
    await expectStatus(page, 'handbook/policies/leave.txt', 'ready');

    const id = assistantUrl.split('/').pop();
    const { files } = await (await page.request.get(`${app.baseUrl}/api/assistants/${id}/files`)).json();
    const paths = (files as Array<{ relativePath: string | null }>).map((file) => file.relativePath).sort();
    expect(paths).toEqual(expect.arrayContaining(['handbook/intro.md', 'handbook/policies/leave.txt']));
  });

  it('uploads files dragged onto the drop zone', async () => {
    const { page } = browser;
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['Dropped notes about onboarding.'], 'dropped.txt', { type: 'text/plain' }));
      return transfer;
    })()`);
    const zone = page.getByTestId('drop-zone');
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });
    await expectStatus(page, 'dropped.txt', 'ready');
    expect(await page.getByTestId('documents-summary').innerText()).toContain('5 ready');
    await screenshot(page, '07-assistant-editor');
  });

  it('shows a failed document with the reason, and retries it', async () => {
    const { page } = browser;
    app.fake.setFileProcessing({ after: 0, outcome: 'failed' });
    await page.getByTestId('documents-input').setInputFiles([
      { name: 'broken.txt', mimeType: 'text/plain', buffer: Buffer.from('This one will fail upstream.') },
    ]);
    await expectStatus(page, 'broken.txt', 'failed');
    await expect(documentRow(page, 'broken.txt')).toShow('Failed');
    expect(await documentRow(page, 'broken.txt').locator('.field-error').innerText()).not.toBe('');
    expect(await page.getByTestId('documents-summary').innerText()).toContain('1 failed');
    await documentRow(page, 'broken.txt').scrollIntoViewIfNeeded();
    await screenshot(page, '08-document-failed');

    app.fake.setFileProcessing({ after: 0, outcome: 'completed' });
    await page.getByRole('button', { name: 'Retry broken.txt' }).click();
    await expectStatus(page, 'broken.txt', 'ready');
    await expect(documentRow(page, 'broken.txt')).toShow('Ready');
    expect(await documentRow(page, 'broken.txt').locator('.field-error').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry broken.txt' }).count()).toBe(0);
    expect(await page.getByTestId('documents-summary').innerText()).toContain('0 failed');
  });

  it('removes a document from the assistant', async () => {
    const { page } = browser;
    const id = assistantUrl.split('/').pop()!;
    expect(await documentNames(page, app.baseUrl, id)).toContain('prices.csv');
    await page.getByRole('button', { name: 'Remove prices.csv' }).click();
    await expect(documentRow(page, 'prices.csv')).toBeGone();
    expect(await documentNames(page, app.baseUrl, id)).not.toContain('prices.csv');
    expect(await documentNames(page, app.baseUrl, id)).toContain('faq.md');
  });

  it('lists the assistant and makes it the default in settings', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistants' }).click();
    await page.getByRole('link', { name: 'Handbook helper' }).waitFor();
    await screenshot(page, '06-assistants');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Assistant', { exact: true }).selectOption({ label: 'Handbook helper' });
    await page.getByRole('button', { name: 'Save default' }).click();
    await page.getByText('Default assistant saved').waitFor();
    const settings = await (await page.request.get(`${app.baseUrl}/api/settings`)).json();
    expect(settings.defaultAssistantId).toBe(assistantUrl.split('/').pop());
  });

  it('keeps what was typed when the session ends, and saves it after signing in again', async () => {
    const { page } = browser;
    await page.goto(assistantUrl);
    await page.getByLabel('Description').fill('Typed before the session ended');
    await page.context().clearCookies();
    await page.getByRole('button', { name: 'Save changes' }).click();

    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await screenshot(page, '09-session-expired');
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'hidden' });

    expect(await page.getByLabel('Description').inputValue()).toBe('Typed before the session ended');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Assistant saved.').waitFor();
  });

  it('deletes the assistant after confirmation', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Delete assistant' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete assistant' }).click();
    await page.waitForURL(`${app.baseUrl}/assistants`);
    await expect(page.getByRole('main')).toShow('No assistants yet.');
    expect(await page.getByRole('link', { name: 'Handbook helper' }).count()).toBe(0);
    expect((await page.request.get(`${app.baseUrl}/api/assistants/${assistantUrl.split('/').pop()}`)).status()).toBe(404);
  });

  it('turns file search on when documents are added, and keeps it on when the form is saved', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'New assistant' }).click();
    await page.getByLabel('Name').fill('Searcher');
    // On by default for a new assistant; switched off here to see documents switch it back on.
    await page.getByLabel('File search').uncheck();
    await page.getByRole('button', { name: 'Create assistant' }).click();
    await page.waitForURL(/\/assistants\/[0-9a-f-]{36}$/);
    expect(await page.getByLabel('File search').isChecked()).toBe(false);

    await page.getByTestId('documents-input').setInputFiles([{ name: 'faq.md', mimeType: 'text/markdown', buffer: Buffer.from('# FAQ\n\nOpen 9 to 5.\n') }]);
    await page.getByText('1 file added.').waitFor();
    await page.getByRole('checkbox', { name: /^File search/, checked: true }).waitFor();
    await page.getByLabel('Instructions').fill('Answer from the FAQ.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Assistant saved.').waitFor();
    const stored = await (await page.request.get(`${app.baseUrl}/api/assistants/${page.url().split('/').pop()}`)).json();
    expect(stored).toMatchObject({ instructions: 'Answer from the FAQ.', tools: [{ type: 'file_search' }] });
  });
});
