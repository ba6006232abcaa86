// Phase 2: tokens → syntax tree. Recursive descent with error recovery: `parse` never throws,
// always returns a whole `SourceFile` (with `Error` nodes where text could not be read) and
// every diagnostic. Nesting is bounded (see MAX_NESTING), so no input can overflow the stack.

import type {
  AgentDecl,
  ContextDecl,
  Declaration,
  DurationLit,
  Effect,
  ErrorDecl,
  Expr,
  FieldDecl,
  GrantDecl,
  HumanDecl,
  LabelDecl,
  LimitDecl,
  Name,
  NumberLit,
  PrincipalSelector,
  RoleDecl,
  Rule,
  SetDecl,
  SourceFile,
  Span,
  StringLit,
  TestCall,
  TestDecl,
  TestStep,
  ToolDecl,
  ToolSelector,
} from './ast';
import { sortDiagnostics, type Diagnostic } from './diagnostics';
import { lex } from './lexer';
import { ExpressionParser } from './parseExpressions';

export interface ParseResult {
  readonly value: SourceFile;
  readonly diagnostics: Diagnostic[];
}

/** Parses one file. `path` is recorded on the tree and on its diagnostics. */
export function parse(text: string, path = '<input>'): ParseResult {
  const lexed = lex(text);
  const parser = new DeclarationParser(lexed.tokens, text);
  const declarations = parser.parseFile();
  const value: SourceFile = {
    kind: 'SourceFile',
    span: { start: 0, end: text.length },
    path,
    text,
    declarations,
    comments: lexed.comments,
  };
  const diagnostics = sortDiagnostics([...lexed.diagnostics, ...parser.diagnostics]).map((d) => ({ ...d, file: path }));
  return { value, diagnostics };
}

const RULE_EFFECT_WORDS = new Set(['permit', 'forbid', 'monitor', 'require']);
const PRINCIPAL_KINDS = new Set(['agent', 'human', 'role', 'tier']);
const PER_KEYS = new Set(['agent', 'session', 'tool', 'human']);

class DeclarationParser extends ExpressionParser {
  parseFile(): Declaration[] {
    const declarations: Declaration[] = [];
    while (this.token.kind !== 'EOF') {
      const before = this.pos;
      const declaration = this.parseDeclaration();
      if (declaration) declarations.push(declaration);
      while (this.eatPunct(';')) { /* stray separators */ }
      if (this.pos === before) {
        const start = this.token.span.start;
        this.recover(false);
        declarations.push({ kind: 'Error', span: this.spanFrom(start) });
      }
    }
    return declarations;
  }

  private parseDeclaration(): Declaration | undefined {
    const token = this.token;
    if (token.kind === 'Ident') {
      switch (token.text) {
        case 'import':
          return this.parseSimpleString('Import', 'a file path string after `import`');
        case 'timezone':
          return this.parseSimpleString('Timezone', 'a time zone string such as `"Europe/Berlin"`');
        case 'context':
          return this.parseContext();
        case 'tool':
          return this.parseTool();
        case 'label':
          return this.parseLabel();
        case 'set':
          return this.parseSet();
        case 'agent':
          return this.parseAgent();
        case 'human':
          return this.parseHuman();
        case 'role':
          return this.parseRole();
        case 'limit':
          return this.parseLimit();
        case 'grant':
          return this.parseGrant();
        case 'test':
          return this.parseTest();
        default:
          if (RULE_EFFECT_WORDS.has(token.text)) return this.parseRule();
      }
    }
    if (token.kind !== 'Error') {
      this.error('expectedDeclaration', token.span, `expected a declaration, rule or test, found ${this.describe()}`, 'declarations start with `tool`, `agent`, `role`, `permit`, `forbid`, `require approval`, `limit`, `grant`, `test` and the like');
    }
    return undefined;
  }

