// Phase 1: text → tokens. Never throws; every malformed piece becomes an `Error` token plus a
// diagnostic, so the parser always sees a complete stream ending in `EOF`. Linear time.

import type { Comment, Span } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';

export type TokenKind = 'Ident' | 'String' | 'Number' | 'Duration' | 'Punct' | 'Error' | 'EOF';

export interface Token {
  readonly kind: TokenKind;
  readonly span: Span;
  /** Identifier text, decoded string value, number/duration text, or punctuation. */
  readonly text: string;
  /** True when a line break separates this token from the previous one (or it is the first). */
  readonly lineStart: boolean;
  /** Identifiers only: contains a `*` wildcard. */
  readonly glob?: boolean;
  /** Numbers: the value; durations: milliseconds. */
  readonly value?: number;
}

export interface LexResult {
  readonly tokens: Token[];
  readonly comments: Comment[];
  readonly diagnostics: Diagnostic[];
}

const PUNCTUATION_2 = new Set(['==', '!=', '<=', '>=', '!~']);
const PUNCTUATION_1 = new Set(['{', '}', '[', ']', '(', ')', ',', ';', ':', '?', '.', '=', '|', '<', '>', '~']);

export const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const CHAR_0 = 48;
const CHAR_9 = 57;

function isDigit(c: number): boolean {
  return c >= CHAR_0 && c <= CHAR_9;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
const STAR = 42;
const HYPHEN = 45;

/** Splits `text` into tokens and comments. */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  const length = text.length;
  let pos = 0;
  let lineStart = true;

  const push = (kind: TokenKind, start: number, end: number, tokenText: string, extra?: Partial<Token>): void => {
    tokens.push({ kind, span: { start, end }, text: tokenText, lineStart, ...extra });
    lineStart = false;
  };

  while (pos < length) {
    const c = text.charCodeAt(pos);
    if (c === 10) {
      lineStart = true;
      pos++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
      pos++;
      continue;
    }
    const start = pos;
    if (c === 35 /* # */) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = length;
      const commentEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      comments.push({ span: { start, end: commentEnd }, text: text.slice(pos + 1, commentEnd) });
      pos = end;
      continue;
    }
    if (c === 34 /* " */) {
      pos = lexString(text, pos, diagnostics, (value, end, ok) =>
        push(ok ? 'String' : 'Error', start, end, value),
      );
      continue;
    }
    if (isDigit(c) || (c === HYPHEN && isDigit(text.charCodeAt(pos + 1)))) {
      pos = lexNumber(text, pos, diagnostics, push);
      continue;
    }
    if (isIdentStart(c) || c === STAR) {
      let glob = false;
      while (pos < length) {
        const d = text.charCodeAt(pos);
        if (isIdentPart(d)) pos++;
        else if (d === STAR) {
          glob = true;
          pos++;
        } else if (d === HYPHEN && pos + 1 < length) {
          const next = text.charCodeAt(pos + 1);
          if (isIdentPart(next) || next === STAR) pos++;
          else break;
        } else break;
      }
      push('Ident', start, pos, text.slice(start, pos), glob ? { glob } : undefined);
      continue;
    }
    const two = text.slice(pos, pos + 2);
    if (PUNCTUATION_2.has(two)) {
      pos += 2;
      push('Punct', start, pos, two);
      continue;
    }
    const one = text[pos]!;
    if (PUNCTUATION_1.has(one)) {
      pos++;
      push('Punct', start, pos, one);
      continue;
    }
    // Anything else: one code point (not half a surrogate pair) becomes an error token.
    const codePoint = text.codePointAt(pos)!;
    pos += codePoint > 0xffff ? 2 : 1;
    const shown = codePoint < 32 || codePoint === 127 ? `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}` : String.fromCodePoint(codePoint);
    diagnostics.push(diagnostic('unexpectedCharacter', { start, end: pos }, `unexpected character \`${shown}\``));
    push('Error', start, pos, text.slice(start, pos));
  }
  tokens.push({ kind: 'EOF', span: { start: length, end: length }, text: '', lineStart: true });
  return { tokens, comments, diagnostics };
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', '0': '\0' };

