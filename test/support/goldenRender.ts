// Renders diagnostics the way golden `.expected` files show them: the source, and under each line
// every diagnostic that starts on it, as `~~~` under its span (`^` for an empty span) followed by
// `code severity: message`, `help: ...` and `related: ...`. Pure and deterministic: the same
// text and diagnostics always give the same string.

import type { Diagnostic } from '../../src/language/diagnostics';
import { lineStarts } from '../../src/language/text';

/** One file of a golden: its workspace path, its text and the diagnostics located in it. */
export interface GoldenFile {
  readonly path: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Renders one file's text with its diagnostics under the lines they start on. */
export function renderDiagnostics(
  text: string,
  diagnostics: readonly Diagnostic[],
  /** The text of another workspace file, to show positions of related information there. */
  textOf: (path: string) => string | undefined = () => undefined,
): string {
  const starts = lineStarts(text);
  const byLine = new Map<number, Diagnostic[]>();
  for (const d of sortForRendering(diagnostics)) {
    const line = lineIndexOf(starts, clamp(d.span.start, text.length));
    const list = byLine.get(line) ?? [];
    list.push(d);
    byLine.set(line, list);
  }
  const out: string[] = [];
  for (let line = 0; line < starts.length; line++) {
    const lineStart = starts[line]!;
    const content = lineContent(text, starts, line);
    const attached = byLine.get(line) ?? [];
    // The empty "line" after a final line break is only shown when a diagnostic sits on it.
    const isTrailingEmpty = line === starts.length - 1 && lineStart === text.length && line > 0;
    if (isTrailingEmpty && attached.length === 0) continue;
    out.push(content);
    for (const d of attached) out.push(...renderOne(d, content, lineStart, text, textOf));
  }
  return out.map((line) => `${line}\n`).join('');
}

/** Renders several files of one workspace, each under a `==== path ====` header, in path order. */
export function renderWorkspace(files: readonly GoldenFile[]): string {
  const texts = new Map(files.map((file) => [file.path, file.text]));
  const textOf = (path: string): string | undefined => texts.get(path);
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) => `==== ${file.path} ====\n${renderDiagnostics(file.text, file.diagnostics, textOf)}`)
    .join('\n');
}

function renderOne(d: Diagnostic, content: string, lineStart: number, text: string, textOf: (path: string) => string | undefined): string[] {
  const start = clamp(d.span.start, text.length);
  const end = Math.max(start, clamp(d.span.end, text.length));
  const column = start - lineStart;
  const indent = whitespaceLike(content.slice(0, column));
  // A span running past its first line is underlined to the end of that line.
  const firstLineEnd = lineStart + content.length;
  const underlined = content.slice(column, Math.min(end, firstLineEnd) - lineStart);
  const marker = start === end ? '^' : '~'.repeat(Math.max(1, codePointCount(underlined)));
  const lines = [indent + marker, `${indent}${d.code} ${d.severity}: ${d.message}`];
  if (d.help !== undefined) lines.push(`${indent}help: ${d.help}`);
  for (const related of d.related ?? []) {
    const elsewhere = related.file !== undefined && related.file !== d.file;
    const relatedText = elsewhere ? textOf(related.file!) : text;
    lines.push(`${indent}related: ${related.message} (${elsewhere ? `${related.file}:` : ''}${position(related.span.start, relatedText)})`);
  }
  return lines;
}

/** `line:column` of an offset when the text is at hand, or the raw offset otherwise. */
function position(offset: number, text: string | undefined): string {
  if (text === undefined) return `@${offset}`;
  const starts = lineStarts(text);
  const line = lineIndexOf(starts, clamp(offset, text.length));
  return `${line + 1}:${offset - starts[line]! + 1}`;
}

function sortForRendering(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.span.start - b.span.start ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      a.span.end - b.span.end ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** The text of a line without its line break (`\n`, `\r\n` or `\r`). */
function lineContent(text: string, starts: readonly number[], line: number): string {
  const start = starts[line]!;
  let end = line + 1 < starts.length ? starts[line + 1]! : text.length;
  if (end > start && text.charCodeAt(end - 1) === 10) end--;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(start, end);
}

function lineIndexOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Keeps tabs and turns every other character into one space, so columns line up. */
function whitespaceLike(prefix: string): string {
  let out = '';
  for (const character of prefix) out += character === '\t' ? '\t' : ' ';
  return out;
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function clamp(offset: number, length: number): number {
  return Math.max(0, Math.min(offset, length));
}
