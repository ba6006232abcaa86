import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CWD, run } from './fakeIo';

const messy = 'tool   t {args{a:string}}\n# keep me\npermit tool t   when args.a ~ "x*"   # and me\n';

describe('gatehouse fmt', () => {
  test('--check lists a file that is not formatted and exits 1 without touching it', async () => {
    const result = await run(['fmt', '--check', 'p.gate'], { 'p.gate': messy });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('p.gate: not formatted\n0 of 1 files formatted\n');
    expect(result.disk.get(resolve(CWD, 'p.gate'))).toBe(messy);
  });

  test('--write rewrites it in the canonical layout, keeping comments, and then --check passes', async () => {
    const written = await run(['fmt', '--write', 'p.gate'], { 'p.gate': messy });
    expect(written.code).toBe(0);
    const text = written.disk.get(resolve(CWD, 'p.gate'))!;
    expect(text).toContain('# keep me');
    expect(text).toContain('# and me');
    expect(text).toContain('tool t {');
    const checked = await run(['fmt', '--check', 'p.gate'], { 'p.gate': text });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toBe('1 of 1 files formatted\n');
  });

  test('a file with syntax errors is left unchanged and its errors are printed', async () => {
    const broken = 'tool t { args { a: } }\n';
    const result = await run(['fmt', '--write', 'b.gate'], { 'b.gate': broken });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('b.gate:1:20: error GH1005:');
    expect(result.disk.get(resolve(CWD, 'b.gate'))).toBe(broken);
  });

  test('exactly one of --check and --write is required', async () => {
    expect((await run(['fmt', 'p.gate'], { 'p.gate': messy })).code).toBe(2);
    expect((await run(['fmt', '--check', '--write', 'p.gate'], { 'p.gate': messy })).code).toBe(2);
  });
});
