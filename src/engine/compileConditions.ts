// Conditions → closures. A rule's `when` is split at its top-level `and`s into separate
// conditions, so a decision can say which one failed (the near miss), and its `after` clause
// becomes one more condition over session state.

import type { AfterClause, Expr, PathExpr, ToolSelector } from '../language/ast';
import { compileGlob } from '../language/glob';
import { resolveSelector, type SymbolTable } from '../language/symbols';
import type { CompiledCondition, EvalContext } from './program';
import { directComparison, directOperand, directPattern } from './directConditions';
import { ConditionError, asCondition, compareValues, matchesPattern, memberOf, renderValue, valuesEqual, type Value } from './values';

type Evaluator = (context: EvalContext) => Value;

export interface ConditionSource {
  readonly file: string;
  readonly text: string;
  readonly symbols: SymbolTable;
  /** The program-wide slot of an argument name (EvalContext.arg). */
  readonly argSlot: (name: string) => number;
  /** What the program's conditions read of session history, filled in as they compile. */
  readonly sessionReads: { texts: boolean; readonly tools: Set<string>; readonly labels: Set<string>; allTools: boolean };
}

/** The conditions of a rule: the terms of its `when`, then its `after` clause. */
export function compileConditions(when: Expr | undefined, after: AfterClause | undefined, source: ConditionSource): CompiledCondition[] {
  const conditions: CompiledCondition[] = [];
  if (when) for (const term of conjuncts(when)) conditions.push(compileTerm(term, source));
  if (after) conditions.push(compileAfter(after, source));
  return conditions;
}

function conjuncts(expr: Expr): Expr[] {
  const terms: Expr[] = [];
  const stack = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'Binary' && node.op === 'and') stack.push(node.right, node.left);
    else terms.push(node);
  }
  return terms;
}

function compileTerm(term: Expr, source: ConditionSource): CompiledCondition {
  return {
    text: source.text.slice(term.span.start, term.span.end),
    file: source.file,
    span: term.span,
    test: compileTest(term, source),
    reportsFacts: someNode(term, source, (node) => (node.kind === 'Path' && node.root.value === 'time') || node.kind === 'From'),
    readsSession: someNode(term, source, readsSessionNode),
    observe: compileObserver(term, source),
  };
}

/** Whether a node reads session state itself: a `session.*` path or a `from` test. */
function readsSessionNode(node: Expr): boolean {
  return (node.kind === 'Path' && node.root.value === 'session') || node.kind === 'From';
}

/** The rendering of the values a term reads (`args.amount = 150, time.hour = 9`), or undefined when it reads none. */
function compileObserver(term: Expr, source: ConditionSource): (context: EvalContext) => string | undefined {
  // The paths the term reads, with their source texts cut once here.
  const paths = collectPaths(term).map((path) => ({ text: `${source.text.slice(path.span.start, path.span.end)} = `, read: compileExpr(path, source) }));
  if (paths.length === 0) return () => undefined;
  const shown = (read: Evaluator, context: EvalContext): string => {
    try {
      return renderValue(read(context));
    } catch (error) {
      return `(${error instanceof Error ? error.message : String(error)})`;
    }
  };
  if (paths.length === 1) {
    const { text, read } = paths[0]!;
    return (context) => text + shown(read, context);
  }
  return (context) => {
    let observed = '';
    for (let i = 0; i < paths.length; i++) {
      const { text, read } = paths[i]!;
      observed += i === 0 ? text + shown(read, context) : `, ${text}${shown(read, context)}`;
    }
    return observed;
  };
}

/** Whether an expression always evaluates to a boolean (or fails): comparisons, `and`, `or`, `not`, `from`. */
function isTest(expr: Expr): boolean {
  return expr.kind === 'Binary' || expr.kind === 'Not' || expr.kind === 'From';
}

/** A term as a test: true or false, or a ConditionError when it cannot be evaluated. */
function compileTest(term: Expr, source: ConditionSource): (context: EvalContext) => boolean {
  const evaluate = compileExpr(term, source);
  return isTest(term) ? (evaluate as (context: EvalContext) => boolean) : (context) => asCondition(evaluate(context));
}

