// Checker behaviour that goldens do not show well: quick fixes, workspace scopes and imports,
// generated rule ids. Assertions name codes and underlined text, never numeric offsets.

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/language/diagnostics';
import { checkWorkspace, Workspace } from '../../src/language/workspace';

const CATALOG = `tool send_money { args { recipient: string, amount: number } labels [payment] }
tool "mcp/read file" { args { path: string } }
tool "mcp.read" { args { path: string } }
role reporting { }
agent "payroll-validator" { roles [reporting] }
`;

/** Checks one file on its own; its diagnostics. */
function checkText(text: string, path = 'policy.gate'): Diagnostic[] {
  return checkWorkspace([[path, text]]).diagnostics;
}

/** The text a diagnostic underlines. */
function underlined(text: string, d: { span: { start: number; end: number } }): string {
  return text.slice(d.span.start, d.span.end);
}

/** The one diagnostic with `code`, failing when there is not exactly one. */
function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found.map((d) => `${d.code} ${d.message}`)).toHaveLength(1);
  return found[0]!;
}

/** Applies every quick fix (non-overlapping) to the text. */
function applyFixes(text: string, diagnostics: readonly Diagnostic[]): string {
  const fixes = diagnostics.flatMap((d) => (d.fix ? [d.fix] : [])).sort((a, b) => b.span.start - a.span.start);
  return fixes.reduce((result, fix) => result.slice(0, fix.span.start) + fix.newText + result.slice(fix.span.end), text);
}

describe('did-you-mean quick fixes', () => {
  it('replace a misspelt tool name (GH2001) with the catalog name, over exactly the name', () => {
    const text = `${CATALOG}forbid tool send_mony\n`;
    const d = only(checkText(text), 'GH2001');
    expect(underlined(text, d)).toBe('send_mony');
    expect(d.fix).toEqual({ title: 'change to `send_money`', span: d.span, newText: 'send_money' });
    expect(d.help).toBe('did you mean `send_money`?');
  });

  it('keep the quotes of a quoted tool name (GH2001)', () => {
    const text = `${CATALOG}permit tool "mcp/read fille"\n`;
    const d = only(checkText(text), 'GH2001');
    expect(underlined(text, d)).toBe('"mcp/read fille"');
    expect(d.fix?.newText).toBe('"mcp/read file"');
  });

  it('quote a suggestion that is not a bare identifier (GH2001)', () => {
    const text = `${CATALOG}permit tool mcp_read\n`;
    const d = only(checkText(text), 'GH2001');
    expect(underlined(text, d)).toBe('mcp_read');
    expect(d.fix?.newText).toBe('"mcp.read"');
  });

  it('replace a misspelt role (GH2004) in an agent and in a rule principal', () => {
    const text = `${CATALOG}agent analyst { roles [reportng] }\npermit tool send_money for role reportin\n`;
    const fixes = checkText(text).filter((d) => d.code === 'GH2004');
    expect(fixes.map((d) => [underlined(text, d), d.fix?.newText, d.fix && underlined(text, d.fix)])).toEqual([
      ['reportng', 'reporting', 'reportng'],
      ['reportin', 'reporting', 'reportin'],
    ]);
  });

  it('replace a misspelt argument (GH2007) without touching `args.`', () => {
    const text = `${CATALOG}forbid tool send_money when args.amout > 1000\n`;
    const d = only(checkText(text), 'GH2007');
    expect(underlined(text, d)).toBe('amout');
    expect(d.fix).toEqual({ title: 'change to `amount`', span: d.span, newText: 'amount' });
  });

  it('replace a misspelt argument (GH2007) in a test call', () => {
    const text = `${CATALOG}test "t" { call send_money { recipient: "x", amont: 5 } expect deny }\n`;
    const d = only(checkText(text), 'GH2007');
    expect(underlined(text, d)).toBe('amont');
    expect(d.fix?.newText).toBe('amount');
  });

  it('offer no fix when no known name is close', () => {
    const d = only(checkText(`${CATALOG}forbid tool shred_documents\n`), 'GH2001');
    expect(d.fix).toBeUndefined();
    expect(d.help).toBeUndefined();
  });

  it('leave a file without diagnostics once every fix is applied', () => {
    const text = `${CATALOG}forbid tool send_mony for role reportng
forbid tool send_money when args.amout > 5
forbid label paymnt for agent "payroll-validater"
monitor tool send_money when time.weekday == "friday" for tier hgh
test "t" {
  agent "payroll-validater"
  call send_money { recipient: "x", amont: 5 } expect deny
}
`;
    const before = checkText(text);
    expect(new Set(before.map((d) => d.code))).toEqual(new Set(['GH2001', 'GH2003', 'GH2004', 'GH2005', 'GH2007', 'GH2017', 'GH2018', 'GH2025']));
    const fixed = applyFixes(text, before);
    expect(checkText(fixed)).toEqual([]);
  });
});

