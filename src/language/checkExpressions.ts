// Type checking of conditions: paths resolve against the catalog, identities, context and time;
// operators get operands they apply to; literals that can never match are flagged.

import type { BinaryExpr, Expr, FieldDecl, Name, PathExpr, Span } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';
import { suggestName } from './suggest';
import { aType, describeType, typeOf, type SymbolTable, type ToolSymbol, type ValueType } from './symbols';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const T = {
  string: { kind: 'string' },
  number: { kind: 'number' },
  int: { kind: 'int' },
  bool: { kind: 'bool' },
  any: { kind: 'any' },
  null: { kind: 'null' },
  object: { kind: 'object' },
  duration: { kind: 'duration' },
  weekday: { kind: 'weekday' },
  strings: { kind: 'list', element: { kind: 'string' } },
} as const satisfies Record<string, ValueType>;

/** Fields of the fixed path roots (everything but `args` and `context`). */
export const ROOT_FIELDS: Readonly<Record<string, Readonly<Record<string, ValueType>>>> = {
  agent: { id: T.string, owner: T.string, tier: { kind: 'enum', values: ['low', 'medium', 'high', 'critical'] }, roles: T.strings },
  human: { id: T.string, roles: T.strings },
  time: { hour: T.int, minute: T.int, weekday: T.weekday, date: T.string },
  tool: { name: T.string, labels: T.strings },
  session: { id: T.string, calls: T.int },
};

/** What a condition is checked against: the tools its rule selects. */
export interface ExpressionScope {
  readonly symbols: SymbolTable;
  /** The tools the enclosing rule selects; `args.x` must exist on them. */
  readonly tools: readonly ToolSymbol[];
  /** False for a target that could not be resolved; `args` is then not checked. */
  readonly toolsKnown: boolean;
}

export class ExpressionChecker {
  /** Sets whose items are being typed, to stop a set that refers to itself. */
  private readonly openSets = new Set<string>();

  constructor(
    private readonly scope: ExpressionScope,
    private readonly report: (diagnostic: Diagnostic) => void,
  ) {}

  /** Checks a condition that must be true or false. */
  checkCondition(expr: Expr): void {
    const type = this.typeOf(expr);
    if (type.kind !== 'bool' && type.kind !== 'any') {
      this.report(diagnostic('typeMismatch', expr.span, `a condition must be true or false, but this is ${aType(type)}`, { help: 'compare it with a value, e.g. `== "x"`' }));
    }
  }

  /** The type of an expression, reporting problems inside it. */
  typeOf(expr: Expr): ValueType {
    switch (expr.kind) {
      case 'String':
        return T.string;
      case 'Number':
        return Number.isInteger(expr.value) ? T.int : T.number;
      case 'Bool':
        return T.bool;
      case 'Null':
        return T.null;
      case 'Duration':
        return T.duration;
      case 'List': {
        const known = literalListTypes.get(expr);
        if (known) return known;
        // Every item is checked; the element type is the first item's when all are of its kind.
        let first: ValueType | undefined;
        let same = true;
        let literal = true;
        for (const item of expr.items) {
          const type = this.typeOf(item);
          if (!first) first = type;
          else if (same && !sameKind(type, first)) same = false;
          if (literal && !isLiteral(item)) literal = false;
        }
        const type: ValueType = { kind: 'list', element: first && same ? first : T.any };
        if (literal && expr.items.length >= 4) literalListTypes.set(expr, type);
        return type;
      }
      case 'Object':
        for (const entry of expr.entries) this.typeOf(entry.value);
        return T.object;
      case 'Path':
        return this.pathType(expr);
      case 'SetRef': {
        const set = this.scope.symbols.sets.get(expr.name.value);
        if (!set) {
          this.unknownName('unknownSet', expr.name, 'set', this.scope.symbols.sets.keys());
          return T.any;
        }
        // A set's items are values; one naming a set (itself, or one naming it back) would never end.
        // (The cycle is reported once, at the set's own declaration: see `setCycle`.)
        if (this.openSets.has(expr.name.value)) return T.any;
        this.openSets.add(expr.name.value);
        try {
          return this.typeOf(set.node.value);
        } finally {
          this.openSets.delete(expr.name.value);
        }
      }
      case 'Not':
        this.checkCondition(expr.operand);
        return T.bool;
      case 'From':
        if (expr.value.kind !== 'Path') {
          this.report(diagnostic('operatorNotApplicable', expr.value.span, '`from` needs a value from the call, such as `args.recipient`'));
        } else this.typeOf(expr.value);
        return T.bool;
      case 'Binary':
        return this.binaryType(expr);
      case 'ErrorExpr':
        return T.any;
    }
  }

