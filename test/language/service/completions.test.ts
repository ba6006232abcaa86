import { describe, expect, it } from 'vitest';
import { completeAt, IMPORTS, labelsAt, serviceWith, textOf, withCursor } from './workspaceFixture';

describe('completions of names', () => {
  it('lists exactly the arguments of the targeted tool after `args.`, with their types', () => {
    const items = completeAt('forbid tool send_money when args.|');
    expect(items.map((item) => [item.label, item.detail])).toEqual([
      ['recipient', 'string'],
      ['amount', 'number'],
    ]);
    expect(items.every((item) => item.kind === 'argument')).toBe(true);
  });

  it('lists the union of arguments for a glob or label target', () => {
    expect(labelsAt('permit tool get_* when args.|')).toEqual(['run_id', 'status']);
    expect(labelsAt('require approval for label payment when args.|').sort()).toEqual(['amount', 'reason', 'recipient']);
  });

  it('reads the target of a rule inside a role, and of a limit', () => {
    expect(labelsAt('role r {\n  permit tool refund when args.|\n}')).toEqual(['amount', 'reason']);
    expect(labelsAt('limit tool read_file to 5 per 1m when args.|')).toEqual(['path']);
  });

  it('uses the rule under the cursor even when more text follows', () => {
    expect(labelsAt('forbid tool refund when args.|\npermit tool read_file')).toEqual(['amount', 'reason']);
  });

  it('lists the tools with their signatures after `tool` in a rule', () => {
    const items = completeAt('forbid tool |');
    expect(items.map((item) => item.label)).toEqual(['send_money', 'refund', 'get_payroll_run', 'read_file']);
    const sendMoney = items.find((item) => item.label === 'send_money')!;
    expect(sendMoney.detail).toBe('send_money(recipient: string, amount: number)');
    expect(sendMoney.documentation).toContain('Executes a bank transfer');
    expect(sendMoney.documentation).toContain('`payment`');
  });

  it('lists tools after `call` in a test, after `label x =` and inside a target list', () => {
    for (const marked of ['test "t" {\n  call |\n}', 'label money = |', 'label money = send_money, |', 'permit tool [read_file, |]', 'forbid tool x after tool |']) {
      expect(labelsAt(marked), marked).toContain('refund');
    }
  });

  it('lists labels after `label` in a target and inside a tool\'s `labels [`', () => {
    expect(labelsAt('forbid label |')).toEqual(['untrusted_source', 'payment', 'irreversible', 'read', 'pii']);
    expect(labelsAt('tool t { labels [read, |] }')).toContain('irreversible');
    expect(labelsAt('forbid tool x after label |')).toContain('untrusted_source');
  });

  it('lists the declared roles after `for role` and inside `roles [`', () => {
    expect(labelsAt('forbid tool send_money for role |')).toEqual(['reporting', 'operations']);
    expect(labelsAt('agent bot { roles [|] }')).toEqual(['reporting', 'operations']);
    expect(labelsAt('human erin { roles [reporting, |] }')).toEqual(['reporting', 'operations']);
  });

  it('lists agents after `for agent` and in tests, inserting quotes where the declaration used them', () => {
    const items = completeAt('forbid tool send_money for agent |');
    expect(items.map((item) => [item.label, item.insertText])).toEqual([
      ['payroll-validator', '"payroll-validator"'],
      ['infra_bot', 'infra_bot'],
    ]);
    expect(labelsAt('test "t" {\n  agent |\n}')).toEqual(['payroll-validator', 'infra_bot']);
  });

  it('lists humans after `for human` and `on_behalf_of`', () => {
    expect(labelsAt('forbid tool refund for human |')).toEqual(['dana']);
    expect(labelsAt('test "t" {\n  on_behalf_of |\n}')).toEqual(['dana']);
  });

  it('offers principal kinds after `for` and risk tiers after `tier`', () => {
    expect(labelsAt('forbid tool refund for |')).toEqual(['agent', 'human', 'role', 'tier']);
    expect(labelsAt('grant tool refund to |')).toEqual(['agent', 'human', 'role', 'tier']);
    expect(labelsAt('forbid tool refund for tier |')).toEqual(['low', 'medium', 'high', 'critical']);
    expect(labelsAt('agent bot { tier |}')).toEqual(['low', 'medium', 'high', 'critical']);
  });

  it('offers approver groups after `by` and explicit rule ids after `expect ... rule`', () => {
    const policy = 'require approval by finance-approvers for tool send_money id big-pay\n';
    expect(labelsAt(`${policy}require approval by |`)).toEqual(['finance-approvers']);
    expect(labelsAt(`${policy}test "t" {\n  call send_money expect approval rule |\n}`)).toEqual(['big-pay']);
  });

  it('lists the argument names of the called tool inside a test call object, without those already given', () => {
    const items = completeAt('test "t" {\n  call send_money { |\n}');
    expect(items.map((item) => [item.label, item.insertText])).toEqual([
      ['recipient', 'recipient: '],
      ['amount', 'amount: '],
    ]);
    expect(labelsAt('test "t" {\n  call send_money { amount: 5, | }\n}')).toEqual(['recipient']);
  });

  it('lists declared context fields in a test `context {` and after `context.`', () => {
    expect(labelsAt('test "t" {\n  context { |\n}')).toEqual(['environment', 'freeze']);
    expect(labelsAt('forbid tool refund when context.|')).toEqual(['environment', 'freeze']);
  });

  it('lists the fields of the fixed path roots', () => {
    expect(labelsAt('forbid tool refund when agent.|')).toEqual(['id', 'owner', 'tier', 'roles']);
    expect(labelsAt('forbid tool refund when human.|')).toEqual(['id', 'roles']);
    expect(labelsAt('forbid tool refund when time.|')).toEqual(['hour', 'minute', 'weekday', 'date']);
    expect(labelsAt('forbid tool refund when tool.|')).toEqual(['name', 'labels']);
    expect(labelsAt('forbid tool refund when session.|')).toEqual(['id', 'calls']);
  });

  it('continues a condition on a new line that starts with a path', () => {
    expect(labelsAt('forbid tool refund when args.amount > 5 and\n  agent.|')).toEqual(['id', 'owner', 'tier', 'roles']);
  });

  it('suggests the literal values an enum-typed left side can take', () => {
    expect(labelsAt('forbid tool get_payroll_run when args.status == |').slice(0, 2)).toEqual(['"open"', '"closed"']);
    expect(labelsAt('forbid tool refund when time.weekday in [|')).toContain('"sat"');
    expect(labelsAt('test "t" {\n  call get_payroll_run { status: |\n}')).toContain('"closed"');
  });
});

