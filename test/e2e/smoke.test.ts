// Smoke test of the built app in a real browser: the studio opens on the sample workspace,
// Monaco shows the policy, and nothing breaks the strict Content-Security-Policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppHarness } from './browser';

describe('the built app in Chromium', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await openApp();
    await app.page.goto(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens the sample policy in the Monaco editor', async () => {
    const lines = app.page.locator('.monaco-editor .view-lines');
    await lines.filter({ hasText: 'forbid tool send_money' }).waitFor({ timeout: 60_000 });
    await expect(app.page.locator('.editor-path').textContent()).resolves.toBe('payroll/policy.gate');
    await app.screenshot('smoke');
  });

  it('lists the sample files in the workspace panel', async () => {
    const files = await app.page.locator('.file-list .file-entry').allTextContents();
    expect(files).toContain('policy.gate');
  });

  it('highlights the policy with the gate tokenizer', async () => {
    const colorOf = (text: RegExp) =>
      app.page
        .locator('.view-line span span', { hasText: text })
        .first()
        .evaluate((element) => getComputedStyle(element).color);
    const keyword = await colorOf(/^forbid$/);
    const string = await colorOf(/^"payroll-validator"$/);
    const name = await colorOf(/send_money/);
    expect(new Set([keyword, string, name]).size).toBe(3);
  });

  it('throws no uncaught errors and violates no Content-Security-Policy', () => {
    expect(app.pageErrors).toEqual([]);
    expect(app.consoleErrors.filter((text) => /Content.Security.Policy|Refused to/i.test(text))).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
});
