// The token cursor shared by the declaration and expression parsers: lookahead, expectations
// that report instead of throwing, nesting limits, and recovery by skipping to a safe point.

import type { Name, Span, StringLit } from './ast';
import { diagnostic, type Diagnostic, type DiagnosticKind } from './diagnostics';
import { abbreviate, FLAG_GLOB, FLAG_LINE_START, KIND_EOF, KIND_ERROR, KIND_IDENT, KIND_PUNCT, KIND_STRING, type TokenBuffer } from './lexer';

/** Bracket nesting beyond this is reported, not recursed into, so no input overflows the stack. */
export const MAX_NESTING = 64;

/** Words that start a top-level declaration; recovery resynchronises on them. */
export const DECLARATION_KEYWORDS = new Set([
  'import',
  'timezone',
  'context',
  'tool',
  'label',
  'set',
  'agent',
  'human',
  'role',
  'permit',
  'forbid',
  'monitor',
  'require',
  'limit',
  'grant',
  'test',
]);

/** Clause words that never stand as a bare name, so `permit tool when ...` reports the missing name. */
export const CLAUSE_WORDS = new Set(['for', 'when', 'after', 'within', 'id', 'because', 'to', 'per', 'expect']);

// Items of the lists being parsed are collected here and copied out at their exact size: an
// array grown by `push` keeps room for 16 more items, and a tree has thousands of short lists.
// Lists nest; each takes the items above the mark it started at (see `mark` and `collected`).
// What is left above the top is cleared once a file is parsed (`releaseCollected`), so the
// scratch holds on to no tree.
const pending: unknown[] = [];
let pendingTop = 0;
let pendingHigh = 0;

/** Clears the scratch of `ParserBase.collected` after a parse. */
export function releaseCollected(): void {
  pending.fill(undefined, 0, pendingHigh);
  pendingTop = 0;
  pendingHigh = 0;
}

/**
 * The token cursor. Tokens are read from the lexer's `TokenBuffer` by index (`this.pos` is the
 * current one); spans are built only where the tree or a diagnostic needs one.
 */
export class ParserBase {
  protected pos = 0;
  protected depth = 0;
  readonly diagnostics: Diagnostic[] = [];
  protected readonly kinds: Uint8Array;
  protected readonly starts: Int32Array;
  protected readonly ends: Int32Array;
  protected readonly flags: Uint8Array;
  protected readonly values: Float64Array;
  protected readonly texts: readonly string[];
  /** Index of the `EOF` token, the last. */
  protected readonly eof: number;

  constructor(
    tokens: TokenBuffer,
    protected readonly text: string,
  ) {
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.flags = tokens.flags;
    this.values = tokens.values;
    this.texts = tokens.texts;
    this.eof = tokens.count - 1;
  }

  /** Starts collecting the items of a list (see `collect`, `collected`). */
  protected mark(): number {
    return pendingTop;
  }

  protected collect(item: unknown): void {
    pending[pendingTop++] = item;
  }

  /** The items collected since `mark`, as an array of their exact size. */
  protected collected<T>(mark: number): T[] {
    const count = pendingTop - mark;
    if (pendingTop > pendingHigh) pendingHigh = pendingTop;
    pendingTop = mark;
    // Short lists, most of them, as array literals: V8 can then allocate them where it allocates
    // the rest of the (long-lived) tree, instead of copying them out of the young generation.
    switch (count) {
      case 0:
        return [];
      case 1:
        return [pending[mark]] as T[];
      case 2:
        return [pending[mark], pending[mark + 1]] as T[];
      case 3:
        return [pending[mark], pending[mark + 1], pending[mark + 2]] as T[];
      default:
        return pending.slice(mark, mark + count) as T[];
    }
  }

  /** Kind of the current token (`KIND_*`). */
  protected get kind(): number {
    return this.kinds[this.pos]!;
  }

  /** Text of the current token. */
  protected get tokenText(): string {
    return this.texts[this.pos]!;
  }

  /** Start offset of the current token. */
  protected get tokenStart(): number {
    return this.starts[this.pos]!;
  }

  /** A new span object for token `index`. */
  protected spanOf(index: number = this.pos): Span {
    return { start: this.starts[index]!, end: this.ends[index]! };
  }

  protected lineStartAt(index: number): boolean {
    return (this.flags[index]! & FLAG_LINE_START) !== 0;
  }

  /** Index of the token `offset` ahead (the `EOF` token past the end). */
  protected peek(offset = 1): number {
    return Math.min(this.pos + offset, this.eof);
  }

