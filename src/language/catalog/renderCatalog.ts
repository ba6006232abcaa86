// Catalog tools → `.gate` text (docs/grammar.md: `tool name { description "..." args { ... }
// labels [...] }`). Deterministic: the same tools always give the same bytes.

import type { CatalogArg, CatalogTool, CatalogType } from './catalogModel';

/** Args go one per line when there are more than this many, or the one-line form is too long. */
const MAX_INLINE_ARGS = 3;
const MAX_LINE = 100;
/** Descriptions are cut to one sentence of at most this many characters. */
export const MAX_DESCRIPTION = 120;

/** Renders tools as `.gate` tool declarations, after `header` as `#` comment lines. */
export function renderCatalog(tools: readonly CatalogTool[], header?: string): string {
  const blocks = tools.map(renderTool);
  if (header !== undefined && header !== '') {
    const comment = header
      .split(/\r\n|[\n\r\u2028\u2029\u0085]/)
      .map((line) => (line.trim() === '' ? '#' : `# ${line.trimEnd()}`))
      .join('\n');
    blocks.unshift(comment);
  }
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

function renderTool(tool: CatalogTool): string {
  const lines: string[] = [];
  const description = summarizeDescription(tool.description ?? '');
  if (description !== '') lines.push(`  description ${quoteString(description)}`);
  if (tool.args.length > 0) lines.push(...renderArgs(tool.args));
  if (tool.labels.length > 0) lines.push(`  labels [${tool.labels.map(renderName).join(', ')}]`);
  const head = `tool ${renderName(tool.name)} {`;
  return lines.length === 0 ? `${head}}` : [head, ...lines, '}'].join('\n');
}

function renderArgs(args: readonly CatalogArg[]): string[] {
  const fields = args.map((arg) => `${renderName(arg.name)}${arg.optional ? '?' : ''}: ${renderType(arg.type)}`);
  const inline = `  args { ${fields.join(', ')} }`;
  if (fields.length <= MAX_INLINE_ARGS && inline.length <= MAX_LINE) return [inline];
  return ['  args {', ...fields.map((field) => `    ${field}`), '  }'];
}

/** A type as the language writes it: `string`, `list<int>`, `"open" | "closed"`. */
export function renderType(type: CatalogType): string {
  switch (type.kind) {
    case 'list':
      return `list<${renderType(type.element)}>`;
    case 'enum': {
      // Non-finite numbers have no literal; an enum left empty admits nothing the language can say.
      const values = type.values.filter((value) => typeof value === 'string' || Number.isFinite(value));
      if (values.length === 0) return 'any';
      return values.map((value) => (typeof value === 'string' ? quoteString(value) : String(value))).join(' | ');
    }
    default:
      return type.kind;
  }
}

/**
 * A name bare when the lexer reads it as one identifier, else as a string. Bare names here are
 * `[A-Za-z_][A-Za-z0-9_]*` with single inner hyphens: a subset of the grammar's identifiers
 * (the lexer does not take `.` into identifiers, so dotted names are quoted).
 */
export function renderName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/.test(name) ? name : quoteString(name);
}

/**
 * A string literal: `"` `\` and line breaks escaped, and every character that could hide or
 * reorder text (control characters, line separators, bidirectional overrides, byte-order
 * marks, lone surrogates) written as `\u{...}`, so a catalog reads as what it means.
 */
export function quoteString(value: string): string {
  let out = '"';
  for (const char of value) {
    const codePoint = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (needsEscape(codePoint)) out += `\\u{${codePoint.toString(16).toUpperCase()}}`;
    else out += char;
  }
  return `${out}"`;
}

function needsEscape(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    (codePoint >= 0x2028 && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    codePoint === 0xfeff ||
    (codePoint >= 0xd800 && codePoint <= 0xdfff)
  );
}

const ABBREVIATIONS = /(?:^|\s)(?:e\.g|i\.e|etc|vs|cf|approx)\.$/i;

/**
 * The first sentence of the first non-empty line, whitespace collapsed, without its final
 * period, cut at a word boundary to at most `MAX_DESCRIPTION` characters (ending in `...`).
 */
export function summarizeDescription(description: string): string {
  const line = description.split(/\r\n|[\n\r\u2028\u2029\u0085]/).find((candidate) => candidate.trim() !== '') ?? '';
  let sentence = line.replace(/\s+/g, ' ').trim();
  for (const match of sentence.matchAll(/[.!?](?= )/g)) {
    const end = match.index + 1;
    if (match[0] === '.' && ABBREVIATIONS.test(sentence.slice(0, end))) continue;
    sentence = sentence.slice(0, end);
    break;
  }
  sentence = sentence.replace(/(?<!\.)\.$/, '');
  const chars = Array.from(sentence);
  if (chars.length <= MAX_DESCRIPTION) return sentence;
  const room = chars.slice(0, MAX_DESCRIPTION - 3).join('');
  const lastSpace = room.lastIndexOf(' ');
  const cut = lastSpace >= MAX_DESCRIPTION / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.]+$/, '')}...`;
}
