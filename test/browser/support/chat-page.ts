import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import './matchers.js';

/** The chat screen's parts, as the specs find them. */
export function liveReply(page: Page) {
  return page.locator('article[aria-busy="true"]');
}

export function replies(page: Page) {
  return page.getByRole('article', { name: 'Assistant reply' });
}

export function sidebar(page: Page) {
  return page.getByRole('complementary', { name: 'Conversations' });
}

/** The text of the reply being written, each time it changes, until it is complete. */
export async function watchReplyGrow(page: Page, onSample?: (count: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  await liveReply(page).waitFor();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const text = await liveReply(page)
      .locator('.markdown, .plain-text')
      .first()
      .innerText({ timeout: 200 })
      .catch(() => null);
    if (text === null) break;
    if (text !== seen.at(-1)) {
      seen.push(text);
      await onSample?.(seen.length);
    }
    await sleep(40);
  }
  return seen;
}

export async function send(page: Page, message: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(message);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** The composer holds `value`. */
export async function expectComposer(page: Page, value: string): Promise<void> {
  await expect(page.getByLabel('Message', { exact: true })).toHoldValue(value);
}

/** Waits for the reply being written to end: a streamed reply takes a few seconds. */
export async function waitUntilIdle(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 15_000 });
  await liveReply(page).waitFor({ state: 'detached' });
}