function compileAfter(after: AfterClause, source: ConditionSource): CompiledCondition {
  const { tools, labels, matches } = selectorParts(after.source, source.symbols);
  const written = source.text.slice(after.source.span.start, after.source.span.end);
  const within = after.within?.ms;
  for (const tool of tools) source.sessionReads.tools.add(tool);
  for (const label of labels) source.sessionReads.labels.add(label);
  if (matches) source.sessionReads.allTools = true;
  // With a name pattern, every tool that ran in the session is a candidate, catalog or not.
  const candidates = (context: EvalContext): readonly string[] => (matches ? [...context.session.ranTools()].filter(matches) : tools);
  return {
    text: source.text.slice(after.span.start, after.span.end),
    file: source.file,
    span: after.span,
    reportsFacts: true,
    readsSession: true,
    test: (context) => {
      const at = context.session.taintedBy(candidates(context), labels, context.time, within, context.callsAsOf);
      if (at >= 0 && context.trace) context.trace({ kind: 'taint', source: written, call: context.session.ranCall(at) });
      return at >= 0;
    },
    observe: (context) => {
      const at = context.session.taintedBy(candidates(context), labels, context.time, within, context.callsAsOf);
      if (at < 0) return `no ${written} has run in this session${within ? ' within the window' : ''}`;
      const call = context.session.ranCall(at);
      return `tainted by \`${call.tool}\` at seq ${call.seq}`;
    },
  };
}

/**
 * What a selector names, for matching calls that ran: catalog tools, labels, and for name
 * patterns and `any tool` a matcher that also covers tools outside the catalog.
 */
export function selectorParts(selector: ToolSelector, symbols: SymbolTable): { tools: string[]; labels: string[]; matches: ((tool: string) => boolean) | undefined } {
  if (selector.kind === 'LabelTarget') return { tools: [], labels: selector.labels.map((label) => label.value), matches: undefined };
  const tools = resolveSelector(selector, symbols).map((tool) => tool.name);
  if (selector.kind === 'AnyToolTarget') return { tools, labels: [], matches: () => true };
  if (selector.kind === 'ToolTarget' && selector.tools.some((name) => name.glob)) {
    const matchers = selector.tools.map((name) => compileGlob(name.value));
    return { tools, labels: [], matches: (tool) => matchers.some((match) => match(tool)) };
  }
  return { tools, labels: [], matches: undefined };
}

/** Whether any node of an expression (sets it names included) is one `found` looks for. */
function someNode(expr: Expr, source: ConditionSource, found: (node: Expr) => boolean, depth = 0): boolean {
  if (depth > 32 || found(expr)) return true;
  const inner = (node: Expr) => someNode(node, source, found, depth + 1);
  switch (expr.kind) {
    case 'Not':
      return inner(expr.operand);
    case 'From':
      return inner(expr.value);
    case 'Binary':
      return inner(expr.left) || inner(expr.right);
    case 'List':
      return expr.items.some(inner);
    case 'Object':
      return expr.entries.some((entry) => inner(entry.value));
    case 'SetRef': {
      const set = source.symbols.sets.get(expr.name.value);
      return set !== undefined && inner(set.node.value);
    }
    default:
      return false;
  }
}

function collectPaths(expr: Expr): PathExpr[] {
  const found: PathExpr[] = [];
  const seen = new Set<string>();
  const stack = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'Path') {
      const key = [node.root.value, ...node.fields.map((field) => field.value)].join('.');
      if (!seen.has(key)) {
        seen.add(key);
        found.push(node);
      }
    } else if (node.kind === 'Binary') stack.push(node.right, node.left);
    else if (node.kind === 'Not') stack.push(node.operand);
    else if (node.kind === 'From') stack.push(node.value);
  }
  return found;
}

/** Compiles an expression to a closure over the evaluation context. */
export function compileExpr(expr: Expr, source: ConditionSource): Evaluator {
  switch (expr.kind) {
    case 'String':
    case 'Number':
    case 'Bool': {
      const value = expr.value;
      return () => value;
    }
    case 'Null':
      return () => null;
    case 'Duration': {
      const ms = expr.ms;
      return () => ms;
    }
    case 'List': {
      const items = expr.items.map((item) => compileExpr(item, source));
      return (context) => items.map((item) => item(context));
    }
    case 'Object': {
      const entries = expr.entries.map((entry) => [entry.key.value, compileExpr(entry.value, source)] as const);
      return (context) => Object.fromEntries(entries.map(([key, value]) => [key, value(context)]));
    }
    case 'SetRef': {
      const set = source.symbols.sets.get(expr.name.value);
      if (!set) return () => fail(`unknown set \`${expr.name.value}\``);
      const value = compileExpr(set.node.value, { ...source, file: set.file });
      return value;
    }
    case 'Path':
      return compilePath(expr, source);
    case 'Not': {
      const operand = compileExpr(expr.operand, source);
      return (context) => !asCondition(operand(context));
    }
    case 'From':
      return compileFrom(expr.value, expr.source, source);
    case 'Binary':
      return compileBinary(expr, source);
    case 'ErrorExpr':
      return () => fail('the condition has a syntax error');
  }
}

