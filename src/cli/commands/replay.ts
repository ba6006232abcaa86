// `gatehouse replay --policy <path> --trace <path>...`: decide every event of recorded traces
// against a policy, as the production enforcer would have, and show what it would have done.

import { resolve } from 'node:path';
import type { ReplayOptions } from '../../engine/api';
import { compilePolicy } from '../../engine/compile';
import { createEngine } from '../../engine/engine';
import { formatDiagnostic } from '../../language/text';
import { formatImportDiagnostic, importText, TRACE_FORMATS, type TraceFormat } from '../../traces/import';
import { parseArgs } from '../args';
import { EXIT, type CliIo, type Command } from '../io';
import { decisionRecord, formatSummary, formatTable, plural, summarizeRows, TABLE_WIDTH, type ReplayRow, type TraceSummary } from '../replayTable';
import { loadGateFiles } from '../workspaceFiles';

const FORMATS: readonly string[] = ['auto', ...TRACE_FORMATS];
const APPROVALS: readonly string[] = ['approve', 'reject'];
/** Trace files a directory given to `--trace` contributes. */
const TRACE_FILE = /\.(json|jsonl)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist']);
/** Usage text stays within this many columns. */
const USAGE_WIDTH = 94;
/** Problems printed per trace; the rest are counted. */
const MAX_PROBLEMS = 20;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'decide every event of recorded agent traces against a policy',
  usage: [
    'usage: gatehouse replay --policy <path> --trace <path>... [--format auto|<format>]',
    '                        [--approvals approve|reject] [--json]',
    '',
    'Compiles the policy (a .gate file with its imports, or every .gate file under a directory)',
    'and decides each tool call of each trace in order, with session state, as an enforcer would.',
    'Prints a table per trace (seq, tool, effect, deciding rules, first reason) and a summary:',
    'events, allowed, denied, held for approval, and the first blocked call.',
    '',
    'options:',
    '  --policy <path>       the policy: a .gate file or a directory of them',
    '  --trace <path>...     trace files, or directories searched for .json/.jsonl files; repeat',
    '                        --trace or list several paths after it',
    '  --format <format>     auto (default: detected from the content) or one of',
    ...wrapList(TRACE_FORMATS, '                        '),
    '                        (`gatehouse import --help` says what each is; docs/formats.md)',
    '  --approvals <mode>    approval-required calls are assumed rejected (default: they do not run',
    '                        and session state does not advance) or approved (they run)',
    '  --json                one JSON object per decided call instead: trace, session, seq, tool,',
    '                        effect (allow|deny|approval), rules (deciding rule ids), reasons, ...',
    '  -h, --help            show this help',
    '',
    'Records that cannot be read are reported on standard error as file:line and skipped.',
    'Exit status: 0 when the replay ran (whatever it decided), 1 when the policy has errors or a',
    'trace cannot be read, 2 on wrong usage.',
  ].join('\n'),

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const usageError = (errors: readonly string[]): number => {
      io.stderr(`${errors.map((error) => `gatehouse replay: ${error}`).join('\n')}\n\n${this.usage}\n`);
      return EXIT.usage;
    };
    const split = takeRepeated(args, 'trace');
    const parsed = parseArgs(split.rest, {
      policy: { type: 'string', value: 'path' },
      format: { type: 'string', value: FORMATS.join('|') },
      approvals: { type: 'string', value: APPROVALS.join('|') },
      json: { type: 'boolean' },
    });
    const errors = [...split.errors, ...parsed.errors];
    const policy = parsed.options.get('policy');
    const format = parsed.options.get('format') ?? 'auto';
    const approvals = parsed.options.get('approvals') ?? 'reject';
    const traces = [...split.values, ...parsed.positionals];
    if (typeof policy !== 'string' && !errors.some((error) => error.includes('--policy'))) errors.push('missing `--policy <path>`');
    if (traces.length === 0 && !errors.some((error) => error.includes('--trace'))) errors.push('missing `--trace <path>`');
    if (typeof format === 'string' && !FORMATS.includes(format)) errors.push(`unknown format \`${format}\`: expected ${FORMATS.join(', ')}`);
    if (typeof approvals === 'string' && !APPROVALS.includes(approvals)) errors.push(`\`--approvals\` is \`approve\` or \`reject\`, not \`${approvals}\``);
    if (errors.length > 0 || typeof policy !== 'string') return usageError(errors);
    const json = parsed.options.get('json') === true;
    // Explanations (facts, conditions) only go into the JSON records; the table shows reasons.
    const options: ReplayOptions = { approvals: approvals as ReplayOptions['approvals'], explain: json };

    // The policy: every .gate file under the path, with their imports; compiled as one.
    const loaded = await loadGateFiles([policy], io);
    for (const error of loaded.errors) io.stderr(`gatehouse replay: ${error}\n`);
    if (loaded.errors.length > 0 || loaded.files.size === 0) return EXIT.failed;
    const compiled = compilePolicy(loaded.files);
    if (!compiled.value) {
      for (const d of compiled.diagnostics) {
        if (d.severity === 'error') io.stderr(`${formatDiagnostic(d, loaded.files.get(d.file!) ?? '', d.file ?? policy)}\n`);
      }
      const count = compiled.diagnostics.filter((d) => d.severity === 'error').length;
      io.stderr(`gatehouse replay: the policy has ${plural(count, 'error')}; nothing was replayed\n`);
      return EXIT.failed;
    }
    const engine = createEngine(compiled.value, options);

    let failed = false;
    const totals: TraceSummary[] = [];
    const files = await expandTraces(traces, io);
    for (const missing of files.errors) {
      io.stderr(`gatehouse replay: ${missing}\n`);
      failed = true;
    }
    if (!json) {
      io.stdout(wrapClauses(`policy ${policy}: ${plural(loaded.files.size, 'file')}, ${compiled.value.policyHash}; approvals assumed ${options.approvals === 'approve' ? 'approved' : 'rejected'}`, ''));
    }
    for (const { path: trace, found } of files.paths) {
      let text: string;
      try {
        text = await io.readFile(resolve(io.cwd, trace));
      } catch (error) {
        io.stderr(`gatehouse replay: cannot read \`${trace}\`: ${error instanceof Error ? error.message : String(error)}\n`);
        failed = true;
        continue;
      }
      // Each event is decided as soon as it is read (the import keeps none of them).
      engine.reset();
      const rows: ReplayRow[] = [];
      let events = 0;
      const read = importText(text, {
        file: trace,
        format: format as TraceFormat | 'auto',
        onEvent: (event) => {
          events++;
          const decision = engine.decide(event);
          if (event.kind === 'tool_call' && decision) rows.push({ event, decision });
        },
      });
      const problems = read.diagnostics.filter((d) => d.severity !== 'info').map(formatImportDiagnostic);
      if (found && events === 0 && problems.length > 0) {
        // A file a directory search turned up that is no trace (a tool list, say): not an error.
        io.stderr(`gatehouse replay: skipped \`${trace}\`: not a trace (${problems[0]})\n`);
        continue;
      }
      for (const problem of problems.slice(0, MAX_PROBLEMS)) io.stderr(`${problem}\n`);
      if (problems.length > MAX_PROBLEMS) io.stderr(`${trace}: ... and ${problems.length - MAX_PROBLEMS} more problems\n`);
      if (events === 0 && problems.length > 0) {
        io.stderr(`gatehouse replay: no events could be read from \`${trace}\`${read.format ? ` (as ${read.format})` : ''}\n`);
        failed = true;
        continue;
      }
      const summary = summarizeRows(events, rows);
      totals.push(summary);
      if (json) {
        for (const row of rows) io.stdout(`${JSON.stringify(decisionRecord(trace, row))}\n`);
        continue;
      }
      io.stdout(`\n${trace} (${read.format})\n`);
      if (rows.length > 0) io.stdout(`${formatTable(rows, TABLE_WIDTH - 2).map((line) => `  ${line}`.trimEnd()).join('\n')}\n`);
      io.stdout(wrapClauses(formatSummary(summary), '  '));
    }
    if (!json && totals.length > 1) {
      const sum = (key: 'events' | 'toolCalls' | 'allowed' | 'denied' | 'held') => totals.reduce((total, summary) => total + summary[key], 0);
      const blocked = totals.filter((summary) => summary.firstBlocked).length;
      const total =
        `total: ${plural(totals.length, 'trace')}, ${plural(sum('events'), 'event')}, ${plural(sum('toolCalls'), 'tool call')}: ` +
        `${sum('allowed')} allowed, ${sum('denied')} denied, ${sum('held')} held for approval; ` +
        `${blocked} of ${plural(totals.length, 'trace')} with a blocked call`;
      io.stdout(`\n${wrapClauses(total, '')}`);
    }
    return failed ? EXIT.failed : EXIT.ok;
  },
};

