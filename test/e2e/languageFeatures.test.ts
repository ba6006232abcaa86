// The language service inside the built app, used the way an author does: a typo shows up in the
// problems panel, a click on it jumps there, completion and hover answer from the service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppHarness } from './browser';
import { SAMPLE_START_FILE } from '../../src/ui/workspace/sampleStart';

const firstSample = SAMPLE_START_FILE;

describe('language features in the built app', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await openApp();
    await app.page.goto(app.url);
    await app.page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 60_000 });
    await app.page.locator('.monaco-editor .view-lines').click();
    await app.page.keyboard.press('Control+End');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reports an unknown tool in the problems panel and jumps to it on click', async () => {
    await app.page.keyboard.type('\n\nforbid tool no_such_tool_xyz');
    const problem = app.page.locator('.problem-row', { hasText: 'no_such_tool_xyz' }).filter({ hasText: firstSample });
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.locator('.problem-code').textContent()).toBe('GH2001');
    await app.page.keyboard.press('Control+Home');
    await problem.click();
    const location = (await problem.locator('.problem-location').textContent()) ?? '';
    const [, line, column] = /:(\d+):(\d+)$/.exec(location) ?? [];
    expect(await app.page.locator('.editor-cursor').textContent()).toBe(`Ln ${line}, Col ${column}`);
  });

  it('offers completions from the language service', async () => {
    await app.page.keyboard.press('Control+End');
    await app.page.keyboard.type('\n\nper');
    await app.page.keyboard.press('Control+Space');
    const suggestions = app.page.locator('.suggest-widget .monaco-list-row');
    await suggestions.first().waitFor({ timeout: 30_000 });
    expect(await suggestions.allTextContents()).toContainEqual(expect.stringContaining('permit'));
    await app.page.keyboard.press('Escape');
  });

  it('shows hover documentation for a keyword', async () => {
    await app.page.locator('.view-line span span', { hasText: /^forbid$/ }).last().hover();
    const hover = app.page.locator('.monaco-hover:visible');
    await hover.first().waitFor({ timeout: 30_000 });
    expect((await hover.first().textContent())?.length).toBeGreaterThan(0);
  });

  it('throws no uncaught errors while editing', () => {
    expect(app.pageErrors).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
