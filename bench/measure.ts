// Timing helpers: warm up, then take the median of several timed runs (robust to GC pauses).

export interface Timing {
  readonly median: number;
  readonly samples: readonly number[];
}

/** Milliseconds one call of `task` takes. */
export function timeOnce(task: () => unknown): number {
  const start = performance.now();
  task();
  return performance.now() - start;
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Times several tasks in interleaved rounds (so drift in machine speed hits all alike), after
 * `warmup` untimed rounds; each task's median over `runs` rounds.
 */
export function measureInterleaved<K extends string>(tasks: Readonly<Record<K, () => unknown>>, runs: number, warmup = 2): Record<K, Timing> {
  const names = Object.keys(tasks) as K[];
  const run = (name: K): number => timeOnce(tasks[name]);
  for (let i = 0; i < warmup; i++) for (const name of names) run(name);
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as unknown as Record<K, number[]>;
  for (let i = 0; i < runs; i++) for (const name of names) samples[name].push(run(name));
  return Object.fromEntries(names.map((name) => [name, { median: median(samples[name]), samples: samples[name] }])) as unknown as Record<K, Timing>;
}

/** Rounds a figure for printing and for the JSON line. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
