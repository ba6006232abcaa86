// The token cursor shared by the declaration and expression parsers: lookahead, expectations
// that report instead of throwing, nesting limits, and recovery by skipping to a safe point.

import type { Name, Span, StringLit } from './ast';
import { diagnostic, type Diagnostic, type DiagnosticKind } from './diagnostics';
import { abbreviate, type Token } from './lexer';

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

export class ParserBase {
  protected pos = 0;
  protected depth = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    protected readonly tokens: readonly Token[],
    protected readonly text: string,
  ) {}

  protected get token(): Token {
    return this.tokens[this.pos]!;
  }

  protected peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  protected advance(): Token {
    const token = this.token;
    if (token.kind !== 'EOF') this.pos++;
    return token;
  }

  /** End offset of the last consumed token. */
  protected get lastEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1]!.span.end : 0;
  }

  protected spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  protected isWord(word: string, token: Token = this.token): boolean {
    return token.kind === 'Ident' && token.text === word;
  }

  protected isPunct(punct: string, token: Token = this.token): boolean {
    return token.kind === 'Punct' && token.text === punct;
  }

  protected eatWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.advance();
    return true;
  }

  protected eatPunct(punct: string): boolean {
    if (!this.isPunct(punct)) return false;
    this.advance();
    return true;
  }

  protected error(kind: DiagnosticKind, span: Span, message: string, help?: string): void {
    // One diagnostic per position: a cascade at the same token helps nobody.
    const last = this.diagnostics[this.diagnostics.length - 1];
    if (last && last.span.start === span.start && last.code.startsWith('GH10')) return;
    this.diagnostics.push(diagnostic(kind, span, message, help ? { help } : {}));
  }

  /** Describes the current token for "expected X, found Y" messages. */
  protected describe(token: Token = this.token): string {
    switch (token.kind) {
      case 'EOF':
        return 'end of file';
      case 'String':
        return `string \`"${abbreviate(token.text, 30)}"\``;
      case 'Error':
        return `\`${abbreviate(token.text, 30)}\``;
      default:
        return `\`${abbreviate(token.text, 30)}\``;
    }
  }

  protected expected(what: string, help?: string): void {
    const token = this.token;
    this.error('expectedToken', token.span, `expected ${what}, found ${this.describe(token)}`, help);
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
    const token = this.token;
    if (token.kind === 'Ident' && !(excludeClauseWords && CLAUSE_WORDS.has(token.text))) {
      this.advance();
      const glob = token.glob === true;
      if (glob && !allowGlob) {
        this.error('globNotAllowed', token.span, `a pattern is not allowed as ${what}`, 'write the exact name');
      }
      return { kind: 'Name', span: token.span, value: token.text, quoted: false, glob };
    }
    if (token.kind === 'String') {
      this.advance();
      const glob = allowGlob && /[*?]/.test(token.text);
      return { kind: 'Name', span: token.span, value: token.text, quoted: true, glob };
    }
    if (token.kind === 'Error') this.advance(); // the lexer reported it
    else this.expected(what);
    return undefined;
  }

  protected parseString(what: string): StringLit | undefined {
    const token = this.token;
    if (token.kind === 'String') {
      this.advance();
      return { kind: 'String', span: token.span, value: token.text };
    }
    if (token.kind === 'Error') this.advance(); // the lexer reported it
    else this.expected(what);
    return undefined;
  }

  /** Enters one level of bracket nesting; false (with a diagnostic) when too deep. */
  protected enterNesting(): boolean {
    if (this.depth >= MAX_NESTING) {
      this.error('nestingTooDeep', this.token.span, `nesting deeper than ${MAX_NESTING} levels`, 'split the expression');
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
      const token = this.advance();
      if (token.kind === 'EOF') return;
      if (token.kind === 'Punct') {
        if (token.text === '(' || token.text === '[' || token.text === '{') level++;
        else if (token.text === ')' || token.text === ']' || token.text === '}') level--;
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
      const token = this.token;
      if (token.kind === 'EOF') return;
      if (level === 0) {
        if (stopAtCloseBrace && this.isPunct('}')) return;
        if (!first && token.lineStart && token.kind === 'Ident' && DECLARATION_KEYWORDS.has(token.text)) return;
      }
      if (token.kind === 'Punct') {
        if (token.text === '{' || token.text === '[' || token.text === '(') level++;
        else if (token.text === '}' || token.text === ']' || token.text === ')') {
          if (level === 0 && stopAtCloseBrace) return;
          level = Math.max(0, level - 1);
        }
      }
      this.advance();
      first = false;
    }
  }

  /**
   * Runs `item` for each entry of a `{ ... }` or `[ ... ]` group until the closing bracket,
   * accepting `,` and `;` separators. An item that consumes nothing is skipped with recovery.
   */
  protected parseGroup(close: '}' | ']', openSpan: Span, item: () => void, separatorsRequired = false): void {
    let first = true;
    while (!this.isPunct(close)) {
      if (this.token.kind === 'EOF') {
        this.error('unclosedBlock', openSpan, `\`${close === '}' ? '{' : '['}\` is never closed`, `add \`${close}\``);
        return;
      }
      if (separatorsRequired && !first && !this.eatPunct(',')) {
        this.expected(`\`,\` or \`${close}\``);
        this.recoverInGroup(close);
        continue;
      }
      first = false;
      if (this.isPunct(close)) break;
      const before = this.pos;
      item();
      if (!separatorsRequired) while (this.eatPunct(';') || this.eatPunct(',')) { /* separators */ }
      if (this.pos === before) this.recoverInGroup(close);
    }
    this.advance();
  }

  /** Inside a group: skip to the next separator or the group's closing bracket. */
  private recoverInGroup(close: '}' | ']'): void {
    let level = 0;
    let first = true;
    for (;;) {
      const token = this.token;
      if (token.kind === 'EOF') return;
      if (level === 0 && !first && (this.isPunct(',') || this.isPunct(';') || this.isPunct(close))) return;
      if (level === 0 && first && this.isPunct(close)) return;
      if (token.kind === 'Punct') {
        if (token.text === '{' || token.text === '[' || token.text === '(') level++;
        else if (token.text === '}' || token.text === ']' || token.text === ')') {
          // A stray closer of another kind: leave it to an enclosing group, unless nothing has
          // been consumed yet (then skip it, or the caller would loop forever on it).
          if (level === 0 && !first) return;
          level = Math.max(0, level - 1);
        }
      }
      this.advance();
      first = false;
    }
  }
}
