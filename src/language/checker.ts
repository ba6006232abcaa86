// Phase 3: a parsed file, checked within its scope. Names resolve (tools, labels, roles, agents,
// humans, sets, imports), argument fields and types match the catalog, ids are unique, and rules
// that can never apply or never decide are flagged. Reports only problems located in the file.

import type { Declaration, Expr, FieldDecl, GrantDecl, LimitDecl, Name, PrincipalSelector, Rule, SourceFile, ToolSelector, TypeExpr } from './ast';
import { ExpressionChecker, didYouMean, setCycle } from './checkExpressions';
import { findImpossibleConditions } from './checkImpossible';
import { findShadowedRules } from './checkShadowing';
import { checkTests } from './checkTests';
import { diagnostic, type Diagnostic, type DiagnosticKind } from './diagnostics';
import { isGlob } from './glob';
import { suggestName } from './suggest';
import { resolveImportPath, selectTools, toolNamesMatching, type SymbolTable, type ToolSymbol } from './symbols';

export const TIERS = ['low', 'medium', 'high', 'critical'] as const;
/** What a limit may count per. */
export const PER_KEYS = ['agent', 'session', 'tool', 'human'] as const;
const TYPE_NAMES = ['string', 'number', 'int', 'bool', 'object', 'any'];

/** Checks one file within the scope whose symbols are given; returns its check diagnostics. */
export function checkFile(file: SourceFile, symbols: SymbolTable, files: ReadonlyMap<string, SourceFile>): Diagnostic[] {
  const checker = new FileChecker(file, symbols, files);
  checker.run();
  return checker.diagnostics.map((d) => ({ ...d, file: file.path }));
}