  /** Consumes the current token (never `EOF`); returns its index. */
  protected advance(): number {
    const index = this.pos;
    if (this.kinds[index] !== KIND_EOF) this.pos = index + 1;
    return index;
  }

  /** End offset of the last consumed token. */
  protected get lastEnd(): number {
    return this.pos > 0 ? this.ends[this.pos - 1]! : 0;
  }

  protected spanFrom(start: number): Span {
    const end = this.lastEnd;
    return { start, end: end > start ? end : start };
  }

  protected isWord(word: string, index: number = this.pos): boolean {
    return this.kinds[index] === KIND_IDENT && this.texts[index] === word;
  }

  protected isPunct(punct: string, index: number = this.pos): boolean {
    return this.kinds[index] === KIND_PUNCT && this.texts[index] === punct;
  }

  protected eatWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.pos++;
    return true;
  }

  protected eatPunct(punct: string): boolean {
    if (!this.isPunct(punct)) return false;
    this.pos++;
    return true;
  }

  protected error(kind: DiagnosticKind, span: Span, message: string, help?: string): void {
    // One diagnostic per position: a cascade at the same token helps nobody.
    const last = this.diagnostics[this.diagnostics.length - 1];
    if (last && last.span.start === span.start && last.code.startsWith('GH10')) return;
    this.diagnostics.push(diagnostic(kind, span, message, help ? { help } : {}));
  }

  /** Describes token `index` (the current one) for "expected X, found Y" messages. */
  protected describe(index: number = this.pos): string {
    switch (this.kinds[index]) {
      case KIND_EOF:
        return 'end of file';
      case KIND_STRING:
        return `string \`"${abbreviate(this.texts[index]!, 30)}"\``;
      default:
        return `\`${abbreviate(this.texts[index]!, 30)}\``;
    }
  }

  protected expected(what: string, help?: string): void {
    this.error('expectedToken', this.spanOf(), `expected ${what}, found ${this.describe()}`, help);
  }

  protected expectPunct(punct: string, context = ''): boolean {
    if (this.eatPunct(punct)) return true;
    this.expected(`\`${punct}\`${context}`);
    return false;
  }

  protected expectWord(word: string, context = ''): boolean {
    if (this.eatWord(word)) return true;
    this.expected(`\`${word}\`${context}`);
    return false;
  }

  /**
   * A name: identifier or string. Globs are rejected unless `allowGlob`. Where a name may be
   * followed by a clause (rule targets), `excludeClauseWords` makes `permit tool when` an error.
   */
  protected parseName(what: string, allowGlob = false, excludeClauseWords = false): Name | undefined {
    const index = this.pos;
    const kind = this.kinds[index];
    if (kind === KIND_IDENT) {
      const text = this.texts[index]!;
      // Where a name directly follows a keyword, a clause word, or a declaration keyword opening
      // the next line, is not the name: the name is missing.
      const notAName = excludeClauseWords && (CLAUSE_WORDS.has(text) || (this.lineStartAt(index) && DECLARATION_KEYWORDS.has(text)));
      if (!notAName) {
        this.pos = index + 1;
        const span = this.spanOf(index);
        const glob = (this.flags[index]! & FLAG_GLOB) !== 0;
        if (glob && !allowGlob) {
          this.error('globNotAllowed', span, `a pattern is not allowed as ${what}`, 'write the exact name');
        }
        return { kind: 'Name', span, value: text, quoted: false, glob };
      }
    } else if (kind === KIND_STRING) {
      this.pos = index + 1;
      const text = this.texts[index]!;
      const glob = allowGlob && (text.includes('*') || text.includes('?'));
      return { kind: 'Name', span: this.spanOf(index), value: text, quoted: true, glob };
    }
    if (kind === KIND_ERROR) this.pos = index + 1; // the lexer reported it
    else this.expected(what);
    return undefined;
  }

  protected parseString(what: string): StringLit | undefined {
    const index = this.pos;
    const kind = this.kinds[index];
    if (kind === KIND_STRING) {
      this.pos = index + 1;
      return { kind: 'String', span: this.spanOf(index), value: this.texts[index]! };
    }
    if (kind === KIND_ERROR) this.pos = index + 1; // the lexer reported it
    else this.expected(what);
    return undefined;
  }

  /** Enters one level of bracket nesting; false (with a diagnostic) when too deep. */
  protected enterNesting(): boolean {
    if (this.depth >= MAX_NESTING) {
      this.error('nestingTooDeep', this.spanOf(), `nesting deeper than ${MAX_NESTING} levels`, 'split the expression');
      return false;
    }
    this.depth++;
    return true;
  }

  protected leaveNesting(): void {
    this.depth--;
  }

  /** Skips a balanced bracket group starting at the current opening bracket, iteratively. */
  protected skipBalanced(): void {
    let level = 0;
    do {
      const index = this.advance();
      const kind = this.kinds[index];
      if (kind === KIND_EOF) return;
      if (kind === KIND_PUNCT) {
        const text = this.texts[index];
        if (text === '(' || text === '[' || text === '{') level++;
        else if (text === ')' || text === ']' || text === '}') level--;
      }
    } while (level > 0);
  }

  /**
   * Skips tokens after an error until a point where parsing can resume: a declaration keyword
   * at the start of a line at the current bracket level, or a closing `}` of the enclosing block.
   * Always consumes at least one token unless already at such a point.
   */
  protected recover(stopAtCloseBrace: boolean): void {
    let level = 0;
    let first = true;
    for (;;) {
      const index = this.pos;
      const kind = this.kinds[index];
      if (kind === KIND_EOF) return;
      const text = this.texts[index]!;
      if (level === 0) {
        if (stopAtCloseBrace && kind === KIND_PUNCT && text === '}') return;
        if (!first && kind === KIND_IDENT && this.lineStartAt(index) && DECLARATION_KEYWORDS.has(text)) return;
      }
      if (kind === KIND_PUNCT) {
        if (text === '{' || text === '[' || text === '(') level++;
        else if (text === '}' || text === ']' || text === ')') {
          if (level === 0 && stopAtCloseBrace) return;
          level = Math.max(0, level - 1);
        }
      }
      this.pos = index + 1;
      first = false;
    }
  }

  /*
   * The entries of a `{ ... }` or `[ ... ]` group (opened by token `open`), up to the closing
   * bracket, with `,` and `;` separators (`,` between entries when `separatorsRequired`):
   *
   *   for (let first = true; this.nextInGroup(close, open, first, required); first = false) {
   *     const before = this.pos;
   *     ...parse one entry...
   *     this.afterInGroup(close, before, required);
   *   }
   *
   * An entry that consumes nothing is skipped with recovery. (A loop rather than a callback per
   * entry, so parsing a group allocates no closure.)
   */

  /** Before an entry: true when one follows; false once the group is closed (or the file ends). */
  protected nextInGroup(close: '}' | ']', open: number, first: boolean, separatorsRequired: boolean): boolean {
    for (;;) {
      if (this.isPunct(close)) {
        this.advance();
        return false;
      }
      if (this.kinds[this.pos] === KIND_EOF) {
        this.error('unclosedBlock', this.spanOf(open), `\`${close === '}' ? '{' : '['}\` is never closed`, `add \`${close}\``);
        return false;
      }
      if (separatorsRequired && !first && !this.eatPunct(',')) {
        this.expected(`\`,\` or \`${close}\``);
        this.recoverInGroup(close);
        continue;
      }
      if (this.isPunct(close)) {
        this.advance();
        return false;
      }
      return true;
    }
  }

  /** After an entry that started at token `before`. */
  protected afterInGroup(close: '}' | ']', before: number, separatorsRequired: boolean): void {
    if (!separatorsRequired) while (this.eatPunct(';') || this.eatPunct(',')) { /* separators */ }
    if (this.pos === before) this.recoverInGroup(close);
  }

  /** Inside a group: skip to the next separator or the group's closing bracket. */
  private recoverInGroup(close: '}' | ']'): void {
    let level = 0;
    let first = true;
    for (;;) {
      const index = this.pos;
      const kind = this.kinds[index];
      if (kind === KIND_EOF) return;
      const text = this.texts[index]!;
      const punct = kind === KIND_PUNCT;
      if (level === 0 && !first && punct && (text === ',' || text === ';' || text === close)) return;
      if (level === 0 && first && punct && text === close) return;
      if (punct) {
        if (text === '{' || text === '[' || text === '(') level++;
        else if (text === '}' || text === ']' || text === ')') {
          // A stray closer of another kind: leave it to an enclosing group, unless nothing has
          // been consumed yet (then skip it, or the caller would loop forever on it).
          if (level === 0 && !first) return;
          level = Math.max(0, level - 1);
        }
      }
      this.pos = index + 1;
      first = false;
    }
  }
}