describe('completions of keywords', () => {
  it('offers declaration snippets at the start of a top-level item', () => {
    const items = completeAt('|');
    const labels = items.map((item) => item.label);
    for (const word of ['tool', 'permit', 'forbid', 'require approval', 'limit', 'grant', 'test', 'agent', 'human', 'role', 'import', 'timezone', 'context', 'label', 'set']) {
      expect(labels, word).toContain(word);
    }
    const tool = items.find((item) => item.label === 'tool')!;
    expect(tool.snippet).toBe(true);
    expect(tool.insertText).toBe('tool ${1:name} {\n  args { $2 }\n  labels [$3]\n}');
    expect(items.find((item) => item.label === 'limit')!.insertText).toBe('limit tool ${1} to ${2:5} per ${3:1m} per agent');
    expect(items.find((item) => item.label === 'test')!.insertText).toBe('test "${1}" {\n  $0\n}');
  });

  it('offers only rules and a description inside a role', () => {
    const labels = labelsAt('role r {\n  |\n}');
    expect(labels).toEqual(['permit', 'forbid', 'monitor', 'require approval', 'limit', 'description']);
  });

  it('offers test steps inside a test', () => {
    expect(labelsAt('test "t" {\n  |\n}')).toEqual(['call', 'agent', 'on_behalf_of', 'session', 'at', 'approvals', 'context', 'user']);
  });

  it('offers the unused clause keywords after a rule target or clause', () => {
    expect(labelsAt('forbid tool refund |')).toEqual(['for', 'when', 'after', 'id', 'because']);
    expect(labelsAt('forbid tool refund for agent infra_bot |')).toEqual(['when', 'after', 'id', 'because']);
    expect(labelsAt('forbid tool refund after label untrusted_source |')).toEqual(['within', 'for', 'when', 'id', 'because']);
  });

  it('also offers declarations on a new line after a complete rule', () => {
    const labels = labelsAt('forbid tool refund\n|');
    expect(labels).toContain('when');
    expect(labels).toContain('permit');
  });

  it('offers path roots, sets, booleans and `not` at a value position of a condition', () => {
    expect(labelsAt('forbid tool refund when |')).toEqual(['args', 'agent', 'human', 'context', 'time', 'tool', 'session', 'trusted_domains', 'true', 'false', 'not']);
    expect(labelsAt('forbid tool refund when args.reason ~ |')).not.toContain('not');
  });

  it('offers `and` and `or` after a complete comparison, and clause keywords after the condition', () => {
    expect(labelsAt('forbid tool refund when args.amount > 5 |')).toEqual(['and', 'or', 'for', 'after', 'id', 'because']);
    expect(labelsAt('forbid tool refund when (args.amount > 5 |')).toEqual(['and', 'or']);
  });

  it('offers target keywords after an effect and after `from`', () => {
    expect(labelsAt('permit |')).toEqual(['tool', 'label', 'any']);
    expect(labelsAt('require approval |')).toEqual(['by', 'for', 'tool', 'label', 'any']);
    expect(labelsAt('forbid tool send_money when args.recipient from |')).toEqual(['tool', 'label', 'any']);
  });

  it('walks a limit and a grant through their keywords', () => {
    expect(labelsAt('limit tool refund |')).toEqual(['to']);
    expect(labelsAt('limit tool refund to 5 per 1m |')).toEqual(['per', 'for', 'when', 'id', 'because']);
    expect(labelsAt('limit tool refund to 5 per 1m per |')).toEqual(['agent', 'session', 'tool', 'human']);
    expect(labelsAt('grant tool refund to agent infra_bot |')).toEqual(['for', 'from']);
    expect(labelsAt('grant tool refund to agent infra_bot for 15m after |')).toEqual(['approval']);
  });

  it('offers the expected decisions after `expect`', () => {
    expect(labelsAt('test "t" {\n  call refund { amount: 1 } expect |\n}')).toEqual(['allow', 'deny', 'approval']);
    expect(labelsAt('test "t" {\n  call refund { amount: 1 } |\n}')).toEqual(['at', 'result', 'expect']);
    expect(labelsAt('test "t" {\n  call refund\n    at "2026-07-01T10:00:00Z" |\n}')).toEqual(['result', 'expect']);
    expect(labelsAt('test "t" {\n  call refund expect deny\n  at "2026-07-01T10:00:00Z"\n  call |\n}')).toContain('refund');
  });

  it('reads a second rule on the same line as a new item', () => {
    expect(labelsAt('forbid tool refund because "no" permit tool |')).toContain('read_file');
    expect(labelsAt('permit tool limit |')).toEqual(['for', 'when', 'after', 'id', 'because']);
    expect(labelsAt('require approval by "finance" tool |')).toContain('refund');
  });

  it('does not start a new declaration on a new line inside an open list', () => {
    expect(labelsAt('set banks = [\n  |')).toEqual([]);
  });

  it('offers the other workspace files after `import`', () => {
    const items = completeAt('import |');
    expect(items.map((item) => item.insertText)).toEqual(['"./catalog.gate"', '"./people.gate"']);
  });

  it('offers the argument types after a field name in a tool', () => {
    expect(labelsAt('tool t { args { a: | } }')).toEqual(['string', 'number', 'int', 'bool', 'object', 'any', 'list']);
  });
});

