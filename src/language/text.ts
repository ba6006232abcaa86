// Offsets → line and column, for the edges that show positions to people (CLI output, editors).
// Everything inside the language works on offsets; these helpers are the only translation.

import type { Diagnostic } from './diagnostics';

/** A 1-based line and column. Columns count UTF-16 code units, as editors and offsets do. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** Offsets at which each line starts. Lines end at `\n`, `\r\n` or a lone `\r`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The line and column of `offset` in `text` (clamped into the text). */
export function lineColumn(text: string, offset: number): LineColumn {
  return lineColumnIn(cachedLineStarts(text), text.length, offset);
}

// The last text's line table, so printing many diagnostics of one file stays linear.
let cached: { text: string; starts: number[] } | undefined;
function cachedLineStarts(text: string): number[] {
  if (cached?.text !== text) cached = { text, starts: lineStarts(text) };
  return cached.starts;
}

/** Like `lineColumn`, for many offsets in one text: computes the line table once. */
export function createLineIndex(text: string): (offset: number) => LineColumn {
  const starts = lineStarts(text);
  return (offset) => lineColumnIn(starts, text.length, offset);
}

function lineColumnIn(starts: readonly number[], length: number, offset: number): LineColumn {
  const position = Number.isFinite(offset) ? Math.max(0, Math.min(Math.trunc(offset), length)) : 0;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= position) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: position - starts[low]! + 1 };
}

/** `path:line:col: severity code: message`, the one-line form compilers print. */
export function formatDiagnostic(d: Diagnostic, fileText: string, path: string): string {
  const { line, column } = lineColumn(fileText, d.span.start);
  return `${path}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`;
}
