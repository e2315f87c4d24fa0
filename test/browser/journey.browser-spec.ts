import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimalPng } from '../support/sample-files.js';
import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { expectComposer, replies, send, sidebar, waitUntilIdle, watchReplyGrow } from './support/chat-page.js';
import {
  createAssistantInBrowser,
  PASSWORD,
  registerInBrowser,
  saveApiKeyInBrowser,
  signInInBrowser,
  startWebApp,
  TEST_API_KEY,
} from './support/web-app.js';

const STORY = ['Once', ' upon', ' a', ' time', ' a', ' lighthouse', ' keeper', ' counted', ' the', ' ships', ' passing', ' by', ' at', ' night.'];
const TITLE = 'The lighthouse keeper';

describe('a whole journey in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let email: string;
  let storyThreadUrl: string;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'journey-folder-'));
    mkdirSync(join(folder, 'harbour'));
    writeFileSync(join(folder, 'harbour', 'ships.txt'), 'Ships: the Swift, the Heron.\n');
    app = await startWebApp({ env: { AUTO_TITLES: 'true', TITLE_MODEL: 'title-model', SUMMARY_MODEL: 'summary-model' } });
    app.fake.setResponder((body) => {
      if (body.model === 'title-model') return { text: TITLE };
      if (body.model === 'summary-model') return { text: 'A summary.' };
      return undefined;
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('registers, saves the API key and creates an assistant with a document and a folder', async () => {
    const { page } = browser;
    email = await registerInBrowser(browser.page, app.baseUrl);
    await saveApiKeyInBrowser(page, app.baseUrl);
    await createAssistantInBrowser(page, app.baseUrl, 'Storyteller');
    await page.getByTestId('documents-input').setInputFiles([
      { name: 'style.md', mimeType: 'text/markdown', buffer: Buffer.from('# Style\n\nShort sentences.\n') },
    ]);
    await page.getByTestId('folder-input').setInputFiles(join(folder, 'harbour'));
    const rows = page.locator('table.documents tbody tr');
    for (const name of ['style.md', 'harbour/ships.txt']) {
      const row = rows.filter({ has: page.getByRole('link', { name, exact: true }) });
      await expect(row).toHaveAttributeValue('data-status', 'ready', { timeout: 15_000 });
    }
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('documents-summary').innerText()).toContain('2 ready');
    const settings = await (await page.request.get(`${app.baseUrl}/api/settings`)).json();
    expect(settings).toMatchObject({ hasApiKey: true, apiKeyHint: expect.stringMatching(new RegExp(`${TEST_API_KEY.slice(-4)}$`)) });
  });

  it('starts a conversation and shows the reply growing as it streams in', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat' }).click();
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    await page.getByText('Ask anything to start a conversation.').waitFor();
    await screenshot(page, '10-chat-empty');

    app.fake.enqueueResponse({ deltas: STORY, deltaDelayMs: 100, usage: { input_tokens: 120, output_tokens: 14 } });
    await send(page, 'Tell me a story');
    const samples = await watchReplyGrow(page, async (count) => {
      if (count === 4) await screenshot(page, '11-chat-streaming');
    });
    // The reply grew in several steps, each one extending the last.
    expect(samples.length).toBeGreaterThanOrEqual(4);
    for (let index = 1; index < samples.length; index++) {
      expect(samples[index].startsWith(samples[index - 1].trimEnd())).toBe(true);
      expect(samples[index].length).toBeGreaterThan(samples[index - 1].length);
    }

    await waitUntilIdle(page);
    const reply = replies(page).last();
    expect(await reply.innerText()).toContain(STORY.join(''));
    const meta = await reply.locator('.message-meta').innerText();
    expect(meta).toMatch(/134 tokens/);
    expect(meta).toMatch(/\$\d/);
    await page.waitForURL(/\/threads\/[0-9a-f-]{36}$/);
    storyThreadUrl = page.url();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await sidebar(page).getByRole('link', { name: new RegExp(TITLE) }).waitFor();
    expect(await page.getByTestId('chat-status').innerText()).toBe('The reply is complete.');
    await screenshot(page, '12-chat-reply');
  });

  it('stops a reply midway and keeps what was written so far', async () => {
    const { page } = browser;
    app.fake.enqueueResponse({ tokens: 80, deltaDelayMs: 100 });
    await send(page, 'Now a very long story, please');
    await watchReplyGrow(page, async (count) => {
      if (count === 5) await page.getByRole('button', { name: 'Stop' }).click();
    });
    await waitUntilIdle(page);
    const stopped = page.locator('article[data-status="cancelled"]');
    await stopped.waitFor();
    expect(await stopped.getByText('Stopped').count()).toBe(1);
    const words = (await stopped.locator('.markdown').innerText()).split(/\s+/).length;
    expect(words).toBeGreaterThan(2);
    expect(words).toBeLessThan(80);
  });

  it('regenerates the last reply, replacing it', async () => {
    const { page } = browser;
    app.fake.enqueueResponse({ deltas: ['A ', 'shorter ', 'story: ', 'the ', 'light ', 'stayed ', 'on.'], deltaDelayMs: 60 });
    await replies(page).last().getByRole('button', { name: 'Regenerate' }).click();
    await watchReplyGrow(page);
    await waitUntilIdle(page);
    await replies(page).last().getByText('A shorter story: the light stayed on.').waitFor();
    expect(await page.locator('article[data-status="cancelled"]').count()).toBe(0);
    expect(await replies(page).count()).toBe(2);
  });

  it('attaches an image with a preview and sends it with the message', async () => {
    const { page } = browser;
    await page.getByTestId('image-input').setInputFiles([{ name: 'pixel.png', mimeType: 'image/png', buffer: minimalPng() }]);
    const preview = page.getByRole('list', { name: 'Files to send' }).locator('li[data-state="ready"]');
    await preview.waitFor();
    expect(await preview.getByRole('img', { name: 'Preview of pixel.png' }).getAttribute('src')).toMatch(/^blob:/);
    await page.getByLabel('Message', { exact: true }).fill('What is in this picture?');
    await screenshot(page, '13-chat-image-attached');

    app.fake.enqueueResponse({ text: 'A single transparent pixel.' });
    await page.getByRole('button', { name: 'Send' }).click();
    await waitUntilIdle(page);
    await replies(page).last().getByText('A single transparent pixel.').waitFor();
    const question = page.getByRole('article', { name: 'Your message' }).last();
    await question.getByRole('img', { name: 'pixel.png' }).waitFor();
    const sentImage = app.fake.requestsTo('POST', '/v1/responses').some((request) => JSON.stringify(request.body).includes('input_image'));
    expect(sentImage).toBe(true);
  });

  it('renders Markdown and code, and names the documents a reply cites', async () => {
    const { page } = browser;
    const upstream = [...app.fake.files.values()].find((file) => file.filename.endsWith('ships.txt'));
    expect(upstream).toBeDefined();
    const answer = [
      'The harbour log lists **two ships**:',
      '',
      '1. *the Swift*',
      '2. *the Heron*',
      '',
      'To count them in code:',
      '',
      '```python',
      'ships = ["Swift", "Heron"]',
      'print(len(ships))',
      '```',
    ].join('\n');
    app.fake.enqueueResponse({
      text: answer,
      deltaDelayMs: 20,
      fileSearch: { queries: ['ships'] },
      citations: [{ file_id: upstream!.id, filename: upstream!.filename, index: 30 }],
    });
    await send(page, 'Which ships are in the harbour log?');
    await waitUntilIdle(page);
    const reply = replies(page).last();
    await reply.locator('strong').getByText('two ships').waitFor();
    expect(await reply.locator('.markdown ol > li').count()).toBe(2);
    expect(await reply.locator('pre code').innerText()).toContain('print(len(ships))');
    const source = reply.locator('.citations').getByRole('link', { name: 'ships.txt' });
    expect(await source.getAttribute('href')).toMatch(/^\/api\/files\/[0-9a-f-]{36}\/content$/);
    // The cited place is marked with the source's number, linking to it.
    const marker = reply.locator('.markdown sup.citation-marker a');
    expect(await marker.innerText()).toBe('1');
    expect(await marker.getAttribute('href')).toBe(`#${await reply.locator('.citations li').first().getAttribute('id')}`);
    await page.getByLabel('Message', { exact: true }).blur();
    await screenshot(page, '00-chat');
  });

  it('renames, archives, searches, filters and deletes conversations', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByLabel('Conversation title', { exact: true }).fill('Lighthouse stories');
    await page.getByLabel('Conversation title', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Lighthouse stories' }).waitFor();
    await sidebar(page).getByRole('link', { name: /Lighthouse stories/ }).waitFor();

    await sidebar(page).getByRole('link', { name: 'New conversation' }).click();
    app.fake.enqueueResponse({ text: 'Noted.' });
    await send(page, 'A second, short conversation');
    await waitUntilIdle(page);
    await page.waitForURL((url) => url.toString() !== storyThreadUrl && /\/threads\//.test(url.pathname));
    await page.getByRole('heading', { name: TITLE }).waitFor();
    const second = page.url();
    const secondLink = sidebar(page).locator(`a[href="${new URL(second).pathname}"]`);
    await secondLink.waitFor();

    // Newest first.
    const titles = await sidebar(page).locator('.thread-title').allInnerTexts();
    expect(titles).toEqual([TITLE, 'Lighthouse stories']);

    // Full text: the story's title and messages match, the second conversation does not.
    await sidebar(page).getByLabel('Search conversations').fill('lighthouse stories');
    const found = sidebar(page).getByRole('navigation', { name: 'Search results' });
    await expect(found).toShow('Lighthouse stories');
    await secondLink.waitFor({ state: 'detached' });
    expect(new Set(await found.locator('.thread-title').allInnerTexts())).toEqual(new Set(['Lighthouse stories']));
    await sidebar(page).getByLabel('Search conversations').fill('');
    await sidebar(page).getByLabel('Show conversations with').selectOption({ label: 'Storyteller' });
    await secondLink.waitFor();
    await screenshot(page, '14-threads-sidebar');
    await sidebar(page).getByLabel('Show conversations with').selectOption({ label: 'All assistants' });

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Archive' }).click();
    await expect(page.locator('.thread-header .badge')).toShow('Archived');
    await secondLink.waitFor({ state: 'detached' });
    await sidebar(page).getByRole('checkbox', { name: 'Archived' }).check();
    await secondLink.waitFor();
    await sidebar(page).getByRole('checkbox', { name: 'Archived' }).uncheck();

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete this conversation?' }).getByRole('button', { name: 'Delete conversation' }).click();
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    expect(await sidebar(page).locator('.thread-title').allInnerTexts()).toEqual(['Lighthouse stories']);
    const gone = await page.request.get(second.replace('/threads/', '/api/threads/'));
    expect(gone.status()).toBe(404);
  });

  it('exports the conversation and downloads all its files', async () => {
    const { page } = browser;
    await page.goto(storyThreadUrl);
    await page.getByRole('heading', { name: 'Lighthouse stories' }).waitFor();

    const menuItem = async (name: string) => {
      await page.getByRole('button', { name: 'More actions' }).click();
      return page.getByRole('menuitem', { name });
    };
    const [markdown] = await Promise.all([page.waitForEvent('download'), (await menuItem('Export Markdown')).click()]);
    expect(markdown.suggestedFilename()).toMatch(/\.md$/);
    const markdownText = readFileSync((await markdown.path())!, 'utf8');
    expect(markdownText).toContain('Tell me a story');
    expect(markdownText).toContain('A shorter story: the light stayed on.');

    const [json] = await Promise.all([page.waitForEvent('download'), (await menuItem('Export JSON')).click()]);
    const exported = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    expect(JSON.stringify(exported)).toContain('What is in this picture?');

    const [archive] = await Promise.all([page.waitForEvent('download'), (await menuItem('Download all files')).click()]);
    expect(archive.suggestedFilename()).toMatch(/\.zip$/);
    expect(readFileSync((await archive.path())!).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('shows the turns, tokens and cost in usage, per day and per assistant', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    const expected = await (await page.request.get(`${app.baseUrl}/api/usage?groupBy=day`)).json();
    // The story, its regenerated ending and the picture (the deleted conversation's turn went with it).
    expect(expected.totals.turns).toBeGreaterThanOrEqual(3);
    await page.getByTestId('usage-turns').getByText(String(expected.totals.turns), { exact: true }).waitFor();
    const heights = await page.locator('rect.chart-bar').evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('height'))));
    expect(heights.filter((height) => height > 0)).toHaveLength(1);
    await page.getByRole('list', { name: 'Tokens per assistant' }).getByText('Storyteller').waitFor();
    await page.getByLabel('Cost').check();
    await page.getByRole('heading', { name: 'Cost per day' }).waitFor();
    await page.getByLabel('Tokens').check();
    await screenshot(page, '15-usage');
  });

  it('signs out and back in, and the history is still there', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInInBrowser(page, email);
    await sidebar(page).getByRole('link', { name: /Lighthouse stories/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Lighthouse stories');
    const questions = page.getByRole('article', { name: 'Your message' });
    await expect(questions.first()).toShow('Tell me a story');
    expect(await questions.allInnerTexts()).toEqual([
      expect.stringContaining('Tell me a story'),
      expect.stringContaining('Now a very long story, please'),
      expect.stringContaining('What is in this picture?'),
      expect.stringContaining('Which ships are in the harbour log?'),
    ]);
    expect(await replies(page).nth(1).innerText()).toContain('A shorter story: the light stayed on.');
    expect(await replies(page).last().innerText()).toContain('two ships');
    expect(await questions.nth(2).getByRole('img', { name: 'pixel.png' }).count()).toBe(1);
  });

  it('pages back through a long conversation', async () => {
    const { page } = browser;
    const [assistant] = await (await page.request.get(`${app.baseUrl}/api/assistants`)).json();
    const created = await page.request.post(`${app.baseUrl}/api/thread/new`, { data: { title: 'A long log', assistantId: assistant.id } });
    const { id } = await created.json();
    for (let index = 1; index <= 105; index++) {
      const response = await page.request.post(`${app.baseUrl}/api/threads/${id}/messages`, {
        data: { role: index % 2 ? 'user' : 'assistant', content: `Entry ${index}` },
      });
      expect(response.status()).toBe(201);
    }
    await page.goto(`${app.baseUrl}/threads/${id}`);
    await page.getByText('Entry 105', { exact: true }).waitFor();
    expect(await page.locator('article.message').count()).toBe(100);
    expect(await page.getByText('Entry 5', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Show earlier messages' }).click();
    await page.getByText('Entry 1', { exact: true }).waitFor();
    expect(await page.locator('article.message').count()).toBe(105);
    expect(await page.getByRole('button', { name: 'Show earlier messages' }).count()).toBe(0);
    await page.goBack();
  });

  it('keeps a half-written message across a reload', async () => {
    const { page } = browser;
    await page.getByLabel('Message', { exact: true }).fill('A draft I have not sent yet');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Lighthouse stories');
    await expectComposer(page, 'A draft I have not sent yet');
    await page.getByLabel('Message', { exact: true }).fill('');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toShow('Lighthouse stories');
    await expectComposer(page, '');
  });

  it('explains each failure and what to do, then answers once it is fixed', async () => {
    const { page } = browser;
    app.fake.failNext('responses', { kind: 'insufficient_quota' });
    await send(page, 'Will this work?');
    await expect(page.getByRole('alert')).toShow('run out of quota');
    await waitUntilIdle(page);

    await page.request.delete(`${app.baseUrl}/api/settings/apikey`);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('alert')).toShow('No OpenAI API key is saved');
    const alert = page.getByRole('alert').filter({ hasText: 'No OpenAI API key is saved' });
    await screenshot(page, '16-chat-error');

    const conversation = page.url();
    await alert.getByRole('link', { name: 'Open settings' }).click();
    await page.getByLabel('API key', { exact: true }).fill('sk-test-browser-replacement-key-0123');
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(page.getByRole('main')).toShow('API key saved');
    await page.goBack();
    await page.waitForURL(conversation);
    app.fake.enqueueResponse({ text: 'Yes, it works now.' });
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(replies(page).last()).toShow('Yes, it works now.');
    await expect(page.getByRole('button', { name: 'Try again' })).toBeGone();
    await expect(page.getByRole('alert')).toBeGone();
    const answered = app.fake.requestsTo('POST', '/v1/responses').at(-1);
    expect(JSON.stringify(answered?.body)).toContain('Will this work?');
  });

  it('keeps the message being sent when the session has ended, and sends it after signing in again', async () => {
    const { page } = browser;
    const message = 'Written while the session was ending';
    // The page's other requests (a list refresh after the last reply) wait until the send has found the
    // session gone: otherwise one of them may open the sign-in dialog before the message is sent.
    let releaseOthers!: () => void;
    const sendRefused = new Promise<void>((resolve) => (releaseOthers = resolve));
    await page.route('**/api/**', async (route) => {
      if (!route.request().url().endsWith('/api/chat')) await sendRefused;
      // A request the page gave up on while it was held is already handled: nothing is left to continue.
      await route.continue().catch(() => undefined);
    });
    await page.context().clearCookies();
    const refused = page.waitForResponse((response) => response.url().endsWith('/api/chat'), { timeout: 15_000 });
    await send(page, message);
    expect((await refused).status()).toBe(401);
    releaseOthers();
    // Waits for the held requests to go on before the route is removed (removed first, Playwright continues them itself).
    await page.unrouteAll({ behavior: 'wait' });

    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expectComposer(page, message);
    expect(await page.getByRole('article', { name: 'Your message' }).getByText(message).count()).toBe(0);
    app.fake.enqueueResponse({ text: 'Received after signing in again.' });
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await replies(page).last().getByText('Received after signing in again.').waitFor();
    await page.getByRole('article', { name: 'Your message' }).getByText(message).waitFor();
    await expectComposer(page, '');
  });

  it('gives a refused message back to fix and send again', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistants' }).click();
    await page.getByRole('link', { name: 'Storyteller' }).click();
    await page.getByLabel(/^Active/).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Assistant saved.').waitFor();
    await page.goBack();
    await page.goBack();
    await page.getByRole('heading', { name: 'Lighthouse stories' }).waitFor();

    await send(page, 'Are you there?');
    const alert = page.getByRole('alert').filter({ hasText: 'This assistant is switched off' });
    await alert.waitFor();
    await alert.getByRole('link', { name: 'Open assistants' }).waitFor();
    await expectComposer(page, 'Are you there?');
    expect(await page.getByRole('article', { name: 'Your message' }).getByText('Are you there?').count()).toBe(0);
  });
});
