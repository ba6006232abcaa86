// Checks of `test` blocks: the identities, tools and arguments a test names exist, argument
// values fit the catalog's types, times parse, and every expected rule id is a real rule.

import type { Expr, Name, ObjectLit, SourceFile, StringLit, TestCall, TestDecl } from './ast';
import { didYouMean } from './checkExpressions';
import { isTimestamp } from './checker';
import { diagnostic, type Diagnostic } from './diagnostics';
import { suggestName } from './suggest';
import { aType, hasRuleId, typeOf, type SymbolTable, type ValueType } from './symbols';

/** Reports problems in the tests of `file`. */
export function checkTests(file: SourceFile, symbols: SymbolTable, report: (d: Diagnostic) => void): void {
  for (const { located, first } of repeatedTests(symbols.tests)) {
    if (located.file === file.path) {
      report(diagnostic('duplicateTestName', located.node.name.span, `test \`${located.node.name.value}\` is already defined`, { related: [{ message: 'first defined here', span: first.node.name.span, file: first.file }] }));
    }
  }
  for (const declaration of file.declarations) {
    if (declaration.kind === 'Test') checkTest(declaration, symbols, report);
  }
}

type Tests = SymbolTable['tests'];
interface RepeatedTest {
  readonly located: Tests[number];
  /** The first test of the scope with the same name. */
  readonly first: Tests[number];
}

// The tests of a scope whose name an earlier test has, per list of tests (the files of a scope,
// and scopes whose files add no tests, share the list).
const repeatedTestLists = new WeakMap<Tests, readonly RepeatedTest[]>();

function repeatedTests(tests: Tests): readonly RepeatedTest[] {
  let repeated = repeatedTestLists.get(tests);
  if (!repeated) {
    const list: RepeatedTest[] = [];
    const firstByName = new Map<string, Tests[number]>();
    for (const located of tests) {
      const first = firstByName.get(located.node.name.value);
      if (!first) firstByName.set(located.node.name.value, located);
      else list.push({ located, first });
    }
    repeatedTestLists.set(tests, (repeated = list));
  }
  return repeated;
}

// The rule ids of a scope in rule order, to suggest one for an unknown id; per list of rules
// (scopes that add no rules share the list).
const ruleIdSets = new WeakMap<SymbolTable['rules'], ReadonlySet<string>>();

function ruleIdsOf(symbols: SymbolTable): ReadonlySet<string> {
  let ids = ruleIdSets.get(symbols.rules);
  if (!ids) ruleIdSets.set(symbols.rules, (ids = new Set(symbols.rules.map((rule) => rule.id))));
  return ids;
}

type UnknownKind = 'unknownAgent' | 'unknownHuman' | 'unknownTool' | 'unknownRuleId';

function reportUnknown(report: (d: Diagnostic) => void, kind: UnknownKind, name: Name, what: string, candidates: Iterable<string>): void {
  const suggestion = suggestName(name.value, candidates);
  const where = kind === 'unknownTool' ? ': not in the catalog' : kind === 'unknownRuleId' ? ': no rule has this id' : ': not declared';
  report(diagnostic(kind, name.span, `unknown ${what} \`${name.value}\`${where}`, suggestion ? didYouMean(name.span, suggestion, name.quoted) : {}));
}

function checkTest(test: TestDecl, symbols: SymbolTable, report: (d: Diagnostic) => void): void {
  for (const step of test.steps) {
    if (step.kind === 'TestSetting') {
      const value = step.value;
      if (step.setting === 'agent' && value.kind === 'Name' && !symbols.agents.has(value.value)) reportUnknown(report, 'unknownAgent', value, 'agent', symbols.agents.keys());
      if (step.setting === 'on_behalf_of' && value.kind === 'Name' && !symbols.humans.has(value.value)) reportUnknown(report, 'unknownHuman', value, 'human', symbols.humans.keys());
      if (step.setting === 'at' && value.kind === 'String') checkTime(value, report);
      if (step.setting === 'context' && value.kind === 'Object') checkContextValues(value, symbols, report);
    } else if (step.kind === 'TestCall') {
      checkCall(step, symbols, report);
      if (step.expectRule && !hasRuleId(symbols, step.expectRule.value)) reportUnknown(report, 'unknownRuleId', step.expectRule, 'rule id', ruleIdsOf(symbols));
    }
  }
}