  private parseSimpleString<K extends 'Import' | 'Timezone'>(kind: K, what: string): Declaration {
    const start = this.advance().span.start;
    const value = this.parseString(what) ?? { kind: 'String', span: { start: this.lastEnd, end: this.lastEnd }, value: '' };
    const span = this.spanFrom(start);
    return kind === 'Import' ? { kind: 'Import', span, path: value } : { kind: 'Timezone', span, zone: value };
  }

  /**
   * Parses `{ item* }` after a declaration head; tolerates a missing `{` by reporting it. Entries
   * named in `once` hold one value: a second one is reported, since it would silently replace
   * the first (and formatting would drop it).
   */
  private parseBlock(context: string, item: (word: string, start: number) => boolean, once: readonly string[] = []): void {
    if (!this.isPunct('{')) {
      this.expected(`\`{\` to open ${context}`);
      return;
    }
    const open = this.advance().span;
    const seen = new Set<string>();
    this.parseGroup('}', open, () => {
      const token = this.token;
      if (token.kind === 'Ident' && once.includes(token.text)) {
        if (seen.has(token.text)) this.error('duplicateClause', token.span, `\`${token.text}\` is given twice in ${context}`, 'keep one of them');
        seen.add(token.text);
      }
      if (token.kind === 'Ident' && item(token.text, token.span.start)) return;
      this.expected(`an entry of ${context}`);
    });
  }

  private parseFields(context: string): FieldDecl[] {
    const fields: FieldDecl[] = [];
    if (!this.isPunct('{')) {
      this.expected(`\`{\` to open ${context}`);
      return fields;
    }
    const open = this.advance().span;
    this.parseGroup('}', open, () => {
      const name = this.parseName('an argument name');
      if (!name) return;
      const optional = this.eatPunct('?');
      if (!this.expectPunct(':', ' after the name')) return;
      const type = this.parseType();
      fields.push({ kind: 'Field', span: this.spanFrom(name.span.start), name, optional, type });
    });
    return fields;
  }

  private parseContext(): ContextDecl {
    const start = this.advance().span.start;
    const fields = this.parseFields('the context fields');
    return { kind: 'Context', span: this.spanFrom(start), fields };
  }

  private parseTool(): ToolDecl {
    const start = this.advance().span.start;
    const name = this.parseName('a tool name') ?? this.missingName();
    let description: StringLit | undefined;
    let args: FieldDecl[] = [];
    const labels: Name[] = [];
    this.parseBlock(`tool \`${name.value}\``, (word) => {
      if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else if (word === 'args') {
        this.advance();
        args = args.concat(this.parseFields('the argument list'));
      } else if (word === 'labels') {
        this.advance();
        labels.push(...this.parseNameOrList('a label name', false));
      } else return false;
      return true;
    }, ['description']);
    return { kind: 'Tool', span: this.spanFrom(start), name, description, args, labels };
  }

  private parseLabel(): LabelDecl {
    const start = this.advance().span.start;
    const name = this.parseName('a label name') ?? this.missingName();
    const description = this.eatWord('description') ? this.parseString('a description string') : undefined;
    const tools: Name[] = [];
    if (this.eatPunct('=')) {
      do {
        const tool = this.parseName('a tool name or pattern', true);
        if (!tool) break;
        tools.push(tool);
      } while (this.eatPunct(','));
    }
    return { kind: 'Label', span: this.spanFrom(start), name, description, tools };
  }

  private parseSet(): SetDecl {
    const start = this.advance().span.start;
    const name = this.parseName('a set name') ?? this.missingName();
    this.expectPunct('=', ' after the set name');
    const value = this.isPunct('[') ? this.parseList() : (this.expected('a list `[ ... ]`'), { kind: 'List' as const, span: { start: this.lastEnd, end: this.lastEnd }, items: [] });
    return { kind: 'Set', span: this.spanFrom(start), name, value };
  }