class FileChecker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly report = (d: Diagnostic): void => void this.diagnostics.push(d);
  /** What conditions are checked against; set for each rule before `conditions` runs. */
  private readonly conditionScope: { symbols: SymbolTable; tools: readonly ToolSymbol[]; toolsKnown: boolean };
  private readonly conditions: ExpressionChecker;

  constructor(
    private readonly file: SourceFile,
    private readonly symbols: SymbolTable,
    private readonly files: ReadonlyMap<string, SourceFile>,
  ) {
    this.conditionScope = { symbols, tools: NO_TOOLS, toolsKnown: false };
    this.conditions = new ExpressionChecker(this.conditionScope, this.report);
  }

  run(): void {
    this.checkDuplicates();
    for (const declaration of this.file.declarations) this.checkDeclaration(declaration);
    checkTests(this.file, this.symbols, this.report);
    findShadowedRules(this.file, this.symbols, this.report);
  }

  private checkDeclaration(declaration: Declaration): void {
    switch (declaration.kind) {
      case 'Import': {
        const target = resolveImportPath(this.file.path, declaration.path.value);
        if (!this.files.has(target)) {
          const suggestion = suggestName(target, this.files.keys());
          this.report(diagnostic('unresolvedImport', declaration.path.span, `cannot find \`${declaration.path.value}\` in the workspace`, suggestion ? { help: `did you mean \`${suggestion}\`?` } : { help: 'paths are relative to this file' }));
        }
        break;
      }
      case 'Timezone':
        if (!isValidTimeZone(declaration.zone.value)) {
          this.report(diagnostic('invalidTimezone', declaration.zone.span, `\`${declaration.zone.value}\` is not a time zone`, { help: 'use an IANA zone name such as "Europe/Berlin" or "UTC"' }));
        }
        if (this.symbols.timezones.length > 1 && this.symbols.timezones[0]!.node !== declaration) {
          this.report(diagnostic('duplicateTimezone', declaration.span, 'the workspace already declares a time zone', { related: [{ message: 'first declared here', span: this.symbols.timezones[0]!.node.span, file: this.symbols.timezones[0]!.file }] }));
        }
        break;
      case 'Context':
        for (const field of declaration.fields) this.checkType(field.type);
        break;
      case 'Tool':
        this.checkFields(declaration.args, 'argument');
        break;
      case 'Label':
        for (const pattern of declaration.tools) this.checkToolPattern(pattern);
        break;
      case 'Set': {
        const cyclic = declaration.value.items.filter((item) => item.kind === 'SetRef' && setCycle(declaration.name.value, item.name.value, this.symbols));
        for (const item of cyclic) this.report(diagnostic('recursiveSet', item.span, `set \`${declaration.name.value}\` refers to itself through \`${(item as { name: Name }).name.value}\``, { help: 'list the values themselves' }));
        new ExpressionChecker({ symbols: this.symbols, tools: [], toolsKnown: false }, this.report).typeOf(declaration.value);
        break;
      }
      case 'Agent':
        for (const role of declaration.roles) this.checkName(role, 'role');
        if (declaration.tier && !(TIERS as readonly string[]).includes(declaration.tier.value)) {
          const suggestion = suggestName(declaration.tier.value, TIERS);
          this.report(diagnostic('invalidTier', declaration.tier.span, `\`${declaration.tier.value}\` is not a risk tier`, suggestion ? didYouMean(declaration.tier.span, suggestion) : { help: 'tiers are low, medium, high, critical' }));
        }
        break;
      case 'Human':
        for (const role of declaration.roles) this.checkName(role, 'role');
        break;
      case 'Role':
        for (const rule of declaration.rules) if (rule.kind !== 'Error') this.checkRuleLike(rule);
        break;
      case 'Rule':
      case 'Limit':
      case 'Grant':
        this.checkRuleLike(declaration);
        break;
      case 'Test':
      case 'Error':
        break;
    }
  }

  private checkRuleLike(rule: Rule | LimitDecl | GrantDecl): void {
    const known = this.checkTarget(rule.target);
    if (rule.principal) this.checkPrincipal(rule.principal);
    if (rule.kind === 'Rule' && rule.after) this.checkTarget(rule.after.source);
    if (rule.when) {
      // The selected tools type `args` in the condition.
      const tools = known ? selectTools(rule.target, this.symbols) : undefined;
      this.conditionScope.tools = tools ?? NO_TOOLS;
      this.conditionScope.toolsKnown = tools !== undefined && tools.length > 0;
      this.conditions.checkCondition(rule.when);
      findImpossibleConditions(rule.when, this.report);
      this.checkFromSources(rule.when);
    }
    if (rule.kind === 'Limit') {
      if (!Number.isInteger(rule.count.value) || rule.count.value <= 0) {
        this.report(diagnostic('invalidLimit', rule.count.span, `a limit must be a positive whole number, not \`${rule.count.raw}\``));
      }
      if (rule.window.ms <= 0) this.report(diagnostic('invalidLimit', rule.window.span, 'the window of a limit must be longer than zero'));
      for (const key of rule.per) {
        if (!(PER_KEYS as readonly string[]).includes(key.value)) {
          const suggestion = suggestName(key.value, PER_KEYS);
          this.report(diagnostic('invalidLimit', key.span, `a limit counts per agent, session, tool or human, not per \`${key.value}\``, suggestion ? didYouMean(key.span, suggestion) : {}));
        }
      }
    }
    if (rule.kind === 'Grant') {
      for (const time of [rule.from, rule.until]) {
        if (time && !isTimestamp(time.value)) this.report(diagnostic('invalidTimestamp', time.span, `\`${time.value}\` is not an ISO 8601 time with a zone`, { help: 'write e.g. "2026-07-01T10:00:00Z"' }));
      }
    }
  }

  /** Names in `x from label y` clauses must resolve too. */
  private checkFromSources(expr: Expr): void {
    const stack = fromStack;
    const base = stack.length;
    stack.push(expr);
    while (stack.length > base) {
      const node = stack.pop()!;
      if (node.kind === 'From') this.checkTarget(node.source);
      else if (node.kind === 'Binary') stack.push(node.left, node.right);
      else if (node.kind === 'Not') stack.push(node.operand);
    }
  }

  /** Reports unknown names in a target; true when it can be resolved (see `selectTools`). */
  private checkTarget(target: ToolSelector): boolean {
    if (target.kind === 'MissingTarget') return false;
    let known = true;
    if (target.kind === 'ToolTarget') {
      for (const pattern of target.tools) known = this.checkToolPattern(pattern) && known;
    } else if (target.kind === 'LabelTarget') {
      for (const label of target.labels) known = this.checkName(label, 'label') && known;
    }
    return known;
  }

  private checkToolPattern(pattern: Name): boolean {
    if (pattern.value === '') return false;
    if (isGlob(pattern.value)) {
      if (toolNamesMatching(pattern.value, this.symbols.tools).length === 0) {
        this.report(diagnostic('globMatchesNoTool', pattern.span, `\`${pattern.value}\` matches no tool in the catalog`));
      }
      return true;
    }
    return this.checkName(pattern, 'tool');
  }

  private checkPrincipal(principal: PrincipalSelector): void {
    for (const name of principal.names) {
      if (principal.principalKind === 'tier') {
        if (!(TIERS as readonly string[]).includes(name.value)) {
          const suggestion = suggestName(name.value, TIERS);
          this.report(diagnostic('invalidTier', name.span, `\`${name.value}\` is not a risk tier`, suggestion ? didYouMean(name.span, suggestion) : { help: 'tiers are low, medium, high, critical' }));
        }
      } else this.checkName(name, principalKind(principal.principalKind));
    }
  }

  /** Reports an unknown tool, label, role, agent or human; true when the name is known. */
  checkName(name: Name, what: 'tool' | 'label' | 'role' | 'agent' | 'human'): boolean {
    if (name.value === '') return false;
    const table = what === 'tool' ? this.symbols.tools : what === 'label' ? this.symbols.labels : what === 'role' ? this.symbols.roles : what === 'agent' ? this.symbols.agents : this.symbols.humans;
    if (table.has(name.value)) return true;
    const kinds: Record<typeof what, DiagnosticKind> = { tool: 'unknownTool', label: 'unknownLabel', role: 'unknownRole', agent: 'unknownAgent', human: 'unknownHuman' };
    const suggestion = suggestName(name.value, table.keys());
    const where = what === 'tool' ? 'in the catalog' : what === 'label' ? 'on any tool or in a `label` declaration' : 'declared';
    this.report(diagnostic(kinds[what], name.span, `unknown ${what} \`${name.value}\`: not ${where}`, suggestion ? didYouMean(name.span, suggestion, name.quoted) : {}));
    return false;
  }

  private checkFields(fields: readonly FieldDecl[], what: string): void {
    // Argument lists are short: a map pays off only for long ones.
    const seen = fields.length > 16 ? new Map<string, FieldDecl>() : undefined;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      let first: FieldDecl | undefined;
      if (seen) {
        first = seen.get(field.name.value);
        if (!first) seen.set(field.name.value, field);
      } else first = firstNamed(fields, i, field.name.value);
      if (first) this.report(diagnostic('duplicateDeclaration', field.name.span, `${what} \`${field.name.value}\` is declared twice`, { related: [{ message: 'first declared here', span: first.name.span }] }));
      this.checkType(field.type);
    }
  }

  private checkType(type: TypeExpr): void {
    if (type.kind === 'ListType') this.checkType(type.element);
    if (type.kind !== 'NamedType' || TYPE_NAMES.includes(type.name.value)) return;
    const suggestion = suggestName(type.name.value, [...TYPE_NAMES, 'list']);
    this.report(diagnostic('unknownType', type.name.span, `unknown type \`${type.name.value}\``, suggestion ? didYouMean(type.name.span, suggestion) : { help: 'types are string, number, int, bool, object, any, list<T> and literal unions like "a" | "b"' }));
  }

  /**
   * Names declared twice in the scope. Each occurrence in this file after the first is reported
   * ("already declared"); the first is reported too when a later one is in another file ("also
   * declared in"), so a clash between a file and one it imports shows in the importing file.
   */
  private checkDuplicates(): void {
    for (const [key, occurrences] of this.symbols.duplicates) {
      const [kind] = key.split(' ', 1);
      if (kind === 'Test') continue; // reported by checkTests, in its words
      occurrences.forEach((occurrence, index) => {
        if (occurrence.file !== this.file.path) return;
        const other = index === 0 ? occurrences.find((item) => item.file !== this.file.path) : occurrences[0]!;
        if (!other) return;
        const name = occurrence.node.value;
        const what = kind === 'RuleId' ? `rule id \`${name}\` is` : `${kind!.toLowerCase()} \`${name}\` is`;
        const where = other.file === this.file.path ? '' : ` in \`${other.file}\``;
        const verb = kind === 'RuleId' ? 'used' : 'declared';
        const message = index === 0 ? `${what} also ${verb}${where}` : `${what} already ${verb}${where}`;
        const related = [{ message: index === 0 ? `also ${verb} here` : `first ${verb} here`, span: other.node.span, file: other.file }];
        this.report(diagnostic(kind === 'RuleId' ? 'duplicateRuleId' : 'duplicateDeclaration', occurrence.node.span, message, { related }));
      });
    }
  }
}

