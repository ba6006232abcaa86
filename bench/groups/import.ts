// The `import` benchmark: a generated 100 MB JSON Lines trace read by the streaming importer
// (bytes in 1 MB chunks, decoded, split, parsed, checked, events built), against the plain
// reference of JSON.parse on every line of the same, already decoded, text. Both in one run,
// interleaved. Then the peak memory of importing that file from disk in a fresh process.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importStream, type ImportResult } from '../../src/traces/import';
import type { BenchGroup, FigureReporter } from '../benchGroup';
import { generateImportTrace } from '../importWorkload/trace';
import { median, round } from '../measure';

const MEGABYTES = 100;
const CHUNK = 1 << 20;
const RUNS = 3;

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += CHUNK) yield bytes.subarray(start, start + CHUNK);
}

async function runImport(report?: FigureReporter): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const figure = (name: string, value: number, digits = 2): void => {
    figures[name] = round(value, digits);
    report?.(name, figures[name]!);
  };
  const trace = generateImportTrace(MEGABYTES);
  figure('import.mb', trace.bytes.length / 1e6, 1);
  figure('import.lines', trace.lines, 0);

  let sink = 0;
  const jsonParse = (): void => {
    const { text } = trace;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      sink += (JSON.parse(text.slice(start, end)) as { seq: number }).seq;
      start = end + 1;
    }
  };
  // The same, keeping every parsed value (as an import keeps its events): the reference with
  // the same memory to hold, reported beside the plain one.
  const jsonParseKept = (): void => {
    const { text } = trace;
    const kept: unknown[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      kept.push(JSON.parse(text.slice(start, end)));
      start = end + 1;
    }
    sink += kept.length;
  };
  let last: ImportResult | undefined;
  const importAll = async (): Promise<void> => {
    last = await importStream(chunksOf(trace.bytes), { file: 'bench.jsonl' });
    sink += last.events.length;
    last = undefined; // let the events go before the next task runs
  };
  // Interleaved rounds after one warm-up of each, the median of each (robust to GC pauses).
  jsonParse();
  await importAll();
  jsonParseKept();
  const parseMs: number[] = [];
  const keptMs: number[] = [];
  const importMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let start = performance.now();
    jsonParse();
    parseMs.push(performance.now() - start);
    start = performance.now();
    jsonParseKept();
    keptMs.push(performance.now() - start);
    start = performance.now();
    await importAll();
    importMs.push(performance.now() - start);
  }
  const check = await importStream(chunksOf(trace.bytes), { file: 'bench.jsonl' });
  if (check.events.length !== trace.lines || check.diagnostics.length > 0) {
    throw new Error(`the benchmark trace did not import cleanly: ${check.events.length} of ${trace.lines} events, ${check.diagnostics.length} diagnostics`);
  }
  figure('import.json_parse_ms', median(parseMs), 0);
  figure('import.import_ms', median(importMs), 0);
  figure('import.mb_per_s', trace.bytes.length / 1e6 / (median(importMs) / 1000), 1);
  figure('import.vs_json_parse', median(importMs) / median(parseMs));
  figure('import.json_parse_kept_ms', median(keptMs), 0);
  figure('import.vs_json_parse_kept', median(importMs) / median(keptMs));

  // Peak memory of a fresh process importing the file from disk.
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-import-'));
  try {
    const file = join(dir, 'trace.jsonl');
    writeFileSync(file, trace.bytes);
    const script = fileURLToPath(new URL('../importWorkload/peakRss.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', script, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const measured = JSON.parse(output.trim().split('\n').at(-1)!) as { peakRssMb: number; events: number };
    if (measured.events !== trace.lines) throw new Error(`the peak-memory run imported ${measured.events} of ${trace.lines} events`);
    figure('import.peak_rss_mb', measured.peakRssMb, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (sink === 0) throw new Error('no work was observed');
  return figures;
}

export const importGroup: BenchGroup = {
  name: 'import',
  description: 'a generated 100 MB JSONL trace: streaming import against JSON.parse of every line; peak memory importing it from disk',
  targets: { 'import.vs_json_parse': 2, 'import.peak_rss_mb': 400 },
  run: runImport,
};
