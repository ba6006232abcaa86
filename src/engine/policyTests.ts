// Runs the `test` blocks written beside a policy: each test replays its steps against the
// policy of its file's scope, from empty state, and checks every expectation.

import type { Expr, Span, TestCall, TestDecl } from '../language/ast';
import type { Diagnostic } from '../language/diagnostics';
import { importClosure } from '../language/symbols';
import { Workspace } from '../language/workspace';
import type { ReplayOptions } from './api';
import { compilePolicy } from './compile';
import type { Decision } from './decision';
import { createEngine } from './engine';
import type { DecisionProgram } from './program';

export interface TestFailure {
  readonly span: Span;
  readonly message: string;
}

export interface PolicyTestResult {
  readonly name: string;
  readonly file: string;
  readonly span: Span;
  readonly passed: boolean;
  readonly failures: readonly TestFailure[];
  /** Every call's decision, in order. */
  readonly decisions: readonly Decision[];
}

export interface PolicyTestRun {
  readonly results: readonly PolicyTestResult[];
  /** Check errors that kept a scope from compiling (its tests fail). */
  readonly diagnostics: readonly Diagnostic[];
}

const DEFAULT_TIME = Date.parse('2026-01-01T00:00:00Z');

/** Runs the tests of the given files (default: all), each within its file's scope. */
export function runPolicyTests(files: ReadonlyMap<string, string>, paths: readonly string[] = [...files.keys()].sort()): PolicyTestRun {
  const workspace = new Workspace(files);
  const sources = workspace.sourceFiles();
  const programs = new Map<string, { program: DecisionProgram | undefined; diagnostics: readonly Diagnostic[] }>();
  const results: PolicyTestResult[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const file = sources.get(path);
    if (!file) continue;
    const tests = file.declarations.filter((declaration): declaration is TestDecl => declaration.kind === 'Test');
    if (tests.length === 0) continue;
    const scope = importClosure(path, sources).sort();
    const key = scope.join('\n');
    let compiled = programs.get(key);
    if (!compiled) {
      const result = compilePolicy(new Map(scope.map((member) => [member, files.get(member)!])));
      compiled = { program: result.value, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') };
      programs.set(key, compiled);
      diagnostics.push(...compiled.diagnostics);
    }
    for (const test of tests) {
      if (!compiled.program) {
        results.push({ name: test.name.value, file: path, span: test.span, passed: false, failures: [{ span: test.name.span, message: 'the policy has errors, so the test cannot run' }], decisions: [] });
      } else results.push(runTest(test, path, compiled.program));
    }
  }
  return { results, diagnostics };
}

function runTest(test: TestDecl, file: string, program: DecisionProgram): PolicyTestResult {
  const options: { approvals: ReplayOptions['approvals']; explain: boolean } = { approvals: 'reject', explain: true };
  const engine = createEngine(program, options);
  const failures: TestFailure[] = [];
  const decisions: Decision[] = [];
  let agent = '';
  let human: string | undefined;
  let session = 'default';
  let time = DEFAULT_TIME;
  let context: Record<string, unknown> | undefined;
  let seq = 0;
  for (const step of test.steps) {
    if (step.kind === 'TestSetting') {
      const value = step.value;
      const text = value.kind === 'Object' ? '' : value.value;
      if (step.setting === 'agent') agent = text;
      else if (step.setting === 'on_behalf_of') human = text;
      else if (step.setting === 'session') session = text;
      else if (step.setting === 'at') time = Date.parse(text);
      else if (step.setting === 'approvals') options.approvals = text === 'approve' ? 'approve' : 'reject';
      else if (step.setting === 'context' && value.kind === 'Object') context = literal(value) as Record<string, unknown>;
    } else if (step.kind === 'TestUser') {
      engine.decide({ kind: 'user_message', session, seq: ++seq, time, text: step.text.value });
    } else if (step.kind === 'TestCall') {
      const callTime = step.at ? Date.parse(step.at.value) : time;
      const decision = engine.decide({
        kind: 'tool_call',
        session,
        seq: ++seq,
        time: callTime,
        agent,
        ...(human !== undefined ? { onBehalfOf: human } : {}),
        tool: step.tool.value,
        args: step.args ? (literal(step.args) as Record<string, unknown>) : {},
        ...(step.result ? { result: step.result.value } : {}),
        ...(context ? { context } : {}),
      })!;
      decisions.push(decision);
      failures.push(...checkExpectation(step, decision));
    }
  }
  return { name: test.name.value, file, span: test.span, passed: failures.length === 0, failures, decisions };
}

function checkExpectation(call: TestCall, decision: Decision): TestFailure[] {
  const failures: TestFailure[] = [];
  if (!call.expect) return failures;
  const where = `\`${call.tool.value}\` (step seq ${decision.seq})`;
  if (decision.effect !== call.expect.effect) {
    const why = decision.reasons[0] ? `: ${decision.reasons[0]}` : '';
    failures.push({ span: call.expect.span, message: `${where}: expected ${call.expect.effect}, got ${decision.effect}${why}` });
  }
  if (call.expectApprover && decision.approver !== call.expectApprover.value) {
    failures.push({ span: call.expectApprover.span, message: `${where}: expected approval by \`${call.expectApprover.value}\`, got ${decision.approver ? `\`${decision.approver}\`` : 'no approver'}` });
  }
  if (call.expectRule && !decision.deciding.some((rule) => rule.id === call.expectRule!.value)) {
    const got = decision.deciding.map((rule) => `\`${rule.id}\``).join(', ') || 'default deny';
    failures.push({ span: call.expectRule.span, message: `${where}: expected rule \`${call.expectRule.value}\` to decide, decided by ${got}` });
  }
  return failures;
}

/** The value of a literal expression in a test (objects, lists, strings, numbers, …). */
function literal(expr: Expr): unknown {
  switch (expr.kind) {
    case 'String':
    case 'Number':
    case 'Bool':
      return expr.value;
    case 'Null':
      return null;
    case 'Duration':
      return expr.ms;
    case 'List':
      return expr.items.map(literal);
    case 'Object': {
      const object: Record<string, unknown> = {};
      for (const entry of expr.entries) Object.defineProperty(object, entry.key.value, { value: literal(entry.value), enumerable: true, writable: true, configurable: true });
      return object;
    }
    default:
      return null;
  }
}