describe('the replace range and quoting', () => {
  it('replaces the whole word under the cursor', () => {
    const { text, offset } = withCursor(`${IMPORTS}forbid tool send_mo|ney`);
    const [item] = serviceWith(text).completions('policy.gate', offset);
    expect(textOf(text, item!.replace)).toBe('send_money');
  });

  it('replaces the partial word up to the cursor, including `-` and `*`', () => {
    const { text, offset } = withCursor(`${IMPORTS}forbid tool send_money for agent payroll-va|`);
    const items = serviceWith(text).completions('policy.gate', offset);
    expect(textOf(text, items[0]!.replace)).toBe('payroll-va');
  });

  it('inside a string replaces the whole string and inserts quoted names only', () => {
    const { text, offset } = withCursor(`${IMPORTS}forbid tool send_money for agent "pay|"`);
    const items = serviceWith(text).completions('policy.gate', offset);
    expect(items.map((item) => item.insertText)).toEqual(['"payroll-validator"', '"infra_bot"']);
    expect(textOf(text, items[0]!.replace)).toBe('"pay"');
  });

  it('gives an empty range at the cursor when no word is being typed', () => {
    const { text, offset } = withCursor(`${IMPORTS}forbid tool |`);
    const [item] = serviceWith(text).completions('policy.gate', offset);
    expect(item!.replace).toEqual({ start: offset, end: offset });
  });

  it('offers nothing inside a comment, a reason string or right after a number', () => {
    expect(labelsAt('# forbid tool |')).toEqual([]);
    expect(labelsAt('forbid tool refund because "no |"')).toEqual([]);
    expect(labelsAt('limit tool refund to 5|')).toEqual([]);
  });
});
