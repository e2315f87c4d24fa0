import type { TestApp } from '../support/test-app.js';
import { launchBrowser, screenshot, type Browser } from './support/browser.js';
import { expectComposer, replies, send, waitUntilIdle } from './support/chat-page.js';
import { createAssistantInBrowser, registerInBrowser, saveApiKeyInBrowser, startWebApp } from './support/web-app.js';

describe('the chat rate limit in the browser', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp({ env: { RATE_LIMIT_CHAT_PER_MINUTE: '2' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('says when the turns per minute are used up, with the wait, and keeps the message in the composer', async () => {
    const { page } = browser;
    await registerInBrowser(page, app.baseUrl);
    await saveApiKeyInBrowser(page, app.baseUrl);
    await createAssistantInBrowser(page, app.baseUrl, 'Limited');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat' }).click();
    await page.getByRole('heading', { name: 'New conversation' }).waitFor();
    // Sending waits until the screen knows the assistant to talk to.
    await page.getByRole('combobox', { name: 'Assistant' }).getByRole('option', { name: 'Limited' }).waitFor({ state: 'attached' });
    for (const [question, answer] of [
      ['First question', 'First answer.'],
      ['Second question', 'Second answer.'],
    ]) {
      app.fake.enqueueResponse({ text: answer });
      await send(page, question);
      await page.getByRole('article', { name: 'Your message' }).getByText(question).waitFor();
      await waitUntilIdle(page);
      await replies(page).last().getByText(answer).waitFor();
    }

    const message = 'One message too many';
    const refused = page.waitForResponse((response) => response.url().endsWith('/api/chat') && response.request().method() === 'POST');
    await send(page, message);
    expect((await refused).status()).toBe(429);
    const alert = page.getByRole('alert').filter({ hasText: 'Too many messages in a short time' });
    await alert.waitFor();
    await alert.getByText(/You can try again in (\d+ seconds?|1 minute)\./).waitFor();
    await expectComposer(page, message);
    await waitUntilIdle(page);
    expect(await page.getByRole('article', { name: 'Your message' }).getByText(message).count()).toBe(0);
    expect(await replies(page).count()).toBe(2);
    expect(app.fake.requestsTo('POST', '/v1/responses')).toHaveLength(2);
    await screenshot(page, '19-chat-rate-limited');
  });
});
