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
import { KIND_DURATION, KIND_EOF, KIND_ERROR, KIND_IDENT, KIND_NUMBER, releaseBuffer, scan } from './lexer';
import { ExpressionParser } from './parseExpressions';
import { releaseCollected } from './parserBase';

export interface ParseResult {
  readonly value: SourceFile;
  readonly diagnostics: Diagnostic[];
}

/** Parses one file. `path` is recorded on the tree and on its diagnostics. */
export function parse(text: string, path = '<input>'): ParseResult {
  const lexed = scan(text);
  const parser = new DeclarationParser(lexed.buffer, text);
  const declarations = parser.parseFile();
  releaseBuffer(lexed.buffer);
  releaseCollected();
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
const NO_WORDS: readonly string[] = [];
const ONCE_DESCRIPTION: readonly string[] = ['description'];
const ONCE_AGENT: readonly string[] = ['owner', 'tier', 'description'];

/** `items` then `more`, without copying either when the other is empty. */
function joined<T>(items: T[], more: T[]): T[] {
  return items.length === 0 ? more : more.length === 0 ? items : items.concat(more);
}

/** "tool `x`" or, without a name, just `what`: a block in messages. */
function blockContext(what: string, name: Name | undefined): string {
  return name ? `${what} \`${name.value}\`` : what;
}

class DeclarationParser extends ExpressionParser {
  parseFile(): Declaration[] {
    const declarations: Declaration[] = [];
    while (this.kinds[this.pos] !== KIND_EOF) {
      const before = this.pos;
      const declaration = this.parseDeclaration();
      if (declaration) declarations.push(declaration);
      while (this.eatPunct(';')) { /* stray separators */ }
      if (this.pos === before) {
        const start = this.tokenStart;
        this.recover(false);
        declarations.push({ kind: 'Error', span: this.spanFrom(start) });
      }
    }
    return declarations;
  }

  private parseDeclaration(): Declaration | undefined {
    const kind = this.kind;
    if (kind === KIND_IDENT) {
      const word = this.tokenText;
      switch (word) {
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
        case 'permit':
        case 'forbid':
        case 'monitor':
        case 'require':
          return this.parseRule();
      }
    }
    if (kind !== KIND_ERROR) {
      this.error('expectedDeclaration', this.spanOf(), `expected a declaration, rule or test, found ${this.describe()}`, 'declarations start with `tool`, `agent`, `role`, `permit`, `forbid`, `require approval`, `limit`, `grant`, `test` and the like');
    }
    return undefined;
  }

  private parseSimpleString<K extends 'Import' | 'Timezone'>(kind: K, what: string): Declaration {
    const start = this.starts[this.advance()]!;
    const value = this.parseString(what) ?? { kind: 'String', span: { start: this.lastEnd, end: this.lastEnd }, value: '' };
    const span = this.spanFrom(start);
    return kind === 'Import' ? { kind: 'Import', span, path: value } : { kind: 'Timezone', span, zone: value };
  }

  /**
   * Parses `{ item* }` after a declaration head (`what` and `name` describe it in messages:
   * "tool `x`", or just `what` without a name); tolerates a missing `{` by reporting it. Entries
   * named in `once` hold one value: a second one is reported, since it would silently replace
   * the first (and formatting would drop it).
   */
  private parseBlock(what: string, name: Name | undefined, item: (word: string) => boolean, once: readonly string[] = NO_WORDS): void {
    if (!this.isPunct('{')) {
      this.expected(`\`{\` to open ${blockContext(what, name)}`);
      return;
    }
    const open = this.advance();
    let seen: Set<string> | undefined;
    for (let first = true; this.nextInGroup('}', open, first, false); first = false) {
      const before = this.pos;
      let done = false;
      if (this.kinds[before] === KIND_IDENT) {
        const word = this.texts[before]!;
        if (once.includes(word)) {
          seen ??= new Set<string>();
          if (seen.has(word)) this.error('duplicateClause', this.spanOf(before), `\`${word}\` is given twice in ${blockContext(what, name)}`, 'keep one of them');
          seen.add(word);
        }
        done = item(word);
      }
      if (!done) this.expected(`an entry of ${blockContext(what, name)}`);
      this.afterInGroup('}', before, false);
    }
  }

  private parseFields(context: string): FieldDecl[] {
    if (!this.isPunct('{')) {
      this.expected(`\`{\` to open ${context}`);
      return [];
    }
    const open = this.advance();
    const mark = this.mark();
    for (let first = true; this.nextInGroup('}', open, first, false); first = false) {
      const before = this.pos;
      const name = this.parseName('an argument name');
      if (name) {
        const optional = this.eatPunct('?');
        if (this.expectPunct(':', ' after the name')) {
          const type = this.parseType();
          this.collect({ kind: 'Field', span: this.spanFrom(name.span.start), name, optional, type });
        }
      }
      this.afterInGroup('}', before, false);
    }
    return this.collected<FieldDecl>(mark);
  }

  private parseContext(): ContextDecl {
    const start = this.starts[this.advance()]!;
    const fields = this.parseFields('the context fields');
    return { kind: 'Context', span: this.spanFrom(start), fields };
  }

  private parseTool(): ToolDecl {
    const start = this.starts[this.advance()]!;
    const name = this.parseName('a tool name') ?? this.missingName();
    let description: StringLit | undefined;
    let args: FieldDecl[] = [];
    let labels: Name[] = [];
    this.parseBlock('tool', name, (word) => {
      if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else if (word === 'args') {
        this.advance();
        args = joined(args, this.parseFields('the argument list'));
      } else if (word === 'labels') {
        this.advance();
        labels = joined(labels, this.parseNameOrList('a label name', false));
      } else return false;
      return true;
    }, ONCE_DESCRIPTION);
    return { kind: 'Tool', span: this.spanFrom(start), name, description, args, labels };
  }

  private parseLabel(): LabelDecl {
    const start = this.starts[this.advance()]!;
    const name = this.parseName('a label name') ?? this.missingName();
    const description = this.eatWord('description') ? this.parseString('a description string') : undefined;
    const mark = this.mark();
    if (this.eatPunct('=')) {
      do {
        const tool = this.parseName('a tool name or pattern', true);
        if (!tool) break;
        this.collect(tool);
      } while (this.eatPunct(','));
    }
    const tools = this.collected<Name>(mark);
    return { kind: 'Label', span: this.spanFrom(start), name, description, tools };
  }

  private parseSet(): SetDecl {
    const start = this.starts[this.advance()]!;
    const name = this.parseName('a set name') ?? this.missingName();
    this.expectPunct('=', ' after the set name');
    const value = this.isPunct('[') ? this.parseList() : (this.expected('a list `[ ... ]`'), { kind: 'List' as const, span: { start: this.lastEnd, end: this.lastEnd }, items: [] });
    return { kind: 'Set', span: this.spanFrom(start), name, value };
  }

  private parseAgent(): AgentDecl {
    const start = this.starts[this.advance()]!;
    const name = this.parseName('an agent name') ?? this.missingName();
    let owner: StringLit | undefined;
    let tier: Name | undefined;
    let description: StringLit | undefined;
    let roles: Name[] = [];
    this.parseBlock('agent', name, (word) => {
      if (word === 'owner') {
        this.advance();
        owner = this.parseString('an owner string');
      } else if (word === 'roles') {
        this.advance();
        roles = joined(roles, this.parseNameOrList('a role name', false));
      } else if (word === 'tier') {
        this.advance();
        tier = this.parseName('a risk tier (low, medium, high, critical)');
      } else if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else return false;
      return true;
    }, ONCE_AGENT);
    return { kind: 'Agent', span: this.spanFrom(start), name, owner, roles, tier, description };
  }

  private parseHuman(): HumanDecl {
    const start = this.starts[this.advance()]!;
    const name = this.parseName('a human name') ?? this.missingName();
    let description: StringLit | undefined;
    let roles: Name[] = [];
    this.parseBlock('human', name, (word) => {
      if (word === 'roles') {
        this.advance();
        roles = joined(roles, this.parseNameOrList('a role name', false));
      } else if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else return false;
      return true;
    }, ONCE_DESCRIPTION);
    return { kind: 'Human', span: this.spanFrom(start), name, roles, description };
  }

  private parseRole(): RoleDecl {
    const start = this.starts[this.advance()]!;
    const name = this.parseName('a role name') ?? this.missingName();
    let description: StringLit | undefined;
    const mark = this.mark();
    this.parseBlock('role', name, (word) => {
      if (word === 'description') {
        this.advance();
        description = this.parseString('a description string');
      } else if (RULE_EFFECT_WORDS.has(word)) this.collect(this.parseRule());
      else if (word === 'limit') this.collect(this.parseLimit());
      else return false;
      return true;
    }, ONCE_DESCRIPTION);
    const rules = this.collected<Rule | LimitDecl | ErrorDecl>(mark);
    return { kind: 'Role', span: this.spanFrom(start), name, description, rules };
  }

  // --- rules ------------------------------------------------------------------------------------

  private parseRule(): Rule {
    const start = this.tokenStart;
    const effectIndex = this.advance();
    const effectWord = this.texts[effectIndex]!;
    let effect: Effect;
    let effectSpan: Span;
    let approver: Name | undefined;
    if (effectWord !== 'require') {
      effect = effectWord as Effect;
      effectSpan = this.spanOf(effectIndex);
    } else {
      this.expectWord('approval', ' after `require`');
      effect = 'approval';
      effectSpan = this.spanFrom(start);
      approver = this.eatWord('by') ? this.parseName('an approver group') : undefined;
    }
    // `for` may introduce the target (`require approval for tool x`) or a principal.
    if (this.isWord('for') && !PRINCIPAL_KINDS.has(this.texts[this.peek()]!)) this.advance();
    const target = this.parseTarget(TARGET_CONTEXTS[effect]);
    const clauses = this.parseClauses(RULE_CLAUSES);
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
  private parseClauses(allowed: number): Clauses {
    const clauses = new Clauses();
    let seen = 0;
    while (this.kinds[this.pos] === KIND_IDENT) {
      const word = this.texts[this.pos]!;
      const clause = clauseBit(word);
      if ((clause & allowed) === 0) break;
      const wordIndex = this.advance();
      const wordStart = this.starts[wordIndex]!;
      if ((seen & clause) !== 0) this.error('duplicateClause', this.spanOf(wordIndex), `\`${word}\` is given twice in one rule`, 'combine the conditions with `and`');
      seen |= clause;
      if (clause === CLAUSE_FOR) clauses.principal = this.parsePrincipal(wordStart);
      else if (clause === CLAUSE_WHEN) clauses.when = this.parseExpr();
      else if (clause === CLAUSE_AFTER) {
        const afterStart = wordStart;
        const source = this.parseTarget('after `after`');
        const within = this.eatWord('within') ? this.parseDuration('a duration such as `10m` after `within`') : undefined;
        clauses.after = { kind: 'After', span: this.spanFrom(afterStart), source, within };
      } else if (clause === CLAUSE_ID) clauses.id = this.parseName('a rule id', false, true);
      else clauses.because = this.parseString('a reason string after `because`');
    }
    return clauses;
  }

  private parsePrincipal(start: number): PrincipalSelector | undefined {
    const index = this.pos;
    const text = this.texts[index]!;
    if (this.kinds[index] !== KIND_IDENT || !PRINCIPAL_KINDS.has(text)) {
      this.expected('`agent`, `human`, `role` or `tier` after `for`');
      return undefined;
    }
    this.pos = index + 1;
    const principalKind = text as PrincipalSelector['principalKind'];
    const names = this.parseNameOrList(PRINCIPAL_NAMES[principalKind], false, true);
    return { kind: 'Principal', span: this.spanFrom(start), principalKind, names };
  }

  private parseDuration(what: string): DurationLit | undefined {
    const index = this.pos;
    const kind = this.kinds[index];
    if (kind === KIND_DURATION) {
      this.pos = index + 1;
      return { kind: 'Duration', span: this.spanOf(index), ms: this.values[index]!, raw: this.texts[index]! };
    }
    if (kind === KIND_ERROR) {
      this.pos = index + 1;
      return undefined;
    }
    this.expected(what);
    return undefined;
  }

  private parseNumber(what: string): NumberLit | undefined {
    const index = this.pos;
    if (this.kinds[index] === KIND_NUMBER) {
      this.pos = index + 1;
      return { kind: 'Number', span: this.spanOf(index), value: this.values[index]!, raw: this.texts[index]! };
    }
    this.expected(what);
    return undefined;
  }

  private parseLimit(): LimitDecl {
    const start = this.starts[this.advance()]!;
    const target = this.parseTarget('after `limit`');
    this.expectWord('to', ' after the limited tools');
    const count = this.parseNumber('a count after `to`') ?? { kind: 'Number', span: { start: this.lastEnd, end: this.lastEnd }, value: 0, raw: '0' };
    this.expectWord('per', ' after the count');
    const window = this.parseDuration('a window such as `1m` after `per`') ?? { kind: 'Duration', span: { start: this.lastEnd, end: this.lastEnd }, ms: 0, raw: '0s' };
    const mark = this.mark();
    while (this.isWord('per')) {
      this.advance();
      const key = this.parseName('`agent`, `session`, `tool` or `human` after `per`');
      if (!key) break;
      this.collect(key);
    }
    const per = this.collected<Name>(mark);
    const clauses = this.parseClauses(LIMIT_CLAUSES);
    this.eatPunct(';');
    return { kind: 'Limit', span: this.spanFrom(start), target, count, window, per, principal: clauses.principal, when: clauses.when, id: clauses.id, because: clauses.because };
  }

  private parseGrant(): GrantDecl {
    const start = this.starts[this.advance()]!;
    const target = this.parseTarget('after `grant`');
    const toStart = this.tokenStart;
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
    const clauses = this.parseClauses(GRANT_CLAUSES);
    this.eatPunct(';');
    return { kind: 'Grant', span: this.spanFrom(start), target, principal, duration, afterApproval, from, until, when: clauses.when, id: clauses.id, because: clauses.because };
  }

  // --- tests ------------------------------------------------------------------------------------

  private parseTest(): TestDecl {
    const start = this.starts[this.advance()]!;
    const name = this.parseString('a test name string') ?? { kind: 'String', span: { start: this.lastEnd, end: this.lastEnd }, value: '' };
    const mark = this.mark();
    this.parseBlock('the test', undefined, (word) => {
      const step = this.parseTestStep(word);
      if (!step) return false;
      this.collect(step);
      return true;
    });
    const steps = this.collected<TestStep>(mark);
    return { kind: 'Test', span: this.spanFrom(start), name, steps };
  }

  private parseTestStep(word: string): TestStep | undefined {
    const start = this.tokenStart;
    switch (word) {
      case 'agent':
      case 'on_behalf_of':
      case 'session': {
        this.advance();
        const value = this.parseName(SETTING_NAMES[word]);
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
    const start = this.starts[this.advance()]!;
    const tool = this.parseName('a tool name after `call`') ?? this.missingName();
    const args = this.isPunct('{') ? this.parseObject() : undefined;
    const at = this.eatWord('at') ? this.parseString('an ISO 8601 time') : undefined;
    const result = this.eatWord('result') ? this.parseString('the recorded result as a string') : undefined;
    let expect: TestCall['expect'];
    let expectApprover: Name | undefined;
    let expectRule: Name | undefined;
    if (this.isWord('expect')) {
      const expectStart = this.starts[this.advance()]!;
      const word = this.texts[this.pos]!;
      if (this.kinds[this.pos] === KIND_IDENT && (word === 'allow' || word === 'deny' || word === 'approval')) {
        this.advance();
        expect = { span: this.spanFrom(expectStart), effect: word };
        if (word === 'approval' && this.eatWord('by')) expectApprover = this.parseName('an approver group');
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

class Clauses {
  principal: PrincipalSelector | undefined = undefined;
  when: Expr | undefined = undefined;
  after: Rule['after'] = undefined;
  id: Name | undefined = undefined;
  because: StringLit | undefined = undefined;
}

// Clause words as bits, so `parseClauses` tracks what it allows and has seen in a number.
const CLAUSE_FOR = 1;
const CLAUSE_WHEN = 2;
const CLAUSE_AFTER = 4;
const CLAUSE_ID = 8;
const CLAUSE_BECAUSE = 16;
const RULE_CLAUSES = CLAUSE_FOR | CLAUSE_WHEN | CLAUSE_AFTER | CLAUSE_ID | CLAUSE_BECAUSE;
const LIMIT_CLAUSES = CLAUSE_FOR | CLAUSE_WHEN | CLAUSE_ID | CLAUSE_BECAUSE;
const GRANT_CLAUSES = CLAUSE_WHEN | CLAUSE_ID | CLAUSE_BECAUSE;

function clauseBit(word: string): number {
  switch (word) {
    case 'for':
      return CLAUSE_FOR;
    case 'when':
      return CLAUSE_WHEN;
    case 'after':
      return CLAUSE_AFTER;
    case 'id':
      return CLAUSE_ID;
    case 'because':
      return CLAUSE_BECAUSE;
    default:
      return 0;
  }
}

const TARGET_CONTEXTS: Readonly<Record<Effect, string>> = {
  permit: 'after `permit`',
  forbid: 'after `forbid`',
  monitor: 'after `monitor`',
  approval: 'after `require approval`',
};
const PRINCIPAL_NAMES: Readonly<Record<PrincipalSelector['principalKind'], string>> = {
  agent: 'an agent name',
  human: 'a human name',
  role: 'a role name',
  tier: 'a tier name',
};
const SETTING_NAMES: Readonly<Record<'agent' | 'on_behalf_of' | 'session', string>> = {
  agent: 'a name after `agent`',
  on_behalf_of: 'a name after `on_behalf_of`',
  session: 'a name after `session`',
};

export type { ToolSelector };