function checkCall(call: TestCall, symbols: SymbolTable, report: (d: Diagnostic) => void): void {
  if (call.at) checkTime(call.at, report);
  if (!call.expect) report(diagnostic('testWithoutExpectation', call.span, `the call of \`${call.tool.value}\` expects nothing, so it checks nothing`, { help: 'add `expect allow`, `expect deny` or `expect approval`' }));
  if (call.tool.value === '') return;
  const tool = symbols.tools.get(call.tool.value);
  if (!tool) {
    reportUnknown(report, 'unknownTool', call.tool, 'tool', symbols.tools.keys());
    return;
  }
  const entries = call.args?.entries ?? [];
  for (const entry of entries) {
    const arg = tool.args.get(entry.key.value);
    if (!arg) {
      const suggestion = suggestName(entry.key.value, tool.args.keys());
      report(diagnostic('unknownArgument', entry.key.span, `\`${tool.name}\` has no argument \`${entry.key.value}\``, suggestion ? didYouMean(entry.key.span, suggestion) : {}));
    } else if (!valueFits(entry.value, arg.type, arg.optional)) {
      report(diagnostic('typeMismatch', entry.value.span, `argument \`${entry.key.value}\` of \`${tool.name}\` is ${aType(arg.type)}`, { help: 'a test may still pass an ill-typed value on purpose to test failure handling; this is a warning', severity: 'warning' }));
    }
  }
  let missing: string[] | undefined;
  for (const name of tool.args.keys()) {
    if (!tool.args.get(name)!.optional && !hasEntry(entries, name)) (missing ??= []).push(`\`${name}\``);
  }
  if (missing) {
    report(diagnostic('missingArgument', call.tool.span, `the call of \`${tool.name}\` lacks ${missing.join(', ')}`));
  }
}

function hasEntry(entries: ObjectLit['entries'], key: string): boolean {
  for (const entry of entries) if (entry.key.value === key) return true;
  return false;
}

function checkContextValues(object: ObjectLit, symbols: SymbolTable, report: (d: Diagnostic) => void): void {
  for (const entry of object.entries) {
    const field = symbols.context?.get(entry.key.value);
    if (!field) {
      const suggestion = suggestName(entry.key.value, symbols.context?.keys() ?? []);
      report(diagnostic('unknownContextField', entry.key.span, `context field \`${entry.key.value}\` is not declared`, suggestion ? didYouMean(entry.key.span, suggestion) : { help: `declare it: \`context { ${entry.key.value}: string }\`` }));
    } else if (!valueFits(entry.value, typeOf(field.node.type), field.node.optional)) {
      report(diagnostic('typeMismatch', entry.value.span, `context field \`${entry.key.value}\` is ${aType(typeOf(field.node.type))}`));
    }
  }
}

function checkTime(value: StringLit, report: (d: Diagnostic) => void): void {
  if (!isTimestamp(value.value)) report(diagnostic('invalidTimestamp', value.span, `\`${value.value}\` is not an ISO 8601 time with a zone`, { help: 'write e.g. "2026-07-01T10:00:00Z"' }));
}

/** Whether a literal value fits a catalog type. */
export function valueFits(value: Expr, type: ValueType, optional: boolean): boolean {
  if (value.kind === 'Null') return optional || type.kind === 'any';
  switch (type.kind) {
    case 'any':
      return true;
    case 'string':
      return value.kind === 'String';
    case 'number':
      return value.kind === 'Number';
    case 'int':
      return value.kind === 'Number' && Number.isInteger(value.value);
    case 'bool':
      return value.kind === 'Bool';
    case 'object':
      return value.kind === 'Object';
    case 'list':
      return value.kind === 'List' && value.items.every((item) => valueFits(item, type.element, false));
    case 'enum':
      return (value.kind === 'String' || value.kind === 'Number') && type.values.includes(value.value);
    default:
      return true;
  }
}