  private parseAgent(): AgentDecl {
    const start = this.advance().span.start;
    const name = this.parseName('an agent name') ?? this.missingName();
    let owner: StringLit | undefined;
    let tier: Name | undefined;
    let description: StringLit | undefined;
    const roles: Name[] = [];
    this.parseBlock(`agent \`${name.value}\``, (word) => {
      if (word === 'owner') {
        this.advance();
        owner = this.parseString('an owner string');
      } else if (word === 'roles') {
        this.advance();
        roles.push(...this.parseNameOrList('a role name', false));
      } else if (word === 'tier') {
        this.advance();
        tier = this.parseName('a risk tier (low, medium, high, critical)');
      } else if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else return false;
      return true;
    }, ['owner', 'tier', 'description']);
    return { kind: 'Agent', span: this.spanFrom(start), name, owner, roles, tier, description };
  }

  private parseHuman(): HumanDecl {
    const start = this.advance().span.start;
    const name = this.parseName('a human name') ?? this.missingName();
    let description: StringLit | undefined;
    const roles: Name[] = [];
    this.parseBlock(`human \`${name.value}\``, (word) => {
      if (word === 'roles') {
        this.advance();
        roles.push(...this.parseNameOrList('a role name', false));
      } else if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else return false;
      return true;
    }, ['description']);
    return { kind: 'Human', span: this.spanFrom(start), name, roles, description };
  }

  private parseRole(): RoleDecl {
    const start = this.advance().span.start;
    const name = this.parseName('a role name') ?? this.missingName();
    let description: StringLit | undefined;
    const rules: (Rule | LimitDecl | ErrorDecl)[] = [];
    this.parseBlock(`role \`${name.value}\``, (word, itemStart) => {
      if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else if (RULE_EFFECT_WORDS.has(word)) rules.push(this.parseRule());
      else if (word === 'limit') rules.push(this.parseLimit());
      else return false;
      void itemStart;
      return true;
    }, ['description']);
    return { kind: 'Role', span: this.spanFrom(start), name, description, rules };
  }

  // --- rules ------------------------------------------------------------------------------------

  private parseEffect(): { effect: Effect; span: Span; approver: Name | undefined } {
    const token = this.advance();
    if (token.text !== 'require') return { effect: token.text as Effect, span: token.span, approver: undefined };
    this.expectWord('approval', ' after `require`');
    const span = this.spanFrom(token.span.start);
    const approver = this.eatWord('by') ? this.parseName('an approver group') : undefined;
    return { effect: 'approval', span, approver };
  }

  private parseRule(): Rule {
    const start = this.token.span.start;
    const { effect, span: effectSpan, approver } = this.parseEffect();
    // `for` may introduce the target (`require approval for tool x`) or a principal.
    if (this.isWord('for') && !PRINCIPAL_KINDS.has(this.peek().text)) this.advance();
    const target = this.parseTarget(`after \`${effect === 'approval' ? 'require approval' : effect}\``);
    const clauses = this.parseClauses(['for', 'when', 'after', 'id', 'because']);
    this.eatPunct(';');
    return {
      kind: 'Rule',
      span: this.spanFrom(start),
      effect,
      effectSpan,
      approver,
      target,
      principal: clauses.principal,
      when: clauses.when,
      after: clauses.after,
      id: clauses.id,
      because: clauses.because,
    };
  }

  /** The trailing clauses of rules, limits and grants, each at most once, in any order. */
  private parseClauses(allowed: readonly string[]): Clauses {
    const clauses: Clauses = {};
    const seen = new Set<string>();
    while (this.token.kind === 'Ident' && allowed.includes(this.token.text)) {
      const word = this.token.text;
      const wordSpan = this.advance().span;
      if (seen.has(word)) this.error('duplicateClause', wordSpan, `\`${word}\` is given twice in one rule`, 'combine the conditions with `and`');
      seen.add(word);
      if (word === 'for') clauses.principal = this.parsePrincipal(wordSpan.start);
      else if (word === 'when') clauses.when = this.parseExpr();
      else if (word === 'after') {
        const afterStart = wordSpan.start;
        const source = this.parseTarget('after `after`');
        const within = this.eatWord('within') ? this.parseDuration('a duration such as `10m` after `within`') : undefined;
        clauses.after = { kind: 'After', span: this.spanFrom(afterStart), source, within };
      } else if (word === 'id') clauses.id = this.parseName('a rule id');
      else if (word === 'because') clauses.because = this.parseString('a reason string after `because`');
    }
    return clauses;
  }

