// Runs benchmark groups and prints their figures: a line per figure as it is measured, then, as
// the very last line, one JSON object of all figures. Separate from `run.ts` so it can be tested.

import type { BenchGroup } from './benchGroup';

/** Where output goes: `line` for figures and the JSON, `error` for usage errors. */
export interface RunnerOutput {
  line(text: string): void;
  error(text: string): void;
}

/**
 * Runs the groups named in `args` (all when none); the process exit code. An unknown name is a
 * usage error (2, nothing run); a group that throws adds `"<group>.error": 1` and gives 1.
 */
export async function runBenchmarks(groups: readonly BenchGroup[], args: readonly string[], output: RunnerOutput): Promise<number> {
  const names = args.filter((arg) => arg !== '--');
  const unknown = names.filter((name) => !groups.some((group) => group.name === name));
  if (unknown.length > 0) {
    output.error(`unknown benchmark group ${unknown.map((name) => `\`${name}\``).join(', ')}; groups are: ${groups.map((group) => group.name).join(', ')}`);
    return 2;
  }
  const selected = names.length === 0 ? groups : groups.filter((group) => names.includes(group.name));
  const figures: Record<string, number> = {};
  let failed = false;
  for (const group of selected) {
    output.line(`${group.name}: ${group.description}`);
    const printed = new Set<string>();
    const report = (name: string, value: number): void => {
      printed.add(name);
      output.line(describeFigure(group, name, value));
    };
    try {
      const result = await group.run(report);
      for (const [name, value] of Object.entries(result)) {
        figures[name] = value;
        if (!printed.has(name)) report(name, value);
      }
    } catch (error) {
      failed = true;
      figures[`${group.name}.error`] = 1;
      output.line(`  ${group.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  output.line(JSON.stringify(figures));
  return failed ? 1 : 0;
}

function describeFigure(group: BenchGroup, name: string, value: number): string {
  const target = group.targets?.[name];
  const verdict = target === undefined ? '' : `   (target ≤ ${target}: ${value <= target ? 'ok' : 'MISSED'})`;
  return `  ${name.padEnd(34)} ${String(value).padStart(10)}${verdict}`;
}
