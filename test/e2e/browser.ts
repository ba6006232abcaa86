// Shared harness for browser tests: serves dist/ with `vite preview` on a free local port and
// drives Debian's Chromium through playwright-core, collecting page errors and CSP violations.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

export interface AppHarness {
  readonly url: string;
  readonly page: Page;
  /** Uncaught exceptions thrown in the page. */
  readonly pageErrors: string[];
  /** Console errors, including Content-Security-Policy violations. */
  readonly consoleErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the preview server and a browser page on the built app. */
export async function openApp(): Promise<AppHarness> {
  if (!existsSync(resolve(PROJECT_ROOT, 'dist/index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh`);
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await preview({
      root: PROJECT_ROOT,
      logLevel: 'silent',
      preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
    });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a local URL');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const openedServer = server;
    const openedBrowser = browser;
    return {
      url,
      page,
      pageErrors,
      consoleErrors,
      async screenshot(name) {
        const path = resolve(PROJECT_ROOT, 'test-results', `${name}.png`);
        await mkdir(dirname(path), { recursive: true });
        await page.screenshot({ path });
        return path;
      },
      async close() {
        await openedBrowser.close();
        await openedServer.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.close();
    throw error;
  }
}
