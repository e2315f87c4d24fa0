import type { Page } from 'playwright-core';
import './matchers.js';

/** Calls the API from the page (same origin, with the session cookie); throws on a failure. */
export async function apiInPage<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const result = (await page.evaluate(
    `(async () => {
      const response = await fetch(${JSON.stringify(path)}, {
        method: ${JSON.stringify(method)},
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: ${body === undefined ? 'undefined' : JSON.stringify(JSON.stringify(body))},
      });
      return { status: response.status, body: await response.text() };
    })()`,
  )) as { status: number; body: string };
  if (result.status >= 400) throw new Error(`${method} ${path} answered ${result.status}: ${result.body}`);
  return JSON.parse(result.body) as T;
}

/** A thread made through the API, with `count` messages alternating between the user and the assistant. */
export async function seedThread(page: Page, title: string, messages: string[]): Promise<string> {
  const thread = await apiInPage<{ id: string }>(page, 'POST', '/api/thread/new', { title });
  for (const [index, content] of messages.entries()) {
    await apiInPage(page, 'POST', `/api/threads/${thread.id}/messages`, { role: index % 2 === 0 ? 'user' : 'assistant', content });
  }
  return thread.id;
}

/** The box of the element, or null when it is not rendered. */
export async function boxOf(page: Page, selector: string) {
  return page.locator(selector).first().boundingBox();
}

/** The message box lies wholly inside the window, the page itself does not scroll. */
export async function expectMessageBoxInView(page: Page): Promise<void> {
  const box = page.getByLabel('Message', { exact: true });
  await box.waitFor();
  const rect = await box.boundingBox();
  const viewport = page.viewportSize()!;
  expect(rect).not.toBeNull();
  expect(rect!.y).toBeGreaterThanOrEqual(0);
  expect(rect!.x).toBeGreaterThanOrEqual(0);
  expect(rect!.y + rect!.height).toBeLessThanOrEqual(viewport.height);
  expect(rect!.x + rect!.width).toBeLessThanOrEqual(viewport.width);
  expect(await page.evaluate('document.scrollingElement.scrollTop')).toBe(0);
}

/** What has focus: tag and accessible name or text, as `tag:text`. */
/**
 * Moves the focus (and where Tab starts from) to the start of the page, as
 * after a reload with the pointer elsewhere: a conversation opens with its
 * message box in focus.
 */
export async function focusPageStart(page: Page): Promise<void> {
  await page.evaluate(`(() => { document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); })()`);
}

export function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element) return '';
    const name = element.getAttribute('aria-label') || element.textContent || element.getAttribute('placeholder') || '';
    return element.tagName.toLowerCase() + ':' + name.trim().slice(0, 60);
  })()`);
}

/** Whether the focused element is inside the element that `selector` finds. */
export function focusIsWithin(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(`(() => {
    const container = document.querySelector(${JSON.stringify(selector)});
    return !!container && container.contains(document.activeElement);
  })()`);
}
