// Expressions, literals, types and tool selectors: the parts shared by rules, sets and tests.

import {
  PATH_ROOTS,
  type ComparisonOperator,
  type Expr,
  type ListLit,
  type Name,
  type ObjectLit,
  type Span,
  type ToolSelector,
  type TypeExpr,
} from './ast';
import { DECLARATION_KEYWORDS, ParserBase } from './parserBase';

const COMPARISON_PUNCT = new Set(['==', '!=', '<', '<=', '>', '>=', '~', '!~']);

export class ExpressionParser extends ParserBase {
  /** expr = orExpr */
  parseExpr(): Expr {
    return this.parseBinary('or', () => this.parseBinary('and', () => this.parseNot()));
  }

  private parseBinary(op: 'and' | 'or', operand: () => Expr): Expr {
    let left = operand();
    while (this.isWord(op)) {
      const opSpan = this.advance().span;
      const right = operand();
      left = { kind: 'Binary', span: { start: left.span.start, end: right.span.end }, op, opSpan, left, right };
    }
    return left;
  }

  private parseNot(): Expr {
    // `not not not x` is iterative; `not in` belongs to a comparison, handled there.
    const starts: number[] = [];
    while (this.isWord('not') && !this.isWord('in', this.peek())) {
      starts.push(this.advance().span.start);
    }
    let expr = this.parseComparison();
    for (let i = starts.length - 1; i >= 0; i--) {
      expr = { kind: 'Not', span: { start: starts[i]!, end: expr.span.end }, operand: expr };
    }
    return expr;
  }

  private parseComparison(): Expr {
    const left = this.parsePrimary();
    const token = this.token;
    let op: ComparisonOperator | undefined;
    let opSpan: Span = token.span;
    if (token.kind === 'Punct' && COMPARISON_PUNCT.has(token.text)) {
      op = token.text as ComparisonOperator;
      this.advance();
    } else if (this.isWord('in')) {
      op = 'in';
      this.advance();
    } else if (this.isWord('not') && this.isWord('in', this.peek())) {
      const start = this.advance().span.start;
      opSpan = { start, end: this.advance().span.end };
      op = 'not in';
    } else if (this.isWord('from')) {
      this.advance();
      const source = this.parseTarget('after `from`');
      return { kind: 'From', span: { start: left.span.start, end: source.span.end }, value: left, source };
    }
    if (op === undefined) return left;
    const right = this.parsePrimary();
    return { kind: 'Binary', span: { start: left.span.start, end: right.span.end }, op, opSpan, left, right };
  }

  parsePrimary(): Expr {
    const token = this.token;
    const span = token.span;
    switch (token.kind) {
      case 'String':
        this.advance();
        return { kind: 'String', span, value: token.text };
      case 'Number':
        this.advance();
        return { kind: 'Number', span, value: token.value!, raw: token.text };
      case 'Duration':
        this.advance();
        return { kind: 'Duration', span, ms: token.value!, raw: token.text };
      case 'Ident':
        // A declaration keyword opening a new line ends the rule: the value is missing. Unless a
        // `.` follows: `context.freeze`, `agent.tier` on a new line are paths.
        if (token.lineStart && DECLARATION_KEYWORDS.has(token.text) && !this.isPunct('.', this.peek())) break;
        return this.parseWordExpr();
      case 'Punct':
        if (token.text === '(') return this.parseParenthesized();
        if (token.text === '[') return this.parseList();
        if (token.text === '{') return this.parseObject();
        break;
      case 'Error':
        this.advance(); // the lexer reported it
        return { kind: 'ErrorExpr', span };
      case 'EOF':
        break;
    }
    this.expected('a value or condition');
    return { kind: 'ErrorExpr', span: { start: span.start, end: span.start } };
  }

  private parseWordExpr(): Expr {
    const token = this.advance();
    const span = token.span;
    if (token.text === 'true' || token.text === 'false') return { kind: 'Bool', span, value: token.text === 'true' };
    if (token.text === 'null') return { kind: 'Null', span };
    const name: Name = { kind: 'Name', span, value: token.text, quoted: false, glob: token.glob === true };
    if (Object.hasOwn(PATH_ROOTS, token.text)) {
      const fields: Name[] = [];
      while (this.isPunct('.')) {
        this.advance();
        const field = this.parseName('a field name after `.`');
        if (!field) break;
        fields.push(field);
      }
      return { kind: 'Path', span: this.spanFrom(span.start), root: name, fields };
    }
    if (name.glob) this.error('globNotAllowed', span, 'a pattern is not allowed as a value', 'write patterns as strings: `"get_*"`');
    return { kind: 'SetRef', span, name };
  }