function compileBinary(expr: Extract<Expr, { kind: 'Binary' }>, source: ConditionSource): Evaluator {
  if (expr.op === 'and' || expr.op === 'or') return compileLogical(expr.op, compileTest(expr.left, source), compileTest(expr.right, source));
  const direct = compileDirect(expr, source);
  if (direct) return direct;
  const left = compileExpr(expr.left, source);
  const right = compileExpr(expr.right, source);
  switch (expr.op) {
    case '==': {
      // Against a text, number, boolean or null written in the policy, equality is identity.
      const constant = constantOf(expr.right, source);
      if (isPrimitive(constant)) return (context) => left(context) === constant;
      return (context) => valuesEqual(left(context), right(context));
    }
    case '!=': {
      const constant = constantOf(expr.right, source);
      if (isPrimitive(constant)) return (context) => left(context) !== constant;
      return (context) => !valuesEqual(left(context), right(context));
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const op = expr.op;
      const constant = constantOf(expr.right, source);
      if (typeof constant === 'number') {
        // Against a number written in the policy: compare numbers directly, else as before (errors).
        switch (op) {
          case '<':
            return (context) => {
              const value = left(context);
              return typeof value === 'number' ? value < constant : compareValues(op, value, constant);
            };
          case '<=':
            return (context) => {
              const value = left(context);
              return typeof value === 'number' ? value <= constant : compareValues(op, value, constant);
            };
          case '>':
            return (context) => {
              const value = left(context);
              return typeof value === 'number' ? value > constant : compareValues(op, value, constant);
            };
          case '>=':
            return (context) => {
              const value = left(context);
              return typeof value === 'number' ? value >= constant : compareValues(op, value, constant);
            };
        }
      }
      return (context) => compareValues(op, left(context), right(context));
    }
    case '~':
    case '!~': {
      // A pattern (or list of patterns) written as a constant is compiled once, here.
      const matchers = constantMatchers(expr.right, source);
      const negate = expr.op === '!~';
      if (matchers?.length === 1) {
        const match = matchers[0]!;
        return (context) => {
          const subject = left(context);
          return (typeof subject === 'string' ? match(subject) : matchesAny(subject, matchers)) !== negate;
        };
      }
      if (matchers) return (context) => matchesAny(left(context), matchers) !== negate;
      return (context) => matchesPattern(left(context), right(context)) !== negate;
    }
    case 'in':
      return (context) => memberOf(left(context), right(context));
    case 'not in':
      return (context) => !memberOf(left(context), right(context));
  }
}

/** An argument or the local hour or minute against a constant, as one closure (directConditions.ts). */
function compileDirect(expr: Extract<Expr, { kind: 'Binary' }>, source: ConditionSource): Evaluator | undefined {
  const operand = directOperand(expr.left, source.argSlot);
  if (!operand) return undefined;
  const op = expr.op;
  if (op === '~' || op === '!~') {
    const pattern = constantOf(expr.right, source);
    return typeof pattern === 'string' ? directPattern(operand, pattern, op === '!~', compileGlob(pattern)) : undefined;
  }
  if (op === 'in' || op === 'not in' || op === 'and' || op === 'or') return undefined;
  const constant = constantOf(expr.right, source);
  return isPrimitive(constant) ? directComparison(operand, op, constant) : undefined;
}

/** `and` and `or` in three-valued logic: a definite answer from either side wins over an error on the other. */
function compileLogical(op: 'and' | 'or', left: (context: EvalContext) => boolean, right: (context: EvalContext) => boolean): (context: EvalContext) => boolean {
  const decisive = op === 'or';
  return (context) => {
    const first = attempt(left, context);
    if (first === decisive) return decisive;
    const second = attempt(right, context);
    if (second === decisive) return decisive;
    if (first instanceof ConditionError) throw first;
    if (second instanceof ConditionError) throw second;
    return !decisive;
  };
}

function compilePath(path: PathExpr, source: ConditionSource): Evaluator {
  const root = path.root.value;
  const [first, ...rest] = path.fields.map((field) => field.value);
  if (first === undefined) return () => fail(`\`${root}\` needs a field`);
  const base: Evaluator = (() => {
    switch (root) {
      case 'args': {
        const slot = source.argSlot(first);
        return (context: EvalContext) => context.arg(slot);
      }
      case 'context':
        return (context: EvalContext) => (context.event.context ? own(context.event.context, first) : null);
      case 'agent':
        return (context: EvalContext) => own(context.agent.fields, first);
      case 'human':
        return (context: EvalContext) => (context.human ? own(context.human.fields, first) : first === 'roles' ? [] : null);
      case 'tool':
        return first === 'name' ? (context: EvalContext) => context.event.tool : first === 'labels' ? (context: EvalContext) => context.toolLabels : () => null;
      case 'session':
        return first === 'id' ? (context: EvalContext) => context.session.id : first === 'calls' ? (context: EvalContext) => context.callsAsOf : () => null;
      case 'time': {
        const field = first === 'hour' || first === 'minute' || first === 'weekday' || first === 'date' ? first : undefined;
        if (field === undefined) {
          return (context: EvalContext) => {
            context.trace?.({ kind: 'time' });
            return null;
          };
        }
        return (context: EvalContext) => {
          context.trace?.({ kind: 'time' });
          return context.local()[field];
        };
      }
      default:
        return () => fail(`unknown path root \`${root}\``);
    }
  })();
  if (rest.length === 0) return base;
  return (context) => {
    let value = base(context);
    for (const field of rest) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
      value = own(value as Record<string, unknown>, field);
    }
    return value;
  };
}

