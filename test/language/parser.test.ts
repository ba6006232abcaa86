import { describe, expect, it } from 'vitest';
import type { Rule, TestDecl, ToolDecl } from '../../src/language/ast';
import { parse } from '../../src/language/parser';

function parseClean(text: string) {
  const result = parse(text, 'test.gate');
  expect(result.diagnostics).toEqual([]);
  return result.value;
}

function codes(text: string): string[] {
  return parse(text, 'test.gate').diagnostics.map((d) => d.code);
}

describe('parser', () => {
  it('reads a tool with typed, optional and enumerated arguments', () => {
    const tool = parseClean('tool t { args { a: string, b?: list<int>, c: "x" | "y" } labels [read, pii] }').declarations[0] as ToolDecl;
    expect(tool.name.value).toBe('t');
    expect(tool.args.map((arg) => [arg.name.value, arg.optional, arg.type.kind])).toEqual([
      ['a', false, 'NamedType'],
      ['b', true, 'ListType'],
      ['c', false, 'LiteralUnionType'],
    ]);
    expect(tool.labels.map((label) => label.value)).toEqual(['read', 'pii']);
  });

  it('reads an approval rule with approver, principal, condition, taint, id and reason', () => {
    const rule = parseClean(
      'require approval by finance-approvers for tool send_money for agent "bot" when args.amount > 10_000 after label untrusted within 10m id big-pay because "large"',
    ).declarations[0] as Rule;
    expect(rule.effect).toBe('approval');
    expect(rule.approver?.value).toBe('finance-approvers');
    expect(rule.target.kind).toBe('ToolTarget');
    expect(rule.principal?.principalKind).toBe('agent');
    expect(rule.when?.kind).toBe('Binary');
    expect(rule.after?.within?.ms).toBe(600_000);
    expect(rule.id?.value).toBe('big-pay');
    expect(rule.because?.value).toBe('large');
  });

  it('gives `and` precedence over `or` and reads `not in` and `from`', () => {
    const rule = parseClean('permit tool x when args.a == 1 or args.b not in [1, 2] and args.c from label untrusted').declarations[0] as Rule;
    const when = rule.when!;
    expect(when.kind === 'Binary' && when.op).toBe('or');
    if (when.kind !== 'Binary' || when.right.kind !== 'Binary') throw new Error('shape');
    expect(when.right.op).toBe('and');
    expect(when.right.left.kind === 'Binary' && when.right.left.op).toBe('not in');
    expect(when.right.right.kind).toBe('From');
  });

  it('accepts clause words as argument and field names where no clause can start', () => {
    parseClean('tool t { args { id: int, for: string } }\npermit tool t when args.id == 1');
  });

  it('reads tests with settings, user messages and expectations', () => {
    const test = parseClean(`test "t" {
  agent "a"
  on_behalf_of dana
  approvals reject
  context { freeze: "billing" }
  user "pay GB29"
  call send_money { recipient: "GB29", amount: 5 } at "2026-07-01T10:00:00Z" result "ok" expect approval by finance rule r1
}`).declarations[0] as TestDecl;
    expect(test.steps.map((step) => step.kind)).toEqual(['TestSetting', 'TestSetting', 'TestSetting', 'TestSetting', 'TestUser', 'TestCall']);
    const call = test.steps[5];
    if (call?.kind !== 'TestCall') throw new Error('shape');
    expect(call.expect?.effect).toBe('approval');
    expect(call.expectApprover?.value).toBe('finance');
    expect(call.expectRule?.value).toBe('r1');
  });

  it('keeps parsing after an error and reports each problem once', () => {
    const result = parse('tool x { args { a: } }\npermit tool when\nforbid tool y\n', 't.gate');
    // the missing type, the missing tool name, and the missing condition after `when`
    expect(result.diagnostics.map((d) => [d.code, result.value.text.slice(d.span.start, d.span.end)])).toEqual([
      ['GH1005', '}'],
      ['GH1005', 'when'],
      ['GH1005', 'forbid'],
    ]);
    expect(result.value.declarations.map((d) => d.kind)).toEqual(['Tool', 'Rule', 'Rule']);
  });

  it('reports lexical errors with their codes', () => {
    expect(codes('timezone "abc')).toEqual(['GH1002']);
    expect(codes('timezone "a\\qb"')).toEqual(['GH1003']);
    expect(codes('limit tool x to 1__0 per 1m')).toContain('GH1004');
    expect(codes('limit tool x to 5 per 3w')).toContain('GH1007');
    expect(codes('permit tool x when args.a == 1 §')).toContain('GH1001');
  });

  it('bounds nesting instead of overflowing the stack', () => {
    const result = parse(`permit tool x when ${'('.repeat(50_000)}1${')'.repeat(50_000)}`, 'deep.gate');
    expect(result.diagnostics.map((d) => d.code)).toContain('GH1008');
  });

  it('collects comments with their spans', () => {
    const file = parseClean('# head\ntool t { } # tail\n');
    expect(file.comments.map((comment) => comment.text)).toEqual([' head', ' tail']);
  });
});