/** Reads a string literal starting at the opening quote; returns the position after it. */
function lexString(
  text: string,
  start: number,
  diagnostics: Diagnostic[],
  emit: (value: string, end: number, ok: boolean) => void,
): number {
  let pos = start + 1;
  let value = '';
  let chunkStart = pos;
  for (;;) {
    if (pos >= text.length || text.charCodeAt(pos) === 10) {
      value += text.slice(chunkStart, pos);
      diagnostics.push(
        diagnostic('unterminatedString', { start, end: pos }, 'unterminated string', {
          help: 'close the string with `"` on the same line',
        }),
      );
      emit(value, pos, false);
      return pos;
    }
    const c = text.charCodeAt(pos);
    if (c === 34) {
      value += text.slice(chunkStart, pos);
      pos++;
      emit(value, pos, true);
      return pos;
    }
    if (c !== 92 /* \ */) {
      pos++;
      continue;
    }
    value += text.slice(chunkStart, pos);
    const escapeStart = pos;
    const next = text[pos + 1];
    if (next !== undefined && ESCAPES[next] !== undefined) {
      value += ESCAPES[next];
      pos += 2;
    } else if (next === 'u' && text[pos + 2] === '{') {
      const close = text.indexOf('}', pos + 3);
      const hex = close > 0 && close - pos <= 10 ? text.slice(pos + 3, close) : '';
      const codePoint = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (codePoint <= 0x10ffff) {
        value += String.fromCodePoint(codePoint);
        pos = close + 1;
      } else {
        diagnostics.push(diagnostic('invalidEscape', { start: escapeStart, end: pos + 2 }, 'invalid unicode escape', { help: 'write `\\u{` hex digits `}`, at most 10FFFF' }));
        pos += 2;
      }
    } else {
      const end = Math.min(pos + 2, text.length);
      diagnostics.push(
        diagnostic('invalidEscape', { start: escapeStart, end }, `invalid escape \`${text.slice(escapeStart, end)}\``, {
          help: 'valid escapes are \\" \\\\ \\n \\t \\r \\0 and \\u{hex}',
        }),
      );
      pos = end;
    }
    chunkStart = pos;
  }
}

/** Reads a number or duration (`-1.5e3`, `10_000`, `15m`); returns the position after it. */
function lexNumber(
  text: string,
  start: number,
  diagnostics: Diagnostic[],
  push: (kind: TokenKind, start: number, end: number, tokenText: string, extra?: Partial<Token>) => void,
): number {
  let pos = start;
  if (text.charCodeAt(pos) === HYPHEN) pos++;
  const digits = (): void => {
    while (pos < text.length && (isDigit(text.charCodeAt(pos)) || text.charCodeAt(pos) === 95)) pos++;
  };
  digits();
  if (text[pos] === '.' && isDigit(text.charCodeAt(pos + 1))) {
    pos++;
    digits();
  }
  if ((text[pos] === 'e' || text[pos] === 'E') && /^[eE][+-]?\d/.test(text.slice(pos, pos + 3))) {
    pos++;
    if (text[pos] === '+' || text[pos] === '-') pos++;
    digits();
  }
  const numberEnd = pos;
  const raw = text.slice(start, numberEnd);
  const cleaned = raw.replace(/_/g, '');
  const value = Number(cleaned);
  const malformed = /_$|__|_\.|\._|^-?_/.test(raw) || raw.endsWith('_');
  // A unit directly after the digits makes a duration.
  while (pos < text.length && isIdentPart(text.charCodeAt(pos))) pos++;
  const unit = text.slice(numberEnd, pos);
  const span = { start, end: pos };
  if (malformed || !Number.isFinite(value)) {
    diagnostics.push(diagnostic('invalidNumber', span, `invalid number \`${abbreviate(text.slice(start, pos))}\``, { help: Number.isFinite(value) ? 'underscores may only separate digits' : 'the number is too large' }));
    push('Error', start, pos, text.slice(start, pos));
    return pos;
  }
  if (unit === '') {
    push('Number', start, pos, raw, { value });
    return pos;
  }
  const factor = DURATION_UNITS[unit];
  if (factor === undefined || value < 0) {
    diagnostics.push(
      diagnostic('invalidDuration', span, `invalid duration \`${abbreviate(text.slice(start, pos))}\``, {
        help: value < 0 ? 'durations cannot be negative' : 'use one of the units ms, s, m, h, d, as in `15m`',
      }),
    );
    push('Error', start, pos, text.slice(start, pos));
    return pos;
  }
  push('Duration', start, pos, text.slice(start, pos), { value: value * factor });
  return pos;
}

/** Shortens long source text for messages. */
export function abbreviate(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
