// The real `gatehouse` executable (bin/gatehouse.mjs through tsx), run as a user runs it.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const exec = promisify(execFile);

async function gatehouse(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [join(ROOT, 'bin/gatehouse.mjs'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the gatehouse executable', { timeout: 60_000 }, () => {
  test('every sample checks without errors', async () => {
    const result = await gatehouse('check', 'samples/');
    expect(result.stdout).toMatch(/checked \d+ files: 0 errors/);
    expect(result.code).toBe(0);
  });

  test('every sample is in the canonical layout', async () => {
    const result = await gatehouse('fmt', '--check', 'samples/');
    expect(result.stdout).toMatch(/^(\d+) of \1 files formatted$/m);
    expect(result.code).toBe(0);
  });

  test('a file with errors prints each with its line and column and exits non-zero', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'gatehouse-'));
    const file = join(directory, 'broken.gate');
    writeFileSync(file, 'tool send_money { args { amount: number } }\n\npermit tool send_mony\nforbid tool send_money when args.amount > "x"\n');
    const result = await gatehouse('check', file);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n').filter((line) => line.includes(': error '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${file}:3:13: error GH2001: unknown tool \`send_mony\`: not in the catalog`);
    expect(lines[1]).toBe(`${file}:4:41: error GH2020: \`>\` compares numbers (or strings), not a number with a string`);
  });

  test('the GitHub MCP catalog imports into a catalog that checks clean', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'gatehouse-'));
    const out = join(directory, 'github.gate');
    const result = await gatehouse('catalog', 'import', resolve(ROOT, '../shared/datasets/mcp-tools/github-mcp-server.tools-list.json'), '--out', out);
    expect(result.code).toBe(0);
    const checked = await gatehouse('check', out);
    expect(checked.stdout).toMatch(/0 errors/);
    expect(checked.code).toBe(0);
  });
});
