// Phase 1: text → tokens. Never throws; every malformed piece becomes an `Error` token plus a
// diagnostic, so the parser always sees a complete stream ending in `EOF`. Linear time.
//
// The scanner writes tokens into a `TokenBuffer`, parallel typed arrays (kind, offsets, flags,
// value) plus one array of texts, instead of one object per token: the parser reads the buffer
// directly and only builds the spans and names its tree keeps, which keeps the garbage (and so
// the collector's work) small. `lex` turns the buffer into token objects for everyone else.

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

// Token kinds in a `TokenBuffer`; `TOKEN_KINDS[kind]` is the `TokenKind` name.
export const KIND_IDENT = 0;
export const KIND_STRING = 1;
export const KIND_NUMBER = 2;
export const KIND_DURATION = 3;
export const KIND_PUNCT = 4;
export const KIND_ERROR = 5;
export const KIND_EOF = 6;
const TOKEN_KINDS: readonly TokenKind[] = ['Ident', 'String', 'Number', 'Duration', 'Punct', 'Error', 'EOF'];

/** `TokenBuffer.flags` bits. */
export const FLAG_LINE_START = 1;
export const FLAG_GLOB = 2;

/** Tokens as parallel arrays; entry `i` of each array describes token `i`. The last is `EOF`. */
export class TokenBuffer {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  /** Numbers: the value; durations: milliseconds; 0 for other tokens. */
  values: Float64Array;
  /** As `Token.text`. Entries past `count` are left over from an earlier scan. */
  texts: string[] = [];

  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(kind: number, start: number, end: number, text: string, flags: number, value: number): void {
    const i = this.count;
    if (i === this.kinds.length) this.grow();
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.flags[i] = flags;
    this.values[i] = value;
    this.texts[i] = text;
    this.count = i + 1;
  }

  private grow(): void {
    const capacity = this.kinds.length * 2;
    const kinds = new Uint8Array(capacity);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const starts = new Int32Array(capacity);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(capacity);
    ends.set(this.ends);
    this.ends = ends;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    const values = new Float64Array(capacity);
    values.set(this.values);
    this.values = values;
  }
}

export interface ScanResult {
  readonly buffer: TokenBuffer;
  readonly comments: Comment[];
  readonly diagnostics: Diagnostic[];
}

// One buffer is kept between scans (its arrays are reused); `releaseBuffer` returns it.
let spareBuffer: TokenBuffer | undefined;

/** Gives a buffer from `scan` back for reuse; the caller must not read it afterwards. */
export function releaseBuffer(buffer: TokenBuffer): void {
  spareBuffer = buffer;
}

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

// Character classes of ASCII, for the identifier loop: 1 = letter, digit or `_`; 2 = `*`.
const IDENT_PART = 1;
const IDENT_STAR = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) CHAR_CLASS[c] = isIdentPart(c) ? IDENT_PART : c === STAR ? IDENT_STAR : 0;

// Identifiers and string values are interned: looked up, by a hash of their characters taken
// while scanning, in a table of the texts seen before, and the one shared string is used instead
// of slicing a new copy out of the text for every occurrence (a policy repeats its keywords, tool
// and argument names and values thousands of times). The table is bounded: when full it starts
// over, keeping only the language's own words.
const WORDS = [
  'import', 'timezone', 'context', 'tool', 'label', 'set', 'agent', 'human', 'role', 'permit', 'forbid', 'monitor', 'require', 'limit', 'grant', 'test',
  'for', 'when', 'after', 'within', 'id', 'because', 'to', 'per', 'expect', 'approval', 'by', 'any', 'and', 'or', 'not', 'in', 'from', 'until',
  'true', 'false', 'null', 'description', 'args', 'labels', 'owner', 'roles', 'tier', 'allow', 'deny', 'call', 'at', 'result', 'rule', 'user',
  'session', 'on_behalf_of', 'approvals', 'approve', 'reject', 'list', 'string', 'number', 'int', 'bool', 'object',
  'time', 'hour', 'minute', 'weekday', 'date', 'name', 'calls', 'low', 'medium', 'high', 'critical',
];
const INTERN_SLOTS = 1 << 14; // a power of two
const INTERN_LIMIT = INTERN_SLOTS >> 1; // entries before the table starts over
const MAX_INTERNED = 64; // longer texts are not worth keeping
const internHashes = new Int32Array(INTERN_SLOTS);
const internTexts: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
let internCount = 0;