  private binaryType(expr: BinaryExpr): ValueType {
    if (expr.op === 'and' || expr.op === 'or') {
      this.checkCondition(expr.left);
      this.checkCondition(expr.right);
      return T.bool;
    }
    const left = this.typeOf(expr.left);
    const right = this.typeOf(expr.right);
    if (left.kind === 'any' || right.kind === 'any') return T.bool;
    switch (expr.op) {
      case '==':
      case '!=':
        this.checkEquality(expr, left, right);
        return T.bool;
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (isNumeric(left) && isNumeric(right) && (left.kind === 'duration') === (right.kind === 'duration')) return T.bool;
        if (left.kind === 'string' && right.kind === 'string') return T.bool;
        return this.notApplicable(expr, `compares numbers (or strings), not ${aType(left)} with ${aType(right)}`);
      case '~':
      case '!~':
        if (!isStringLike(left) && !(left.kind === 'list' && isStringLike(left.element))) return this.notApplicable(expr, `matches text against a pattern, but the left side is ${aType(left)}`);
        if (!isStringLike(right) && !(right.kind === 'list' && (isStringLike(right.element) || right.element.kind === 'any'))) return this.notApplicable(expr, `needs a pattern string or a list of patterns on the right, not ${aType(right)}`);
        return T.bool;
      case 'in':
      case 'not in':
        if (right.kind !== 'list') return this.notApplicable(expr, `needs a list or set on the right, not ${aType(right)}`);
        this.checkEquality(expr, left.kind === 'list' ? left.element : left, right.element, expr.right.kind === 'List' ? expr.right.items : undefined);
        return T.bool;
    }
  }

  private notApplicable(expr: BinaryExpr, why: string): ValueType {
    this.report(diagnostic('operatorNotApplicable', expr.opSpan, `\`${expr.op}\` ${why}`));
    return T.bool;
  }

  /** Equal-comparability of two types, and literal values that can never match. */
  private checkEquality(expr: BinaryExpr, left: ValueType, right: ValueType, rightItems?: readonly Expr[]): void {
    if (left.kind === 'any' || right.kind === 'any' || left.kind === 'null' || right.kind === 'null') return;
    if (left.kind === 'weekday' || right.kind === 'weekday') {
      // The left side, then the right side's literals (the items of a list written in place).
      this.checkWeekday(expr.left);
      if (rightItems) for (const item of rightItems) this.checkWeekday(item);
      else this.checkWeekday(expr.right);
      return;
    }
    if (left.kind === 'enum' || right.kind === 'enum') {
      const enumType = left.kind === 'enum' ? left : (right as { kind: 'enum'; values: readonly (string | number)[] });
      if (left.kind !== 'enum') this.checkEnumMember(expr.left, enumType);
      else if (rightItems) for (const item of rightItems) this.checkEnumMember(item, enumType);
      else this.checkEnumMember(expr.right, enumType);
      return;
    }
    if (!comparable(left, right)) {
      this.report(diagnostic('typeMismatch', expr.opSpan, `\`${expr.op}\` compares ${aType(left)} with ${aType(right)}, which never matches`));
    }
  }

