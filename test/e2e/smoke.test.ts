// Smoke test of the built app in a real browser: the studio opens on the sample workspace,
// Monaco shows and highlights the first sample policy, and nothing breaks the strict CSP.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, openApp, type AppHarness } from './browser';
import { SAMPLE_START_FILE } from '../../src/ui/workspace/sampleStart';
import { sampleFiles } from './samples';

/** The sample the app opens first and a line of it to look for. */
const firstSample = SAMPLE_START_FILE;
const firstCodeLine = codeLineOf(firstSample);

/** The first line of a sample that is not blank or a comment, as Monaco shows it (cut short). */
function codeLineOf(sample: string): string | undefined {
  return readFileSync(resolve(PROJECT_ROOT, 'samples', sample), 'utf8')
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .find((line) => line !== '' && !line.startsWith('#'))
    ?.slice(0, 40);
}

describe('the built app in Chromium', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await openApp();
    await app.page.goto(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens the first sample policy in the Monaco editor', async () => {
    expect(firstCodeLine).toBeDefined();
    const lines = app.page.locator('.monaco-editor .view-lines');
    await lines.filter({ hasText: firstCodeLine }).waitFor({ timeout: 60_000 });
    expect(await app.page.locator('.editor-path').textContent()).toBe(firstSample);
    await app.screenshot('smoke');
  });

  it('lists every sample file in the workspace panel', async () => {
    const titles = await app.page.locator('.file-list .file-entry').evaluateAll((buttons) =>
      buttons.map((button) => button.getAttribute('title')),
    );
    expect(titles).toEqual(sampleFiles());
  });

  it('highlights the policy with the gate tokenizer', async () => {
    const colors = await app.page
      .locator('.monaco-editor .view-line span span')
      .evaluateAll((spans) => [...new Set(spans.map((span) => getComputedStyle(span).color))]);
    expect(colors.length).toBeGreaterThanOrEqual(3); // at least plain names, keywords and strings
  });

  it('types into the editor and follows the cursor', async () => {
    await app.page.locator('.monaco-editor .view-lines').click();
    await app.page.keyboard.press('Control+End');
    await app.page.keyboard.type('\n# typed by the smoke test');
    await app.page.locator('.view-lines', { hasText: '# typed by the smoke test' }).waitFor();
    expect(await app.page.locator('.editor-cursor').textContent()).toMatch(/^Ln \d+, Col 26$/);
  });

  it('switches files from the workspace panel', async ({ skip }) => {
    const second = sampleFiles().find((file) => file !== firstSample);
    if (!second) return skip('only one sample file');
    await app.page.locator(`.file-entry[title="${second}"]`).click();
    expect(await app.page.locator('.editor-path').textContent()).toBe(second);
    await app.page.locator('.view-lines', { hasText: codeLineOf(second) }).waitFor();
    await app.page.locator(`.file-entry[title="${firstSample}"]`).click();
    await app.page.locator('.view-lines', { hasText: '# typed by the smoke test' }).waitFor();
  });

  it('throws no uncaught errors and violates no Content-Security-Policy', () => {
    expect(app.pageErrors).toEqual([]);
    expect(app.consoleErrors.filter((text) => /Content.Security.Policy|Refused to/i.test(text))).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