  private parsePrincipal(start: number): PrincipalSelector | undefined {
    const token = this.token;
    if (token.kind !== 'Ident' || !PRINCIPAL_KINDS.has(token.text)) {
      this.expected('`agent`, `human`, `role` or `tier` after `for`');
      return undefined;
    }
    this.advance();
    const principalKind = token.text as PrincipalSelector['principalKind'];
    const names = this.parseNameOrList(`${principalKind === 'agent' ? 'an' : 'a'} ${principalKind} name`, false, true);
    return { kind: 'Principal', span: this.spanFrom(start), principalKind, names };
  }

  private parseDuration(what: string): DurationLit | undefined {
    const token = this.token;
    if (token.kind === 'Duration') {
      this.advance();
      return { kind: 'Duration', span: token.span, ms: token.value!, raw: token.text };
    }
    if (token.kind === 'Error') {
      this.advance();
      return undefined;
    }
    this.expected(what);
    return undefined;
  }

  private parseNumber(what: string): NumberLit | undefined {
    const token = this.token;
    if (token.kind === 'Number') {
      this.advance();
      return { kind: 'Number', span: token.span, value: token.value!, raw: token.text };
    }
    this.expected(what);
    return undefined;
  }

  private parseLimit(): LimitDecl {
    const start = this.advance().span.start;
    const target = this.parseTarget('after `limit`');
    this.expectWord('to', ' after the limited tools');
    const count = this.parseNumber('a count after `to`') ?? { kind: 'Number', span: { start: this.lastEnd, end: this.lastEnd }, value: 0, raw: '0' };
    this.expectWord('per', ' after the count');
    const window = this.parseDuration('a window such as `1m` after `per`') ?? { kind: 'Duration', span: { start: this.lastEnd, end: this.lastEnd }, ms: 0, raw: '0s' };
    const per: Name[] = [];
    while (this.isWord('per')) {
      this.advance();
      const key = this.parseName('`agent`, `session`, `tool` or `human` after `per`');
      if (!key) break;
      if (!PER_KEYS.has(key.value) || key.quoted) this.error('expectedToken', key.span, `expected \`agent\`, \`session\`, \`tool\` or \`human\` after \`per\`, found \`${key.value}\``);
      per.push(key);
    }
    const clauses = this.parseClauses(['for', 'when', 'id', 'because']);
    this.eatPunct(';');
    return { kind: 'Limit', span: this.spanFrom(start), target, count, window, per, principal: clauses.principal, when: clauses.when, id: clauses.id, because: clauses.because };
  }

  private parseGrant(): GrantDecl {
    const start = this.advance().span.start;
    const target = this.parseTarget('after `grant`');
    const toStart = this.token.span.start;
    this.expectWord('to', ' after the granted tools');
    const principal = this.parsePrincipal(toStart) ?? { kind: 'Principal', span: { start: toStart, end: toStart }, principalKind: 'agent', names: [] };
    let duration: DurationLit | undefined;
    let afterApproval = false;
    let from: StringLit | undefined;
    let until: StringLit | undefined;
    if (this.eatWord('for')) {
      duration = this.parseDuration('a duration such as `15m` after `for`');
      if (this.eatWord('after')) afterApproval = this.expectWord('approval', ' after `after`');
    } else if (this.eatWord('from')) {
      from = this.parseString('an ISO 8601 time after `from`');
      this.expectWord('until', ' after the start time');
      until = this.parseString('an ISO 8601 time after `until`');
    } else {
      this.expected('`for <duration>` or `from "<time>" until "<time>"`');
    }
    const clauses = this.parseClauses(['when', 'id', 'because']);
    this.eatPunct(';');
    return { kind: 'Grant', span: this.spanFrom(start), target, principal, duration, afterApproval, from, until, when: clauses.when, id: clauses.id, because: clauses.because };
  }

