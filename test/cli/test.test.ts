// `gatehouse test`: runs the test blocks beside the policies and reports per test, as text or
// JUnit XML, with the exit status CI systems read.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from './fakeIo';

const ROOT = resolve(__dirname, '../..');

const CATALOG = 'tool read_report { args { path: string } labels [read] }\ntool delete_report { args { path: string } labels [write] }\nagent "reporter" {}\n';
const POLICY = `${CATALOG}permit tool read_report for agent "reporter" id reads\n`;

const passing = `${POLICY}
test "the reporter reads" {
  agent "reporter"
  call read_report { path: "q1.pdf" } expect allow rule reads
}
`;

const failing = `${POLICY}
test "the reporter may not read" {
  agent "reporter"
  call read_report { path: "q1.pdf" } expect deny
}
`;

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`\`${needle}\` is not in the text`);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** Every file under `directory`, keyed by its path relative to the project root. */
function readTree(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) Object.assign(files, readTree(path));
    else files[relative(ROOT, path)] = readFileSync(path, 'utf8');
  }
  return files;
}

describe('gatehouse test', () => {
  test('a passing test prints `pass  <file>: <name>` and the count, and exits 0', async () => {
    const result = await run(['test', 'ws'], { 'ws/policy.gate': passing });
    expect(result.stdout).toBe('pass  ws/policy.gate: the reporter reads\n1 passed, 0 failed\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('a failing expectation prints FAIL with file:line:col and what was expected, and exits 1', async () => {
    const result = await run(['test', 'ws/policy.gate'], { 'ws/policy.gate': failing });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('FAIL  ws/policy.gate: the reporter may not read');
    expect(lines[1]).toMatch(new RegExp(`^ {6}ws/policy\\.gate:${position(failing, 'expect deny')}: .*expected deny, got allow`));
    expect(lines[1]).toContain('`read_report`');
    expect(result.stdout).toMatch(/^0 passed, 1 failed$/m);
    expect(result.code).toBe(1);
  });

  test('passing and failing tests across files are counted together', async () => {
    const result = await run(['test', 'ws'], { 'ws/a.gate': passing, 'ws/b.gate': failing });
    expect(result.stdout).toContain('pass  ws/a.gate: the reporter reads\n');
    expect(result.stdout).toContain('FAIL  ws/b.gate: the reporter may not read\n');
    expect(result.stdout.endsWith('1 passed, 1 failed\n')).toBe(true);
    expect(result.code).toBe(1);
  });

  test('--reporter junit prints a JUnit XML report with a <failure> per failed test', async () => {
    const tricky = failing.replace('the reporter may not read', 'reads <q1> & \\"q2\\"'); // escaped quotes in .gate
    const result = await run(['test', '--reporter', 'junit', 'ws'], { 'ws/a.gate': passing, 'ws/b.gate': tricky });
    const xml = result.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(xml).toMatch(/<testsuite name="gatehouse" tests="2" failures="1">/);
    expect(xml).toContain('<testcase classname="ws/a.gate" name="the reporter reads"/>');
    expect(xml).toContain('<testcase classname="ws/b.gate" name="reads &lt;q1&gt; &amp; &quot;q2&quot;">');
    expect(xml).toMatch(new RegExp(`<failure message="[^"<]*expected deny, got allow[^"<]*">ws/b\\.gate:${position(tricky, 'expect deny')}: [^<]*</failure>`));
    // well formed enough for a CI parser: every element opened is closed, in order
    const stack: string[] = [];
    for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (closing) expect(stack.pop(), `</${name}>`).toBe(name);
      else if (!selfClosing) stack.push(name!);
    }
    expect(stack).toEqual([]);
    expect(result.code).toBe(1);
  });

  test('a policy with check errors fails its tests, prints the errors and exits 1', async () => {
    const broken = `${CATALOG}permit tool read_reprot\n\ntest "never runs" {\n  agent "reporter"\n  call read_report { path: "x" } expect allow\n}\n`;
    const result = await run(['test', 'ws'], { 'ws/policy.gate': broken });
    expect(result.stdout).toContain('FAIL  ws/policy.gate: never runs\n');
    expect(result.stdout).toContain('the policy has errors, so the test cannot run');
    expect(result.stdout.endsWith('0 passed, 1 failed\n')).toBe(true);
    expect(result.stderr).toContain(`ws/policy.gate:${position(broken, 'read_reprot')}: error GH2001:`);
    expect(result.code).toBe(1);
  });

  test('wrong usage exits 2', async () => {
    expect((await run(['test'])).code).toBe(2);
    expect((await run(['test', '--reporter', 'tap', 'ws'], { 'ws/policy.gate': passing })).code).toBe(2);
  });

  test('every test of the real samples/ passes', async () => {
    const files = readTree(resolve(ROOT, 'samples'));
    const declared = Object.entries(files)
      .filter(([path]) => path.endsWith('.gate'))
      .reduce((count, [, text]) => count + (text.match(/^test "/gm)?.length ?? 0), 0);
    expect(declared).toBeGreaterThan(0);
    const result = await run(['test', 'samples/'], files);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('FAIL'))).toEqual([]);
    expect(result.stdout).toMatch(new RegExp(`^${declared} passed, 0 failed$`, 'm'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