  private checkWeekday(item: Expr): void {
    if (item.kind === 'String' && !(WEEKDAYS as readonly string[]).includes(item.value)) {
      const suggestion = WEEKDAYS.find((day) => item.value.toLowerCase().startsWith(day)) ?? suggestName(item.value.toLowerCase(), WEEKDAYS);
      this.report(diagnostic('invalidWeekday', item.span, `\`${item.value}\` is not a weekday`, { help: suggestion ? `did you mean \`${suggestion}\`?` : 'weekdays are mon, tue, wed, thu, fri, sat, sun', ...(suggestion ? { fix: { title: `change to \`${suggestion}\``, span: item.span, newText: JSON.stringify(suggestion) } } : {}) }));
    }
  }

  private checkEnumMember(item: Expr, enumType: { kind: 'enum'; values: readonly (string | number)[] }): void {
    if ((item.kind === 'String' || item.kind === 'Number') && !enumType.values.includes(item.value)) {
      this.report(diagnostic('impossibleCondition', item.span, `\`${JSON.stringify(item.value)}\` is never one of ${describeType(enumType)}, so this comparison never holds`));
    }
  }

  private pathType(path: PathExpr): ValueType {
    const root = path.root.value;
    const fieldNames = path.fields;
    const first = fieldNames[0];
    if (!first) {
      this.report(diagnostic('unknownPath', path.span, `\`${root}\` needs a field, such as \`${root}.${exampleField(root)}\``));
      return T.any;
    }
    let type: ValueType;
    if (root === 'args') type = this.argumentType(first);
    else if (root === 'context') type = this.contextType(first);
    else {
      const fields = ROOT_FIELDS[root]!;
      const found = Object.hasOwn(fields, first.value) ? fields[first.value] : undefined;
      if (!found) {
        this.unknownField('unknownPath', first, `\`${root}\` has no field \`${first.value}\``, Object.keys(fields));
        return T.any;
      }
      type = found;
    }
    if (fieldNames.length > 1) {
      if (type.kind === 'object' || type.kind === 'any') return T.any;
      const field = fieldNames[1]!;
      this.report(diagnostic('unknownPath', field.span, `${aType(type)} has no field \`${field.value}\``));
      return T.any;
    }
    return type;
  }

  private argumentType(name: Name): ValueType {
    if (!this.scope.toolsKnown) return T.any;
    const { tools } = this.scope;
    let known: Map<string, ValueType> | undefined;
    if (tools.length > 8) {
      known = argumentTypes.get(tools);
      if (!known) argumentTypes.set(tools, (known = new Map()));
      const found = known.get(name.value);
      if (found) return found;
    }
    // The type of the argument on every selected tool that has it, when all agree in kind.
    let type: ValueType | undefined;
    let same = true;
    for (const tool of tools) {
      const arg = tool.args.get(name.value);
      if (!arg) continue;
      if (!type) type = arg.type;
      else if (same && !sameKind(arg.type, type)) same = false;
    }
    if (!type) {
      const candidates = new Set(tools.flatMap((tool) => [...tool.args.keys()]));
      const message =
        tools.length === 1 ? `\`${tools[0]!.name}\` has no argument \`${name.value}\`` : `none of the ${tools.length} selected tools has an argument \`${name.value}\``;
      this.unknownField('unknownArgument', name, message, candidates);
      return T.any;
    }
    const result = same ? type : T.any;
    known?.set(name.value, result);
    return result;
  }

  private contextType(name: Name): ValueType {
    const context = this.scope.symbols.context;
    const field = context?.get(name.value);
    if (field) {
      let type = contextFieldTypes.get(field.node);
      if (!type) contextFieldTypes.set(field.node, (type = typeOf(field.node.type)));
      return type;
    }
    this.unknownField('unknownContextField', name, `context field \`${name.value}\` is not declared`, context ? context.keys() : [], context ? undefined : `declare it: \`context { ${name.value}: string }\``);
    return T.any;
  }