/** Words as comma-separated lines, each at most the usage width, indented. */
function wrapList(words: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [i, word] of words.entries()) {
    const piece = `${word}${i < words.length - 1 ? ',' : ''}`;
    if (line !== '' && indent.length + line.length + 1 + piece.length > USAGE_WIDTH) {
      lines.push(`${indent}${line}`);
      line = '';
    }
    line = line === '' ? piece : `${line} ${piece}`;
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
}

/** A `;`-separated line, indented, with clauses moved to lines of their own while it is too wide. */
function wrapClauses(line: string, indent: string): string {
  const lines: string[] = [];
  let rest = line;
  while (indent.length + rest.length > TABLE_WIDTH) {
    const cut = rest.lastIndexOf('; ', TABLE_WIDTH - indent.length);
    if (cut <= 0) break;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut + 2);
  }
  lines.push(rest);
  return lines.map((text) => `${indent}${text}\n`).join('');
}

/**
 * Takes every `--name value` and `--name=value` out of `args` (before a `--`), so an option may
 * repeat; the rest goes to the ordinary parser.
 */
export function takeRepeated(args: readonly string[], name: string): { values: string[]; rest: string[]; errors: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  const errors: string[] = [];
  const flag = `--${name}`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg.startsWith(`${flag}=`)) {
      const value = arg.slice(flag.length + 1);
      if (value === '') errors.push(`\`${flag}\` needs a value (path)`);
      else values.push(value);
    } else if (arg === flag) {
      const value = args[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-')) errors.push(`\`${flag}\` needs a value (path)`);
      else {
        values.push(value);
        i++;
      }
    } else rest.push(arg);
  }
  return { values, rest, errors };
}