const NO_TOOLS: readonly ToolSymbol[] = [];

/** The first of `fields[0..end)` with the name, if any. */
function firstNamed(fields: readonly FieldDecl[], end: number, name: string): FieldDecl | undefined {
  for (let i = 0; i < end; i++) if (fields[i]!.name.value === name) return fields[i];
  return undefined;
}

// The walk of `checkFromSources`, reused (it never runs twice at once).
const fromStack: Expr[] = [];

function principalKind(kind: PrincipalSelector['principalKind']): 'agent' | 'human' | 'role' {
  return kind === 'tier' ? 'role' : kind;
}

/** Whether the runtime knows the IANA zone name. */
export function isValidTimeZone(zone: string): boolean {
  let valid = timeZoneValidity.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = zone !== '';
    } catch {
      valid = false;
    }
    timeZoneValidity.set(zone, valid);
  }
  return valid;
}
const timeZoneValidity = new Map<string, boolean>();

/** ISO 8601 date-time with seconds optional and a zone (`Z` or an offset). */
export function isTimestamp(text: string): boolean {
  let valid = timestampValidity.get(text);
  if (valid === undefined) {
    valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
    if (timestampValidity.size >= 10_000) timestampValidity.clear();
    timestampValidity.set(text, valid);
  }
  return valid;
}
// Tests repeat their times; each text is checked once.
const timestampValidity = new Map<string, boolean>();
