// Expressions, literals, types and tool selectors: the parts shared by rules, sets and tests.

import {
  PATH_ROOTS,
  type ComparisonOperator,
  type Expr,
  type ListLit,
  type Name,
  type NumberLit,
  type ObjectLit,
  type Span,
  type StringLit,
  type ToolSelector,
  type TypeExpr,
} from './ast';
import { FLAG_GLOB, KIND_DURATION, KIND_EOF, KIND_ERROR, KIND_IDENT, KIND_NUMBER, KIND_PUNCT, KIND_STRING } from './lexer';
import { DECLARATION_KEYWORDS, ParserBase } from './parserBase';

const COMPARISON_PUNCT = new Set(['==', '!=', '<', '<=', '>', '>=', '~', '!~']);

export class ExpressionParser extends ParserBase {
  /** expr = orExpr */
  parseExpr(): Expr {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const opSpan = this.spanOf(this.advance());
      const right = this.parseAnd();
      left = { kind: 'Binary', span: { start: left.span.start, end: right.span.end }, op: 'or', opSpan, left, right };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isWord('and')) {
      const opSpan = this.spanOf(this.advance());
      const right = this.parseNot();
      left = { kind: 'Binary', span: { start: left.span.start, end: right.span.end }, op: 'and', opSpan, left, right };
    }
    return left;
  }

  private parseNot(): Expr {
    // `not not not x` is iterative; `not in` belongs to a comparison, handled there.
    if (!this.isWord('not')) return this.parseComparison();
    const starts: number[] = [];
    while (this.isWord('not') && !this.isWord('in', this.peek())) {
      starts.push(this.starts[this.advance()]!);
    }
    let expr = this.parseComparison();
    for (let i = starts.length - 1; i >= 0; i--) {
      expr = { kind: 'Not', span: { start: starts[i]!, end: expr.span.end }, operand: expr };
    }
    return expr;
  }

  private parseComparison(): Expr {
    const left = this.parsePrimary();
    const index = this.pos;
    const kind = this.kinds[index];
    const text = this.texts[index]!;
    let op: ComparisonOperator | undefined;
    let opSpan: Span | undefined;
    if (kind === KIND_PUNCT && COMPARISON_PUNCT.has(text)) {
      op = text as ComparisonOperator;
      this.pos = index + 1;
    } else if (kind === KIND_IDENT) {
      if (text === 'in') {
        op = 'in';
        this.pos = index + 1;
      } else if (text === 'not' && this.isWord('in', this.peek())) {
        const start = this.starts[this.advance()]!;
        opSpan = { start, end: this.ends[this.advance()]! };
        op = 'not in';
      } else if (text === 'from') {
        this.pos = index + 1;
        const source = this.parseTarget('after `from`');
        return { kind: 'From', span: { start: left.span.start, end: source.span.end }, value: left, source };
      }
    }
    if (op === undefined) return left;
    opSpan ??= this.spanOf(index);
    const right = this.parsePrimary();
    return { kind: 'Binary', span: { start: left.span.start, end: right.span.end }, op, opSpan, left, right };
  }

  parsePrimary(): Expr {
    const index = this.pos;
    switch (this.kinds[index]) {
      case KIND_STRING:
        this.pos = index + 1;
        return { kind: 'String', span: this.spanOf(index), value: this.texts[index]! };
      case KIND_NUMBER:
        this.pos = index + 1;
        return { kind: 'Number', span: this.spanOf(index), value: this.values[index]!, raw: this.texts[index]! };
      case KIND_DURATION:
        this.pos = index + 1;
        return { kind: 'Duration', span: this.spanOf(index), ms: this.values[index]!, raw: this.texts[index]! };
      case KIND_IDENT:
        // A declaration keyword opening a new line ends the rule: the value is missing. Unless a
        // `.` follows: `context.freeze`, `agent.tier` on a new line are paths.
        if (this.lineStartAt(index) && DECLARATION_KEYWORDS.has(this.texts[index]!) && !this.isPunct('.', this.peek())) break;
        return this.parseWordExpr();
      case KIND_PUNCT: {
        const text = this.texts[index];
        if (text === '(') return this.parseParenthesized();
        if (text === '[') return this.parseList();
        if (text === '{') return this.parseObject();
        break;
      }
      case KIND_ERROR:
        this.pos = index + 1; // the lexer reported it
        return { kind: 'ErrorExpr', span: this.spanOf(index) };
      case KIND_EOF:
        break;
    }
    this.expected('a value or condition');
    const start = this.starts[index]!;
    return { kind: 'ErrorExpr', span: { start, end: start } };
  }

  private parseWordExpr(): Expr {
    const index = this.advance();
    const span = this.spanOf(index);
    const text = this.texts[index]!;
    if (text === 'true' || text === 'false') return { kind: 'Bool', span, value: text === 'true' };
    if (text === 'null') return { kind: 'Null', span };
    const name: Name = { kind: 'Name', span, value: text, quoted: false, glob: (this.flags[index]! & FLAG_GLOB) !== 0 };
    if (Object.hasOwn(PATH_ROOTS, text)) {
      const mark = this.mark();
      while (this.isPunct('.')) {
        this.pos++;
        const field = this.parseName('a field name after `.`');
        if (!field) break;
        this.collect(field);
      }
      const fields = this.collected<Name>(mark);
      return { kind: 'Path', span: this.spanFrom(span.start), root: name, fields };
    }
    if (name.glob) this.error('globNotAllowed', span, 'a pattern is not allowed as a value', 'write patterns as strings: `"get_*"`');
    return { kind: 'SetRef', span, name };
  }

  private parseParenthesized(): Expr {
    const open = this.pos;
    if (!this.enterNesting()) {
      this.skipBalanced();
      return { kind: 'ErrorExpr', span: this.spanFrom(this.starts[open]!) };
    }
    this.advance();
    const inner = this.parseExpr();
    if (!this.eatPunct(')')) {
      if (this.kinds[this.pos] === KIND_EOF) this.error('unclosedBlock', this.spanOf(open), '`(` is never closed', 'add `)`');
      else this.expected('`)`');
    }
    this.leaveNesting();
    // Parentheses leave no node; the formatter adds them back where precedence needs them.
    return inner;
  }

  parseList(): ListLit {
    const open = this.pos;
    const start = this.starts[open]!;
    if (!this.enterNesting()) {
      this.skipBalanced();
      return { kind: 'List', span: this.spanFrom(start), items: [] };
    }
    this.advance();
    const mark = this.mark();
    for (let first = true; this.nextInGroup(']', open, first, true); first = false) {
      const before = this.pos;
      this.collect(this.parseExpr());
      this.afterInGroup(']', before, true);
    }
    const items = this.collected<Expr>(mark);
    this.leaveNesting();
    return { kind: 'List', span: this.spanFrom(start), items };
  }

  parseObject(): ObjectLit {
    const open = this.pos;
    const start = this.starts[open]!;
    if (!this.enterNesting()) {
      this.skipBalanced();
      return { kind: 'Object', span: this.spanFrom(start), entries: [] };
    }
    this.advance();
    const mark = this.mark();
    for (let first = true; this.nextInGroup('}', open, first, true); first = false) {
      const before = this.pos;
      const key = this.parseName('a field name');
      if (key && this.expectPunct(':', ' after the field name')) {
        const value = this.parseExpr();
        this.collect({ key, value, span: { start: key.span.start, end: value.span.end } });
      }
      this.afterInGroup('}', before, true);
    }
    const entries = this.collected<ObjectLit['entries'][number]>(mark);
    this.leaveNesting();
    return { kind: 'Object', span: this.spanFrom(start), entries };
  }

  /** `tool x`, `tool [a, b*]`, `label x`, `label [x, y]`, `any tool`. */
  parseTarget(context: string): ToolSelector {
    const start = this.starts[this.pos]!;
    if (this.kinds[this.pos] === KIND_IDENT) {
      const word = this.texts[this.pos];
      if (word === 'tool') {
        this.pos++;
        const tools = this.parseNameOrList('a tool name or pattern', true, true);
        return { kind: 'ToolTarget', span: this.spanFrom(start), tools };
      }
      if (word === 'label') {
        this.pos++;
        const labels = this.parseNameOrList('a label name', false, true);
        return { kind: 'LabelTarget', span: this.spanFrom(start), labels };
      }
      if (word === 'any') {
        this.pos++;
        this.expectWord('tool', ' after `any`');
        return { kind: 'AnyToolTarget', span: this.spanFrom(start) };
      }
    }
    this.expected(`\`tool\`, \`label\` or \`any tool\` ${context}`);
    return { kind: 'MissingTarget', span: { start, end: start } };
  }

  /** `name` or `[name, name]`. */
  parseNameOrList(what: string, allowGlob: boolean, excludeClauseWords = false): Name[] {
    if (!this.isPunct('[')) {
      const name = this.parseName(what, allowGlob, excludeClauseWords);
      return name ? [name] : [];
    }
    const open = this.advance();
    const mark = this.mark();
    for (let first = true; this.nextInGroup(']', open, first, true); first = false) {
      const before = this.pos;
      const name = this.parseName(what, allowGlob);
      if (name) this.collect(name);
      this.afterInGroup(']', before, true);
    }
    return this.collected<Name>(mark);
  }

  /** type = `list<type>` | literal {`|` literal} | name. */
  parseType(): TypeExpr {
    const kind = this.kinds[this.pos];
    const start = this.starts[this.pos]!;
    if (kind === KIND_STRING || kind === KIND_NUMBER) {
      const mark = this.mark();
      do {
        const index = this.pos;
        const memberKind = this.kinds[index];
        if (memberKind === KIND_STRING) this.collect({ kind: 'String', span: this.spanOf(index), value: this.texts[index]! });
        else if (memberKind === KIND_NUMBER) this.collect({ kind: 'Number', span: this.spanOf(index), value: this.values[index]!, raw: this.texts[index]! });
        else {
          this.expected('a string or number literal after `|`');
          break;
        }
        this.advance();
      } while (this.eatPunct('|'));
      const members = this.collected<StringLit | NumberLit>(mark);
      return { kind: 'LiteralUnionType', span: this.spanFrom(start), members };
    }
    if (this.isWord('list') && this.isPunct('<', this.peek())) {
      this.pos += 2;
      if (!this.enterNesting()) {
        this.recover(true);
        return { kind: 'ErrorType', span: this.spanFrom(start) };
      }
      const element = this.parseType();
      this.leaveNesting();
      if (!this.eatPunct('>')) this.error('expectedToken', this.spanOf(), `expected \`>\` to close \`list<\`, found ${this.describe()}`);
      return { kind: 'ListType', span: this.spanFrom(start), element };
    }
    const name = this.parseName('a type (string, number, int, bool, object, any, list<...> or literal values)');
    if (!name) return { kind: 'ErrorType', span: { start, end: start } };
    return { kind: 'NamedType', span: name.span, name };
  }
}