/** Trace paths as given; directories become the trace files under them (`found`), sorted. */
async function expandTraces(paths: readonly string[], io: CliIo): Promise<{ paths: { path: string; found: boolean }[]; errors: string[] }> {
  const seen = new Set<string>();
  const expanded: { path: string; found: boolean }[] = [];
  const errors: string[] = [];
  const add = (path: string, found: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    expanded.push({ path, found });
  };
  for (const path of paths) {
    if (!(await io.isDirectory(resolve(io.cwd, path)))) {
      add(path, false);
      continue;
    }
    const inside = await traceFilesUnder(path, io);
    if (inside.length === 0) errors.push(`no .json or .jsonl trace files in \`${path}\``);
    for (const file of inside) add(file, true);
  }
  return { paths: expanded, errors };
}

async function traceFilesUnder(directory: string, io: CliIo): Promise<string[]> {
  const found: string[] = [];
  const entries = (await io.listDirectory(resolve(io.cwd, directory))).sort((a, b) => compareNames(a.name, b.name));
  const base = directory.replace(/\/+$/, '');
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = `${base}/${entry.name}`;
    if (entry.directory) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await traceFilesUnder(path, io)));
    } else if (TRACE_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** Names in natural order, so `user_task_2` comes before `user_task_10`. */
function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