function compileFrom(valueExpr: Expr, selector: ToolSelector, source: ConditionSource): Evaluator {
  const read = compileExpr(valueExpr, source);
  const { tools, labels, matches } = selectorParts(selector, source.symbols);
  source.sessionReads.texts = true;
  const toolSet = new Set(tools);
  const argument = source.text.slice(valueExpr.span.start, valueExpr.span.end);
  /** Whether one value first appeared in the result of a call the selector matches. */
  const cameFrom = (item: Value, context: EvalContext): boolean => {
    if (typeof item !== 'string' || item === '') return false;
    const texts = context.session.texts;
    const index = texts.origin(item, context.textsAsOf);
    const origin = index < 0 ? undefined : texts.sourceOf(index);
    if (origin === undefined) return false; // never seen, or the user's own words
    if (toolSet.has(origin.tool) || matches?.(origin.tool) || holdsAny(origin.labels, labels)) {
      context.trace?.({ kind: 'provenance', argument, value: item, seq: texts.seqOf(index), tool: origin.tool });
      return true;
    }
    return false;
  };
  return (context) => {
    const value = read(context);
    if (!Array.isArray(value)) return cameFrom(value, context);
    for (const item of value as readonly Value[]) if (cameFrom(item, context)) return true;
    return false;
  };
}

/** Whether a set holds any of the names. */
function holdsAny(set: ReadonlySet<string>, names: readonly string[]): boolean {
  for (let i = 0; i < names.length; i++) if (set.has(names[i]!)) return true;
  return false;
}

/** The constant value of a literal expression (texts, numbers, lists of them, sets), else NOT_CONSTANT. */
const NOT_CONSTANT = Symbol('not constant');
function constantOf(expr: Expr, source: ConditionSource, depth = 0): Value | typeof NOT_CONSTANT {
  if (depth > 32) return NOT_CONSTANT;
  switch (expr.kind) {
    case 'String':
    case 'Number':
    case 'Bool':
      return expr.value;
    case 'Null':
      return null;
    case 'List': {
      const items: Value[] = [];
      for (const item of expr.items) {
        const value = constantOf(item, source, depth + 1);
        if (value === NOT_CONSTANT) return NOT_CONSTANT;
        items.push(value);
      }
      return items;
    }
    case 'SetRef': {
      const set = source.symbols.sets.get(expr.name.value);
      return set ? constantOf(set.node.value, { ...source, file: set.file }, depth + 1) : NOT_CONSTANT;
    }
    default:
      return NOT_CONSTANT;
  }
}

function isPrimitive(value: Value | typeof NOT_CONSTANT): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Compiled globs for a constant pattern or list of patterns; undefined when not constant (or not all text). */
function constantMatchers(expr: Expr, source: ConditionSource): readonly ((subject: string) => boolean)[] | undefined {
  const value = constantOf(expr, source);
  if (typeof value === 'string') return [compileGlob(value)];
  if (Array.isArray(value) && value.every((item: Value) => typeof item === 'string')) return value.map((item: Value) => compileGlob(item as string));
  return undefined;
}

/** `~` against precompiled patterns: the same answers and errors as matchesPattern. */
function matchesAny(subject: Value, matchers: readonly ((subject: string) => boolean)[]): boolean {
  if (typeof subject === 'string') {
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(subject)) return true;
    return false;
  }
  if (Array.isArray(subject)) {
    const bad = subject.find((item: Value) => typeof item !== 'string');
    if (bad !== undefined) return matchesPattern(subject, null); // throws the same error
    return subject.some((item: Value) => matchesAny(item, matchers));
  }
  return matchesPattern(subject, null); // throws the same error
}

/** Evaluates a condition operand, returning a ConditionError instead of throwing it. */
function attempt(test: (context: EvalContext) => boolean, context: EvalContext): boolean | ConditionError {
  try {
    return test(context);
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
}

function own(object: Readonly<Record<string, unknown>>, key: string): Value {
  return Object.hasOwn(object, key) ? ((object[key] ?? null) as Value) : null;
}

function fail(message: string): never {
  throw new ConditionError(message);
}
