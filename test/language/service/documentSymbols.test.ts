import { describe, expect, it } from 'vitest';
import type { DocumentSymbol } from '../../../src/language/service/types';
import { serviceWith } from './workspaceFixture';

const SAMPLE = `import "./catalog.gate"
context { region: string }
tool wire { args { iban: string, amount?: number } labels [payment] }
label money = wire
set banks = ["a", "b"]
agent "payroll-validator" { owner "x@corp.example"; roles [reporting]; tier high }
human dana { roles [reporting] }
role reporting {
  permit tool get_*
  forbid tool wire id reporting-never-wires
}
forbid tool wire for agent "payroll-validator" id payroll-never-pays because "no"
limit tool wire to 5 per 1m per agent
grant tool wire to agent "payroll-validator" for 15m after approval
test "validator never pays" {
  agent "payroll-validator"
  call wire { iban: "x" } expect deny
}
`;

/** The outline as indented `kind name` lines. */
function outline(symbols: readonly DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((symbol) => [`${'  '.repeat(depth)}${symbol.kind} ${symbol.name}`, ...outline(symbol.children ?? [], depth + 1)]);
}

describe('document symbols', () => {
  const symbols = serviceWith(SAMPLE).symbols('policy.gate');

  it('outline the declarations of a file, with arguments under tools and rules under roles', () => {
    expect(outline(symbols)).toEqual([
      'import ./catalog.gate',
      'context context',
      '  context region',
      'tool wire',
      '  context iban',
      '  context amount',
      'label money',
      'set banks',
      'agent payroll-validator',
      'human dana',
      'role reporting',
      '  rule permit tool get_*',
      '  rule reporting-never-wires',
      'rule payroll-never-pays',
      'limit limit tool wire',
      'grant grant tool wire',
      'test validator never pays',
    ]);
  });

  it('select the name inside each declaration span', () => {
    const check = (symbol: DocumentSymbol): void => {
      expect(symbol.selection.start).toBeGreaterThanOrEqual(symbol.span.start);
      expect(symbol.selection.end).toBeLessThanOrEqual(symbol.span.end);
      symbol.children?.forEach(check);
    };
    symbols.forEach(check);
    const tool = symbols.find((symbol) => symbol.kind === 'tool')!;
    expect(SAMPLE.slice(tool.selection.start, tool.selection.end)).toBe('wire');
    expect(SAMPLE.slice(tool.span.start, tool.span.end)).toMatch(/^tool wire \{.*\}$/);
    const rule = symbols.find((symbol) => symbol.name === 'payroll-never-pays')!;
    expect(SAMPLE.slice(rule.selection.start, rule.selection.end)).toBe('payroll-never-pays');
  });

  it('describe each symbol in a detail line', () => {
    const detail = (name: string) => symbols.find((symbol) => symbol.name === name)?.detail;
    expect(detail('payroll-never-pays')).toBe('forbid tool wire');
    expect(detail('payroll-validator')).toBe('high · reporting');
    expect(detail('limit tool wire')).toBe('5 per 1 minute');
    expect(detail('validator never pays')).toBe('2 steps');
    expect(symbols.find((symbol) => symbol.kind === 'tool')!.children![1]!.detail).toBe('optional number');
  });

  it('never give a symbol an empty name, even for half-typed declarations', () => {
    const partial = serviceWith('tool {\n}\nrole\npermit\n').symbols('policy.gate');
    expect(partial.length).toBeGreaterThan(0);
    for (const symbol of partial) expect(symbol.name).not.toBe('');
  });
});