  // --- tests ------------------------------------------------------------------------------------

  private parseTest(): TestDecl {
    const start = this.advance().span.start;
    const name = this.parseString('a test name string') ?? { kind: 'String', span: { start: this.lastEnd, end: this.lastEnd }, value: '' };
    const steps: TestStep[] = [];
    this.parseBlock('the test', (word) => {
      const step = this.parseTestStep(word);
      if (!step) return false;
      steps.push(step);
      return true;
    });
    return { kind: 'Test', span: this.spanFrom(start), name, steps };
  }

  private parseTestStep(word: string): TestStep | undefined {
    const start = this.token.span.start;
    switch (word) {
      case 'agent':
      case 'on_behalf_of':
      case 'session': {
        this.advance();
        const value = this.parseName(`a name after \`${word}\``);
        return value && { kind: 'TestSetting', span: this.spanFrom(start), setting: word, value };
      }
      case 'at': {
        this.advance();
        const value = this.parseString('an ISO 8601 time such as `"2026-07-01T10:00:00Z"`');
        return value && { kind: 'TestSetting', span: this.spanFrom(start), setting: 'at', value };
      }
      case 'approvals': {
        this.advance();
        const value = this.parseName('`approve` or `reject`');
        if (value && value.value !== 'approve' && value.value !== 'reject') this.error('expectedToken', value.span, `expected \`approve\` or \`reject\`, found \`${value.value}\``);
        return value && { kind: 'TestSetting', span: this.spanFrom(start), setting: 'approvals', value };
      }
      case 'context': {
        this.advance();
        if (!this.isPunct('{')) {
          this.expected('`{` with context values');
          return undefined;
        }
        const value = this.parseObject(); // before the span, which must include the object
        return { kind: 'TestSetting', span: this.spanFrom(start), setting: 'context', value };
      }
      case 'user': {
        this.advance();
        const text = this.parseString("the user's request as a string");
        return text && { kind: 'TestUser', span: this.spanFrom(start), text };
      }
      case 'call':
        return this.parseTestCall();
      default:
        return undefined;
    }
  }

  private parseTestCall(): TestCall {
    const start = this.advance().span.start;
    const tool = this.parseName('a tool name after `call`') ?? this.missingName();
    const args = this.isPunct('{') ? this.parseObject() : undefined;
    const at = this.eatWord('at') ? this.parseString('an ISO 8601 time') : undefined;
    const result = this.eatWord('result') ? this.parseString('the recorded result as a string') : undefined;
    let expect: TestCall['expect'];
    let expectApprover: Name | undefined;
    let expectRule: Name | undefined;
    if (this.isWord('expect')) {
      const expectStart = this.advance().span.start;
      const word = this.token;
      if (word.kind === 'Ident' && (word.text === 'allow' || word.text === 'deny' || word.text === 'approval')) {
        this.advance();
        expect = { span: this.spanFrom(expectStart), effect: word.text };
        if (word.text === 'approval' && this.eatWord('by')) expectApprover = this.parseName('an approver group');
      } else this.expected('`allow`, `deny` or `approval` after `expect`');
      if (this.eatWord('rule')) expectRule = this.parseName('a rule id');
    }
    return { kind: 'TestCall', span: this.spanFrom(start), tool, args, at, result, expect, expectRule, expectApprover };
  }

  private missingName(): Name {
    const at = this.lastEnd;
    return { kind: 'Name', span: { start: at, end: at }, value: '', quoted: false, glob: false };
  }
}

interface Clauses {
  principal?: PrincipalSelector | undefined;
  when?: Expr;
  after?: Rule['after'];
  id?: Name | undefined;
  because?: StringLit | undefined;
}

export type { ToolSelector };
