import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WAIT_TIMEOUT_MS } from './matchers.js';

/** Debian's package; nothing is downloaded. Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every dialog (alert, confirm…) any page opened: an XSS would show here. */
  dialogs: string[];
  close(): Promise<void>;
}

/**
 * Chromium with a fresh profile, one page, and dialogs recorded (and dismissed).
 * `bypassCSP` lets a spec inject its own scripts (an accessibility checker) past the page's policy.
 */
export async function launchBrowser(options: { bypassCSP?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    bypassCSP: options.bypassCSP ?? false,
  });
  // Actions and waits fail in seconds; loading a screen may take longer on a busy machine.
  context.setDefaultTimeout(WAIT_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(15_000);
  const dialogs: string[] = [];
  context.on('page', (page) => watchDialogs(page, dialogs));
  const page = context.pages()[0] ?? (await context.newPage());
  watchDialogs(page, dialogs);
  return {
    context,
    page,
    dialogs,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const watchedPages = new WeakSet<Page>();

function watchDialogs(page: Page, dialogs: string[]): void {
  if (watchedPages.has(page)) return;
  watchedPages.add(page);
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
}

/** Writes test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

/**
 * Holds the page's requests to `pattern` (a Playwright URL glob) until the
 * returned function is called, as a slow server would; then lets them through.
 */
export async function holdRequests(page: Page, pattern: string): Promise<() => Promise<void>> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    await held;
    // A request the page gave up meanwhile is gone already.
    await route.continue().catch(() => undefined);
  });
  return async () => {
    release();
    await page.unroute(pattern);
  };
}