  private parseParenthesized(): Expr {
    const open = this.token.span;
    if (!this.enterNesting()) {
      this.skipBalanced();
      return { kind: 'ErrorExpr', span: this.spanFrom(open.start) };
    }
    this.advance();
    const inner = this.parseExpr();
    if (!this.eatPunct(')')) {
      if (this.token.kind === 'EOF') this.error('unclosedBlock', open, '`(` is never closed', 'add `)`');
      else this.expected('`)`');
    }
    this.leaveNesting();
    // Parentheses leave no node; the formatter adds them back where precedence needs them.
    return inner;
  }

  parseList(): ListLit {
    const open = this.token.span;
    if (!this.enterNesting()) {
      this.skipBalanced();
      return { kind: 'List', span: this.spanFrom(open.start), items: [] };
    }
    this.advance();
    const items: Expr[] = [];
    this.parseGroup(']', open, () => items.push(this.parseExpr()), true);
    this.leaveNesting();
    return { kind: 'List', span: this.spanFrom(open.start), items };
  }

  parseObject(): ObjectLit {
    const open = this.token.span;
    if (!this.enterNesting()) {
      this.skipBalanced();
      return { kind: 'Object', span: this.spanFrom(open.start), entries: [] };
    }
    this.advance();
    const entries: ObjectLit['entries'][number][] = [];
    this.parseGroup(
      '}',
      open,
      () => {
        const key = this.parseName('a field name');
        if (!key) return;
        if (!this.expectPunct(':', ' after the field name')) return;
        const value = this.parseExpr();
        entries.push({ key, value, span: { start: key.span.start, end: value.span.end } });
      },
      true,
    );
    this.leaveNesting();
    return { kind: 'Object', span: this.spanFrom(open.start), entries };
  }

  /** `tool x`, `tool [a, b*]`, `label x`, `label [x, y]`, `any tool`. */
  parseTarget(context: string): ToolSelector {
    const start = this.token.span.start;
    if (this.eatWord('tool')) {
      const tools = this.parseNameOrList('a tool name or pattern', true, true);
      return { kind: 'ToolTarget', span: this.spanFrom(start), tools };
    }
    if (this.eatWord('label')) {
      const labels = this.parseNameOrList('a label name', false, true);
      return { kind: 'LabelTarget', span: this.spanFrom(start), labels };
    }
    if (this.eatWord('any')) {
      this.expectWord('tool', ' after `any`');
      return { kind: 'AnyToolTarget', span: this.spanFrom(start) };
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
    const open = this.advance().span;
    const names: Name[] = [];
    this.parseGroup(
      ']',
      open,
      () => {
        const name = this.parseName(what, allowGlob);
        if (name) names.push(name);
      },
      true,
    );
    return names;
  }

  /** type = `list<type>` | literal {`|` literal} | name. */
  parseType(): TypeExpr {
    const token = this.token;
    const start = token.span.start;
    if (token.kind === 'String' || token.kind === 'Number') {
      const members: (import('./ast').StringLit | import('./ast').NumberLit)[] = [];
      do {
        const member = this.token;
        if (member.kind === 'String') members.push({ kind: 'String', span: member.span, value: member.text });
        else if (member.kind === 'Number') members.push({ kind: 'Number', span: member.span, value: member.value!, raw: member.text });
        else {
          this.expected('a string or number literal after `|`');
          break;
        }
        this.advance();
      } while (this.eatPunct('|'));
      return { kind: 'LiteralUnionType', span: this.spanFrom(start), members };
    }
    if (this.isWord('list') && this.isPunct('<', this.peek())) {
      this.advance();
      const open = this.advance().span;
      if (!this.enterNesting()) {
        this.recover(true);
        return { kind: 'ErrorType', span: this.spanFrom(start) };
      }
      const element = this.parseType();
      this.leaveNesting();
      if (!this.eatPunct('>')) this.error('expectedToken', this.token.span, `expected \`>\` to close \`list<\`, found ${this.describe()}`);
      void open;
      return { kind: 'ListType', span: this.spanFrom(start), element };
    }
    const name = this.parseName('a type (string, number, int, bool, object, any, list<...> or literal values)');
    if (!name) return { kind: 'ErrorType', span: { start, end: start } };
    return { kind: 'NamedType', span: name.span, name };
  }
}