describe('workspace scopes', () => {
  const catalog = 'tool send_money { args { amount: nubmer } }\nrole reporting { }\n';
  const policy = 'import "catalog.gate"\npermit tool send_money for role reporting\nforbid tool send_mony\n';

  it('reports each diagnostic only in the file it is located in', () => {
    const workspace = new Workspace([
      ['catalog.gate', catalog],
      ['policy.gate', policy],
    ]);
    const inPolicy = workspace.check('policy.gate')!.diagnostics;
    expect(inPolicy.map((d) => [d.code, d.file, underlined(policy, d)])).toEqual([['GH2001', 'policy.gate', 'send_mony']]);
    const inCatalog = workspace.check('catalog.gate')!.diagnostics;
    expect(inCatalog.map((d) => [d.code, d.file, underlined(catalog, d)])).toEqual([['GH2023', 'catalog.gate', 'nubmer']]);
  });

  it('lets a file use what its imports declare, transitively', () => {
    const { diagnostics } = checkWorkspace([
      ['base.gate', 'tool send_money { args { amount: number } }\n'],
      ['middle.gate', 'import "base.gate"\nrole reporting { }\n'],
      ['top.gate', 'import "middle.gate"\npermit tool send_money for role reporting when args.amount < 5\n'],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('does not let a file use what it does not import', () => {
    const { diagnostics } = checkWorkspace([
      ['catalog.gate', 'tool send_money { args { amount: number } }\n'],
      ['policy.gate', 'permit tool send_money\n'],
    ]);
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['GH2001', 'policy.gate']]);
  });

  it('resolves imports relative to the importing file', () => {
    const { diagnostics } = checkWorkspace([
      ['catalog.gate', 'tool send_money { args { amount: number } }\n'],
      ['policies/payroll.gate', 'import "../catalog.gate"\npermit tool send_money\n'],
      ['policies/payroll.test.gate', 'import "./payroll.gate"\ntest "t" { call send_money { amount: 1 } expect allow }\n'],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('accepts import cycles, including a file importing itself', () => {
    const { value, diagnostics } = checkWorkspace([
      ['a.gate', 'import "b.gate"\nimport "a.gate"\ntool get_report { args { id: string } }\npermit tool send_report\n'],
      ['b.gate', 'import "a.gate"\ntool send_report { args { to: string } }\npermit tool get_report\n'],
    ]);
    expect(diagnostics).toEqual([]);
    expect(value.symbols('a.gate')!.files).toHaveLength(2);
    expect([...value.symbols('b.gate')!.tools.keys()].sort()).toEqual(['get_report', 'send_report']);
  });

  it('reports an import of a missing file (GH2015) and still checks the rest', () => {
    const text = 'import "catalg.gate"\npermit tool get_report\n';
    const { diagnostics } = checkWorkspace([
      ['catalog.gate', 'tool get_report { args { id: string } }\n'],
      ['policy.gate', text],
    ]);
    expect(diagnostics.map((d) => [d.code, underlined(text, d), d.help])).toEqual([
      ['GH2015', '"catalg.gate"', 'did you mean `catalog.gate`?'],
      ['GH2001', 'get_report', undefined],
    ]);
  });

  it('reports a tool declared both in a file and in a file it imports', () => {
    const { diagnostics } = checkWorkspace([
      ['catalog.gate', 'tool send_money { args { amount: number } }\n'],
      ['policy.gate', 'import "catalog.gate"\ntool send_money { args { amount: string } }\n'],
    ]);
    expect(diagnostics.map((d) => d.code)).toContain('GH2009');
  });

  it('gives every file the same diagnostics whatever order the files are checked in', () => {
    const files = [
      ['a.gate', 'import "b.gate"\ntool x { }\n'],
      ['b.gate', 'import "a.gate"\ntool x { }\n'],
    ] as const;
    const forwards = new Workspace(files);
    const backwards = new Workspace(files);
    const a1 = forwards.check('a.gate')!.diagnostics;
    backwards.check('b.gate');
    const a2 = backwards.check('a.gate')!.diagnostics;
    expect(a2).toEqual(a1);
  });
});

describe('rule ids', () => {
  const text = `tool send_money { args { amount: number } }
agent bot { }
permit tool send_money
role finance {
  forbid tool send_money when args.amount > 5
  limit tool send_money to 3 per 1h id finance-rate
}
grant tool send_money to agent bot for 15m after approval
`;

  it('are generated as `<file>:<line>` for rules, limits and grants without `id`, inside roles too', () => {
    const { value } = checkWorkspace([['policies/pay.gate', text]]);
    const rules = value.symbols('policies/pay.gate')!.rules.map((rule) => [rule.id, rule.explicitId, rule.role]);
    expect(rules).toEqual([
      ['policies/pay.gate:3', false, undefined],
      ['policies/pay.gate:5', false, 'finance'],
      ['finance-rate', true, 'finance'],
      ['policies/pay.gate:8', false, undefined],
    ]);
  });

  it('count lines the same with Windows line endings', () => {
    const { value } = checkWorkspace([['pay.gate', text.replace(/\n/g, '\r\n')]]);
    expect(value.symbols('pay.gate')!.rules.map((rule) => rule.id)).toEqual(['pay.gate:3', 'pay.gate:5', 'finance-rate', 'pay.gate:8']);
  });

  it('may be named by a test as a string, and a near miss suggests the generated id (GH2021)', () => {
    const policy = `${text}test "t" {
  call send_money { amount: 1 } expect allow rule "pay.gate:3"
  call send_money { amount: 1 } expect allow rule "pay.gate:4"
}
`;
    const d = only(checkText(policy, 'pay.gate'), 'GH2021');
    expect(underlined(policy, d)).toBe('"pay.gate:4"');
    expect(d.fix?.newText).toBe('"pay.gate:3"');
  });
});

describe('diagnostic output', () => {
  it('is sorted by position then code, and every diagnostic names its file', () => {
    const text = `${CATALOG}forbid tool send_mony when args.x > "a"\npermit tool nope\n`;
    const diagnostics = checkText(text, 'p.gate');
    const keys = diagnostics.map((d) => [d.span.start, d.code] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])));
    expect(diagnostics.length).toBeGreaterThan(1);
    expect(new Set(diagnostics.map((d) => d.file))).toEqual(new Set(['p.gate']));
  });

  it('keeps parse diagnostics of a file beside its check diagnostics', () => {
    const text = `${CATALOG}forbid tool send_mony when\n`;
    expect(checkText(text).map((d) => d.code)).toEqual(['GH2001', 'GH1005']);
  });
});
