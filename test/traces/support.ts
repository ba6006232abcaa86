// Test helpers for trace import: a whole text through the real driver, with diagnostics in the
// short `file:line: message` form older assertions use.
import { importText, type ImportOptions, type ImportResult, type TraceFormat } from '../../src/traces/import';
import type { ToolCallEvent, TraceEvent } from '../../src/traces/event';

export interface Read {
  readonly result: ImportResult;
  readonly events: TraceEvent[];
  /** Warnings and errors as `file:line: message` (infos left out). */
  readonly problems: string[];
}

export function read(text: string, file: string, format: TraceFormat | 'auto' = 'auto', options: Partial<ImportOptions> = {}): Read {
  const result = importText(text, { file, format, ...options });
  const problems = result.diagnostics.filter((d) => d.severity !== 'info').map((d) => (d.line === undefined ? `${d.file}: ${d.message}` : `${d.file}:${d.line}: ${d.message}`));
  return { result, events: result.events, problems };
}

/** The diagnostics as `code line path` strings, for asserting where each one points. */
export function codes(result: ImportResult): string[] {
  return result.diagnostics.map((d) => [d.code, d.line ?? '-', d.path ?? '-'].join(' '));
}

/** The tool calls among the events. */
export function toolCalls(events: readonly TraceEvent[]): ToolCallEvent[] {
  return events.filter((event): event is ToolCallEvent => event.kind === 'tool_call');
}

/** The diagnostics as `code line path` strings (`-` for what is absent). */
export function where(result: ImportResult): string[] {
  return result.diagnostics.map((d) => `${d.code} ${d.line ?? '-'} ${d.path ?? '-'}`);
}
