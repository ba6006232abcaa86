import { describe, expect, test } from 'vitest';
import { run } from './fakeIo';

const catalog = 'tool send_money { args { recipient: string, amount: number } labels [payment] }\n';

describe('gatehouse check', () => {
  test('a clean workspace exits 0 and says so', async () => {
    const result = await run(['check', 'ws'], {
      'ws/catalog.gate': catalog,
      'ws/policy.gate': 'import "./catalog.gate"\npermit tool send_money when args.amount <= 100\n',
    });
    expect(result.stdout).toBe('checked 2 files: 0 errors, 0 warnings\n');
    expect(result.code).toBe(0);
  });

  test('each error prints as file:line:col with its code, and the exit status is 1', async () => {
    const result = await run(['check', 'ws/policy.gate'], {
      'ws/catalog.gate': catalog,
      'ws/policy.gate': 'import "./catalog.gate"\n\npermit tool send_mony\nforbid tool send_money when args.amont > 5\n',
    });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      'ws/policy.gate:3:13: error GH2001: unknown tool `send_mony`: not in the catalog',
      '  help: did you mean `send_money`?',
      'ws/policy.gate:4:34: error GH2007: `send_money` has no argument `amont`',
      '  help: did you mean `amount`?',
      'checked 1 file: 2 errors, 0 warnings',
    ]);
  });

  test('imported files are loaded for scope but only named files are reported', async () => {
    const result = await run(['check', 'ws/policy.gate'], {
      'ws/catalog.gate': `${catalog}permit tool nope\n`,
      'ws/policy.gate': 'import "./catalog.gate"\npermit tool send_money\n',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('checked 1 file: 0 errors, 0 warnings\n');
  });

  test('syntax errors carry the line and column of the offending token', async () => {
    const result = await run(['check', 'bad.gate'], { 'bad.gate': 'tool t {\n  args { a: }\n}\n' });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe('bad.gate:2:13: error GH1005: expected a type (string, number, int, bool, object, any, list<...> or literal values), found `}`');
  });

  test('warnings alone exit 0', async () => {
    const result = await run(['check', 'w.gate'], { 'w.gate': `${catalog}permit tool get_*\n` });
    expect(result.stdout).toContain('w.gate:2:13: warning GH2002:');
    expect(result.code).toBe(0);
  });

  test('--json prints one object per diagnostic', async () => {
    const result = await run(['check', '--json', 'w.gate'], { 'w.gate': 'permit tool x\n' });
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ file: 'w.gate', line: 1, column: 13, code: 'GH2001', severity: 'error' });
  });

  test('a missing path is an error; no path is a usage error', async () => {
    expect((await run(['check', 'missing.gate'])).code).toBe(1);
    expect((await run(['check'])).code).toBe(2);
  });
});
