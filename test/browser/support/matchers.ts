import type { Locator } from 'playwright-core';

/**
 * How long an assertion on the page (and an action) waits for the page to get
 * there. Short: a screen that never shows what is expected fails in seconds,
 * naming what it showed instead. Under CI, where two spec files share two cores
 * with their servers and databases, Chromium's renderer can stall for seconds:
 * the waits are longer there, and only a failing wait takes longer for it.
 * Waits for known slow work (a streamed reply, a document being indexed) pass a
 * longer `timeout` themselves.
 */
export const WAIT_TIMEOUT_MS = process.env.CI ? 15_000 : 5_000;
const POLL_INTERVAL_MS = 50;

export interface WaitOptions {
  timeout?: number;
}

declare global {
  // Matchers of `expect` (ambient in every spec) have to be declared in its namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** A visible element of the locator shows `expected` in its text (any text when omitted), within the timeout. */
      toShow(expected?: string | RegExp, options?: WaitOptions): Promise<R>;
      /** No element of the locator is visible any more, within the timeout. */
      toBeGone(options?: WaitOptions): Promise<R>;
      /** The input or textarea holds exactly `value`, within the timeout. */
      toHoldValue(value: string, options?: WaitOptions): Promise<R>;
      /** The (first) element's attribute `name` is `value`, within the timeout. */
      toHaveAttributeValue(name: string, value: string, options?: WaitOptions): Promise<R>;
    }
  }
}

/** The texts of the locator's visible elements, as shown now. */
async function visibleTexts(locator: Locator): Promise<string[]> {
  const texts: string[] = [];
  for (const element of await locator.all()) {
    if (!(await element.isVisible().catch(() => false))) continue;
    const text = await element.innerText({ timeout: POLL_INTERVAL_MS * 4 }).catch(() => null);
    if (text !== null) texts.push(text);
  }
  return texts;
}

/** Polls `observe` until `passes` holds or the timeout is over; returns whether it held and the last observation. */
async function poll<T>(observe: () => Promise<T>, passes: (value: T) => boolean, timeoutMs: number): Promise<{ pass: boolean; last: T }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await observe();
    if (passes(last)) return { pass: true, last };
    if (Date.now() >= deadline) return { pass: false, last };
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

function matches(text: string, expected: string | RegExp | undefined): boolean {
  if (expected === undefined) return true;
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}

function refuseNot(isNot: boolean, name: string): void {
  if (isNot) throw new Error(`.not.${name} waits for nothing in particular: use toBeGone, or a positive assertion`);
}

const show = (value: unknown): string => JSON.stringify(value instanceof RegExp ? String(value) : value);

expect.extend({
  async toShow(received: Locator, expected?: string | RegExp, options: WaitOptions = {}) {
    refuseNot(this.isNot === true, 'toShow');
    const timeout = options.timeout ?? WAIT_TIMEOUT_MS;
    const { pass, last } = await poll(() => visibleTexts(received), (texts) => texts.some((text) => matches(text, expected)), timeout);
    const wanted = expected === undefined ? 'something' : show(expected);
    const seen = last.length === 0 ? 'nothing visible' : `only ${last.map(show).join(', ')}`;
    return { pass, message: () => `expected ${received} to show ${wanted} within ${timeout} ms; it showed ${seen}` };
  },

  async toBeGone(received: Locator, options: WaitOptions = {}) {
    refuseNot(this.isNot === true, 'toBeGone');
    const timeout = options.timeout ?? WAIT_TIMEOUT_MS;
    const { pass, last } = await poll(() => visibleTexts(received), (texts) => texts.length === 0, timeout);
    return { pass, message: () => `expected ${received} to be gone within ${timeout} ms; it still showed ${last.map(show).join(', ')}` };
  },

  async toHoldValue(received: Locator, value: string, options: WaitOptions = {}) {
    refuseNot(this.isNot === true, 'toHoldValue');
    const timeout = options.timeout ?? WAIT_TIMEOUT_MS;
    const read = () => received.inputValue({ timeout: POLL_INTERVAL_MS * 4 }).catch(() => '(no such field)');
    const { pass, last } = await poll(read, (current) => current === value, timeout);
    return { pass, message: () => `expected ${received} to hold ${show(value)} within ${timeout} ms; it held ${show(last)}` };
  },

  async toHaveAttributeValue(received: Locator, name: string, value: string, options: WaitOptions = {}) {
    refuseNot(this.isNot === true, 'toHaveAttributeValue');
    const timeout = options.timeout ?? WAIT_TIMEOUT_MS;
    const read = () => received.first().getAttribute(name, { timeout: POLL_INTERVAL_MS * 4 }).catch(() => '(no such element)');
    const { pass, last } = await poll(read, (current) => current === value, timeout);
    return { pass, message: () => `expected ${received} to have ${name}=${show(value)} within ${timeout} ms; it had ${show(last)}` };
  },
});