/** The hash the scanner computes over a text's characters. */
function textHash(text: string, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

function resetInterned(): void {
  internTexts.fill(undefined);
  internCount = 0;
  for (const word of WORDS) addInterned(word, textHash(word, 0, word.length));
}

function addInterned(value: string, hash: number): void {
  let slot = hash & (INTERN_SLOTS - 1);
  while (internTexts[slot] !== undefined) slot = (slot + 1) & (INTERN_SLOTS - 1);
  internHashes[slot] = hash;
  internTexts[slot] = value;
  internCount++;
}

resetInterned();

/** `text.slice(start, end)`, as the interned string when that text was seen before. */
function interned(text: string, start: number, end: number, hash: number): string {
  const length = end - start;
  if (length > MAX_INTERNED) return text.slice(start, end);
  let slot = hash & (INTERN_SLOTS - 1);
  for (;;) {
    const known = internTexts[slot];
    if (known === undefined) break;
    if (internHashes[slot] === hash && known.length === length) {
      let i = 0;
      while (i < length && known.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === length) return known;
    }
    slot = (slot + 1) & (INTERN_SLOTS - 1);
  }
  if (internCount >= INTERN_LIMIT) resetInterned();
  let value = text.slice(start, end);
  // A slice this long shares the file's text; the table keeps a copy of its own instead, so it
  // never holds on to an old version of a file.
  if (length >= 13) value = Array.from(value).join('');
  addInterned(value, hash);
  return value;
}

/** Splits `text` into tokens and comments. */
export function lex(text: string): LexResult {
  const { buffer, comments, diagnostics } = scan(text);
  const tokens: Token[] = new Array<Token>(buffer.count);
  const { kinds, starts, ends, flags, values, texts } = buffer;
  for (let i = 0; i < buffer.count; i++) {
    const kind = kinds[i]!;
    tokens[i] = {
      kind: TOKEN_KINDS[kind]!,
      span: { start: starts[i]!, end: ends[i]! },
      text: texts[i]!,
      lineStart: (flags[i]! & FLAG_LINE_START) !== 0,
      glob: (flags[i]! & FLAG_GLOB) !== 0,
      value: kind === KIND_NUMBER || kind === KIND_DURATION ? values[i]! : undefined,
    };
  }
  releaseBuffer(buffer);
  return { tokens, comments, diagnostics };
}

/** Splits `text` into a token buffer and comments (see `releaseBuffer`). */
export function scan(text: string): ScanResult {
  let buffer = spareBuffer;
  spareBuffer = undefined;
  if (buffer) buffer.count = 0;
  else buffer = new TokenBuffer(Math.max(64, text.length >> 3));
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  const length = text.length;
  let pos = 0;
  let lineStart: number = FLAG_LINE_START;

  while (pos < length) {
    const c = text.charCodeAt(pos);
    if (c === 10) {
      lineStart = FLAG_LINE_START;
      pos++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
      pos++;
      continue;
    }
    const start = pos;
    if (c < 128 && CHAR_CLASS[c] !== 0 && !isDigit(c)) {
      // An identifier (or a glob pattern such as `*_get`).
      let glob = c === STAR ? FLAG_GLOB : 0;
      let hash = c;
      pos++;
      while (pos < length) {
        const d = text.charCodeAt(pos);
        const cls = d < 128 ? CHAR_CLASS[d]! : 0;
        if (cls === IDENT_PART) {
          hash = (Math.imul(hash, 31) + d) | 0;
          pos++;
        } else if (cls === IDENT_STAR) {
          hash = (Math.imul(hash, 31) + d) | 0;
          glob = FLAG_GLOB;
          pos++;
        } else if (d === HYPHEN && pos + 1 < length) {
          const next = text.charCodeAt(pos + 1);
          if (next < 128 && CHAR_CLASS[next] !== 0) {
            hash = (Math.imul(hash, 31) + d) | 0;
            pos++;
          } else break;
        } else break;
      }
      buffer.push(KIND_IDENT, start, pos, interned(text, start, pos, hash), lineStart | glob, 0);
      lineStart = 0;
      continue;
    }
    if (isDigit(c) || (c === HYPHEN && isDigit(text.charCodeAt(pos + 1)))) {
      pos = lexNumber(text, pos, diagnostics, buffer, lineStart);
      lineStart = 0;
      continue;
    }
    if (c === 34 /* " */) {
      pos = lexString(text, pos, diagnostics, buffer, lineStart);
      lineStart = 0;
      continue;
    }
    if (c === 35 /* # */) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = length;
      const commentEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      comments.push({ span: { start, end: commentEnd }, text: text.slice(pos + 1, commentEnd) });
      pos = end;
      continue;
    }
    const punct = punctuation(c, pos + 1 < length ? text.charCodeAt(pos + 1) : 0);
    if (punct !== undefined) {
      pos += punct.length;
      buffer.push(KIND_PUNCT, start, pos, punct, lineStart, 0);
      lineStart = 0;
      continue;
    }
    // Anything else: one code point (not half a surrogate pair) becomes an error token.
    const codePoint = text.codePointAt(pos)!;
    pos += codePoint > 0xffff ? 2 : 1;
    const shown = codePoint < 32 || codePoint === 127 ? `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}` : String.fromCodePoint(codePoint);
    diagnostics.push(diagnostic('unexpectedCharacter', { start, end: pos }, `unexpected character \`${shown}\``));
    buffer.push(KIND_ERROR, start, pos, text.slice(start, pos), lineStart, 0);
    lineStart = 0;
  }
  buffer.push(KIND_EOF, length, length, '', FLAG_LINE_START, 0);
  return { buffer, comments, diagnostics };
}

