// The benchmark runner's contract: figures as they come, the JSON object last, failures and
// unknown group names reported through the exit code. Groups here are test doubles; nothing is timed.

import { describe, expect, it } from 'vitest';
import type { BenchGroup } from '../../bench/benchGroup';
import { runBenchmarks } from '../../bench/runner';

const fast: BenchGroup = {
  name: 'fast',
  description: 'reports one figure as it goes and returns another',
  targets: { 'fast.ratio': 2 },
  run: async (report) => {
    report?.('fast.ratio', 3);
    return { 'fast.ratio': 3, 'fast.ms': 1.5 };
  },
};
const broken: BenchGroup = {
  name: 'broken',
  description: 'throws',
  run: async () => {
    throw new Error('generated workspace has errors');
  },
};

async function run(args: string[]): Promise<{ code: number; lines: string[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runBenchmarks([fast, broken], args, { line: (text) => lines.push(text), error: (text) => errors.push(text) });
  return { code, lines, errors };
}

describe('the benchmark runner', () => {
  it('runs only the named groups and prints every figure once, with its target', async () => {
    const { code, lines } = await run(['--', 'fast']);
    expect(code).toBe(0);
    expect(lines.filter((line) => line.includes('fast.ratio'))).toHaveLength(2); // its line and the JSON
    expect(lines.find((line) => line.trim().startsWith('fast.ratio'))).toContain('target ≤ 2: MISSED');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ 'fast.ratio': 3, 'fast.ms': 1.5 });
  });

  it('ends with the JSON line and exits with 1 when a group throws', async () => {
    const { code, lines } = await run([]);
    expect(code).toBe(1);
    expect(JSON.parse(lines.at(-1)!)).toEqual({ 'fast.ratio': 3, 'fast.ms': 1.5, 'broken.error': 1 });
    expect(lines.some((line) => line.includes('generated workspace has errors'))).toBe(true);
  });

  it('refuses an unknown group name with exit code 2, listing the groups', async () => {
    const { code, lines, errors } = await run(['fats']);
    expect(code).toBe(2);
    expect(lines).toEqual([]);
    expect(errors.join('\n')).toContain('groups are: fast, broken');
  });
});