  private unknownField(kind: 'unknownPath' | 'unknownArgument' | 'unknownContextField', name: Name, message: string, candidates: Iterable<string>, help?: string): void {
    const suggestion = suggestName(name.value, candidates);
    this.report(diagnostic(kind, name.span, message, suggestion ? didYouMean(name.span, suggestion) : help ? { help } : {}));
  }

  private unknownName(kind: 'unknownSet', name: Name, what: string, candidates: Iterable<string>): void {
    const suggestion = suggestName(name.value, candidates);
    this.report(diagnostic(kind, name.span, `unknown ${what} \`${name.value}\``, suggestion ? didYouMean(name.span, suggestion) : { help: `declare it: \`set ${name.value} = [...]\`, or write a string in quotes` }));
  }
}

// Rules repeat selectors and sets, and selections are shared (see `selectTools`): the type of
// an argument across a selection of tools, and of a list of literals (which has nothing to
// report), are worked out once.
const argumentTypes = new WeakMap<readonly ToolSymbol[], Map<string, ValueType>>();
const literalListTypes = new WeakMap<Expr, ValueType>();
// Conditions read the same few context fields over and over.
const contextFieldTypes = new WeakMap<FieldDecl, ValueType>();

function isLiteral(expr: Expr): boolean {
  return expr.kind === 'String' || expr.kind === 'Number' || expr.kind === 'Bool' || expr.kind === 'Null' || expr.kind === 'Duration';
}

/** The `help` and quick fix of a "did you mean" suggestion. */
export function didYouMean(span: Span, suggestion: string, quoted = false): { help: string; fix: { title: string; span: Span; newText: string } } {
  const newText = quoted || !/^[A-Za-z_*][A-Za-z0-9_*]*(?:-[A-Za-z0-9_*]+)*$/.test(suggestion) ? JSON.stringify(suggestion) : suggestion;
  return { help: `did you mean \`${suggestion}\`?`, fix: { title: `change to \`${suggestion}\``, span, newText } };
}

function exampleField(root: string): string {
  return root === 'args' ? 'amount' : root === 'context' ? 'environment' : Object.keys(ROOT_FIELDS[root] ?? {})[0] ?? 'id';
}

function isNumeric(type: ValueType): boolean {
  return type.kind === 'number' || type.kind === 'int' || type.kind === 'duration';
}

function isStringLike(type: ValueType): boolean {
  return type.kind === 'string' || type.kind === 'weekday' || type.kind === 'any' || (type.kind === 'enum' && type.values.every((value) => typeof value === 'string'));
}

function sameKind(a: ValueType, b: ValueType): boolean {
  if (a.kind === 'list' && b.kind === 'list') return sameKind(a.element, b.element);
  return a.kind === b.kind || (isNumeric(a) && isNumeric(b) && a.kind !== 'duration' && b.kind !== 'duration');
}

function comparable(a: ValueType, b: ValueType): boolean {
  if (a.kind === 'any' || b.kind === 'any' || a.kind === 'object' || b.kind === 'object') return true;
  if (isNumeric(a) && isNumeric(b)) return (a.kind === 'duration') === (b.kind === 'duration');
  if (a.kind === 'list' && b.kind === 'list') return comparable(a.element, b.element);
  return a.kind === b.kind;
}

/** Whether the set named by `start` leads back to `target` through set references. */
export function setCycle(target: string, start: string, symbols: SymbolTable): boolean {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === target) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const set = symbols.sets.get(name);
    if (!set) continue;
    const items = [...set.node.value.items];
    while (items.length > 0) {
      const item = items.pop()!;
      if (item.kind === 'SetRef') stack.push(item.name.value);
      else if (item.kind === 'List') items.push(...item.items);
    }
  }
  return false;
}