/** The punctuation token starting with `c` (then `next`), if any: `==` `!=` `<=` `>=` `!~`, or one character. */
function punctuation(c: number, next: number): string | undefined {
  switch (c) {
    case 123:
      return '{';
    case 125:
      return '}';
    case 91:
      return '[';
    case 93:
      return ']';
    case 40:
      return '(';
    case 41:
      return ')';
    case 44:
      return ',';
    case 59:
      return ';';
    case 58:
      return ':';
    case 63:
      return '?';
    case 46:
      return '.';
    case 124:
      return '|';
    case 126:
      return '~';
    case 61: // =
      return next === 61 ? '==' : '=';
    case 60: // <
      return next === 61 ? '<=' : '<';
    case 62: // >
      return next === 61 ? '>=' : '>';
    case 33: // ! only in != and !~
      return next === 61 ? '!=' : next === 126 ? '!~' : undefined;
    default:
      return undefined;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', '0': '\0' };

/** Reads a string literal starting at the opening quote into `buffer`; returns the position after it. */
function lexString(text: string, start: number, diagnostics: Diagnostic[], buffer: TokenBuffer, lineStart: number): number {
  let pos = start + 1;
  let value = '';
  let chunkStart = pos;
  let hash = 0; // of the characters up to the first escape
  for (;;) {
    if (pos >= text.length || text.charCodeAt(pos) === 10) {
      value += text.slice(chunkStart, pos);
      diagnostics.push(
        diagnostic('unterminatedString', { start, end: pos }, 'unterminated string', {
          help: 'close the string with `"` on the same line',
        }),
      );
      buffer.push(KIND_ERROR, start, pos, value, lineStart, 0);
      return pos;
    }
    const c = text.charCodeAt(pos);
    if (c === 34) {
      value = chunkStart === start + 1 ? interned(text, chunkStart, pos, hash) : value + text.slice(chunkStart, pos);
      pos++;
      buffer.push(KIND_STRING, start, pos, value, lineStart, 0);
      return pos;
    }
    if (c !== 92 /* \ */) {
      hash = (Math.imul(hash, 31) + c) | 0;
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

/** Reads a number or duration (`-1.5e3`, `10_000`, `15m`) into `buffer`; returns the position after it. */
function lexNumber(text: string, start: number, diagnostics: Diagnostic[], buffer: TokenBuffer, lineStart: number): number {
  let pos = start;
  const length = text.length;
  const negative = text.charCodeAt(pos) === HYPHEN;
  if (negative) pos++;
  // Plain digits, the common case, are read without regular expressions.
  let plain = 0;
  while (pos < length && isDigit(text.charCodeAt(pos))) plain = plain * 10 + (text.charCodeAt(pos++) - CHAR_0);
  let c = pos < length ? text.charCodeAt(pos) : 0;
  let value: number;
  let raw: string;
  let malformed = false;
  const simple = c !== 95 /* _ */ && c !== 46 /* . */ && c !== 101 /* e */ && c !== 69 /* E */ && pos - start <= 15;
  if (simple) {
    raw = text.slice(start, pos);
    value = negative ? -plain : plain;
  } else {
    const digits = (): void => {
      while (pos < length && (isDigit(text.charCodeAt(pos)) || text.charCodeAt(pos) === 95)) pos++;
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
    raw = text.slice(start, pos);
    value = Number(raw.replace(/_/g, ''));
    malformed = /_$|__|_\.|\._|^-?_|_[eE]|[eE][+-]?_/.test(raw);
    c = pos < length ? text.charCodeAt(pos) : 0;
  }
  const numberEnd = pos;
  // A unit directly after the digits makes a duration.
  if (c < 128 && CHAR_CLASS[c] === IDENT_PART) {
    pos++;
    while (pos < length && isIdentPart(text.charCodeAt(pos))) pos++;
  }
  if (malformed || !Number.isFinite(value)) {
    const span = { start, end: pos };
    diagnostics.push(diagnostic('invalidNumber', span, `invalid number \`${abbreviate(text.slice(start, pos))}\``, { help: Number.isFinite(value) ? 'underscores may only separate digits' : 'the number is too large' }));
    buffer.push(KIND_ERROR, start, pos, text.slice(start, pos), lineStart, 0);
    return pos;
  }
  if (pos === numberEnd) {
    buffer.push(KIND_NUMBER, start, pos, raw, lineStart, value);
    return pos;
  }
  const unit = text.slice(numberEnd, pos);
  const factor = DURATION_UNITS[unit];
  if (factor === undefined || value < 0) {
    const span = { start, end: pos };
    diagnostics.push(
      diagnostic('invalidDuration', span, `invalid duration \`${abbreviate(text.slice(start, pos))}\``, {
        help: value < 0 ? 'durations cannot be negative' : 'use one of the units ms, s, m, h, d, as in `15m`',
      }),
    );
    buffer.push(KIND_ERROR, start, pos, text.slice(start, pos), lineStart, 0);
    return pos;
  }
  buffer.push(KIND_DURATION, start, pos, text.slice(start, pos), lineStart, value * factor);
  return pos;
}

/** Shortens long source text for messages. */
export function abbreviate(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
