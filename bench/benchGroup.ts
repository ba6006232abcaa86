// The shape of a benchmark group: a named set of figures that `bench/run.ts` runs and prints.

/** Called by a group for each figure as soon as it is measured, so the runner can print it. */
export type FigureReporter = (name: string, value: number) => void;

export interface BenchGroup {
  /** Short name used on the command line (`npm run bench -- lang`) and as the figures' prefix. */
  readonly name: string;
  readonly description: string;
  /** Upper bounds some figures should stay under, printed next to them. */
  readonly targets?: Readonly<Record<string, number>>;
  /** Measures the group's figures, named `<group>.<figure>`. */
  run(report?: FigureReporter): Promise<Record<string, number>>;
}
