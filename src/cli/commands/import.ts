// `gatehouse import <file>`: read a recorded trace in any supported format, say what was in it
// (format, sessions, tool calls, errors, what was skipped and why) and optionally write it out
// as the project's JSON Lines, which every other command reads.

import { resolve } from 'node:path';
import { formatImportDiagnostic, importStream, IMPORTERS, TRACE_FORMATS, writeJsonl, type ImportResult, type TraceFormat } from '../../traces/import';
import { IMPORT_DIAGNOSTICS } from '../../traces/import/diagnostics';
import { parseArgs } from '../args';
import { EXIT, type CliIo, type Command } from '../io';
import { plural } from '../replayTable';

const FORMATS: readonly string[] = ['auto', ...TRACE_FORMATS];
/** Diagnostics printed; the rest are counted. */
const MAX_DIAGNOSTICS = 50;
/** Sessions listed one per line; the rest are counted. */
const MAX_SESSIONS = 20;

export const importCommand: Command = {
  name: 'import',
  summary: 'read a recorded agent trace in any supported format; summarise it or write it as JSONL',
  usage: [
    `usage: gatehouse import <file> [--format ${FORMATS.join('|')}]`,
    '                        [--out <events.jsonl>] [--session <id>] [--agent <id>] [--json]',
    '',
    'Reads the trace incrementally, detects its format from the content (or takes --format), and',
    'prints a summary: the format and why, sessions, tool calls, calls recorded as failed, calls',
    'without a result, and the records skipped with the reason for each kind.',
    '',
    'Formats: ' + IMPORTERS.map((importer) => `${importer.format} (${importer.label})`).join(', ') + '.',
    '',
    'options:',
    '  --format <format>   read the file as this format instead of detecting it',
    '  --out <file>        write the events as Gatehouse JSON Lines (docs/formats.md)',
    '  --session <id>      put every event in this session',
    '  --agent <id>        attribute every tool call to this agent',
    '  --json              print the summary as one JSON object instead',
    '  -h, --help          show this help',
    '',
    'Diagnostics go to standard error as file:line: severity code: message (at $.json.path).',
    'Exit status: 0 when the trace was read with no errors (warnings allowed), 1 when a record',
    'could not be read or the file not at all (the good records are still written), 2 on wrong',
    'usage.',
  ].join('\n'),

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseArgs(args, {
      format: { type: 'string', value: FORMATS.join('|') },
      out: { type: 'string', short: 'o', value: 'events.jsonl' },
      session: { type: 'string', value: 'id' },
      agent: { type: 'string', value: 'id' },
      json: { type: 'boolean' },
    });
    const errors = [...parsed.errors];
    if (parsed.positionals.length !== 1) errors.push(parsed.positionals.length === 0 ? 'missing the trace file to import' : 'expected exactly one trace file');
    const format = parsed.options.get('format') ?? 'auto';
    if (typeof format === 'string' && !FORMATS.includes(format)) errors.push(`unknown format \`${format}\`: expected ${FORMATS.join(', ')}`);
    if (errors.length > 0) {
      io.stderr(`${errors.map((error) => `gatehouse import: ${error}`).join('\n')}\n\n${this.usage}\n`);
      return EXIT.usage;
    }
    const path = parsed.positionals[0]!;
    const out = parsed.options.get('out');
    const session = parsed.options.get('session');
    const agent = parsed.options.get('agent');

    let result: ImportResult;
    try {
      result = await importStream(io.readStream(resolve(io.cwd, path)), {
        file: path,
        format: format as TraceFormat | 'auto',
        ...(typeof session === 'string' ? { session } : {}),
        ...(typeof agent === 'string' ? { agent } : {}),
      });
    } catch (error) {
      io.stderr(`gatehouse import: cannot read \`${path}\`: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failed;
    }

    for (const d of result.diagnostics.slice(0, MAX_DIAGNOSTICS)) io.stderr(`${formatImportDiagnostic(d)}\n`);
    if (result.diagnostics.length > MAX_DIAGNOSTICS) io.stderr(`${path}: ... and ${plural(result.diagnostics.length - MAX_DIAGNOSTICS, 'more diagnostic')}\n`);

    if (typeof out === 'string') {
      try {
        await io.writeFile(resolve(io.cwd, out), writeJsonl(result.events));
      } catch (error) {
        io.stderr(`gatehouse import: cannot write \`${out}\`: ${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT.failed;
      }
    }
    if (parsed.options.get('json') === true) io.stdout(`${JSON.stringify(summaryRecord(result, typeof out === 'string' ? out : undefined))}\n`);
    else io.stdout(formatSummary(result, typeof out === 'string' ? out : undefined));
    return result.diagnostics.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok;
  },
};

function labelOf(format: TraceFormat): string {
  return IMPORTERS.find((importer) => importer.format === format)?.label ?? format;
}

/** What a skip code means, in a few words (the catalogue summary up to its first `;`). */
function skipReason(code: string): string {
  const def = Object.values(IMPORT_DIAGNOSTICS).find((d) => d.code === code);
  return def ? def.summary.split(';')[0]! : code;
}

function formatSummary(result: ImportResult, out: string | undefined): string {
  const lines: string[] = [];
  const { stats, detection } = result;
  if (result.format === undefined || detection === undefined) lines.push(`${result.file}: format not recognised`);
  else {
    const how = detection.requested ? 'as requested' : `detected: ${detection.reason}, confidence ${detection.confidence.toFixed(2)}`;
    lines.push(`${result.file}: ${labelOf(result.format)} (${how})`);
  }
  const userMessages = result.events.filter((event) => event.kind === 'user_message').length;
  lines.push(
    `  ${plural(result.sessions.length, 'session')}, ${plural(stats.toolCalls, 'tool call')} (${stats.errors} recorded as failed, ${stats.unpaired} without a result), ` +
      `${plural(userMessages, 'user message')}, ${plural(result.events.length, 'event')} from ${plural(stats.records, 'record')} (${formatSize(stats.bytes)})`,
  );
  for (const s of result.sessions.slice(0, MAX_SESSIONS)) {
    lines.push(`  session ${s.id}: ${plural(s.toolCalls, 'tool call')}, ${s.errors} failed, ${s.unpaired} unpaired, ${plural(s.events, 'event')}, ${s.clock === 'recorded' ? 'recorded times' : s.clock === 'synthetic' ? 'no recorded times (a synthetic clock, one second apart)' : 'some recorded times'}`);
  }
  if (result.sessions.length > MAX_SESSIONS) lines.push(`  ... and ${plural(result.sessions.length - MAX_SESSIONS, 'more session')}`);
  if (stats.skipped === 0) lines.push('  skipped: nothing');
  else {
    const reasons = Object.entries(stats.skippedByCode).map(([code, count]) => `${count} ${code} (${skipReason(code)})`);
    lines.push(`  skipped: ${plural(stats.skipped, 'record')}: ${reasons.join(', ')}`);
  }
  if (result.tools.length > 0) lines.push(`  tool definitions: ${result.tools.length}`);
  if (result.cancelled) lines.push('  cancelled before the end of the file');
  if (out !== undefined) lines.push(`  wrote ${plural(result.events.length, 'event')} to ${out}`);
  return `${lines.join('\n')}\n`;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return plural(bytes, 'byte');
}

function summaryRecord(result: ImportResult, out: string | undefined): Record<string, unknown> {
  return {
    file: result.file,
    format: result.format ?? null,
    detection: result.detection ?? null,
    sessions: result.sessions,
    stats: result.stats,
    tools: result.tools.length,
    diagnostics: result.diagnostics,
    cancelled: result.cancelled,
    ...(out !== undefined ? { out } : {}),
  };
}
