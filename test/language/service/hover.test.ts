import { describe, expect, it } from 'vitest';
import type { Hover } from '../../../src/language/service/types';
import { IMPORTS, serviceWith, textOf, withCursor } from './workspaceFixture';

const POLICY = `forbid tool send_money for agent "payroll-validator"
  id payroll-never-pays
  because "payroll validation must never move money"
require approval by finance for label payment when args.amount > 10_000 after label untrusted_source within 15m
limit tool get_* to 5 per 1m per agent
permit tool read_file when args.path ~ trusted_domains and agent.tier == "high"
test "validator never pays" {
  agent "payroll-validator"
  call send_money { recipient: "x", amount: 5 } expect deny rule payroll-never-pays
}
`;

/** Hovers at the marker placed inside `POLICY` (given as the marked line fragment). */
function hoverAt(fragment: string): { hover: Hover | undefined; text: string } {
  const markedPolicy = POLICY.replace(fragment.replace('|', ''), fragment);
  expect(markedPolicy, `fragment ${fragment} is in the policy`).not.toBe(POLICY);
  const { text, offset } = withCursor(IMPORTS + markedPolicy);
  return { hover: serviceWith(text).hover('policy.gate', offset), text };
}

describe('hover', () => {
  it('shows a tool name with its signature, labels and description, over the whole name', () => {
    const { hover, text } = hoverAt('forbid tool send_m|oney');
    expect(hover!.contents).toContain('send_money(recipient: string, amount: number)');
    expect(hover!.contents).toContain('`payment`, `irreversible`');
    expect(hover!.contents).toContain('Executes a bank transfer');
    expect(textOf(text, hover!.span)).toBe('send_money');
  });

  it('reads a rule as a sentence when hovering its effect keyword', () => {
    const { hover, text } = hoverAt('for|bid tool send_money');
    expect(hover!.contents).toContain('forbids `send_money` for agent `payroll-validator` — because: payroll validation must never move money');
    expect(hover!.contents).toContain('`payroll-never-pays`');
    expect(textOf(text, hover!.span)).toBe('forbid');
  });

  it('summarises an approval rule with approver, condition and taint', () => {
    const { hover } = hoverAt('requ|ire approval by finance');
    expect(hover!.contents).toContain('requires approval by `finance` for tools labelled `payment` when `args.amount > 10_000` after a call of tools labelled `untrusted_source` in the same session within 15 minutes');
  });

  it('summarises the rule a test expects by its id', () => {
    const { hover } = hoverAt('expect deny rule payroll-|never-pays');
    expect(hover!.contents).toContain('forbids `send_money` for agent `payroll-validator`');
  });

  it('summarises a limit', () => {
    const { hover } = hoverAt('lim|it tool get_*');
    expect(hover!.contents).toContain('limits `get_*` to 5 calls per 1 minute per agent');
  });

  it('shows which tools carry a label', () => {
    const { hover } = hoverAt('for label pay|ment');
    expect(hover!.contents).toContain('carried by `send_money`, `refund`');
  });

  it('shows the tools a glob pattern matches', () => {
    const { hover } = hoverAt('limit tool get|_*');
    expect(hover!.contents).toContain('matches `get_payroll_run`');
  });

  it("shows an agent's owner, tier, roles and how many rules name it", () => {
    const { hover } = hoverAt('forbid tool send_money for agent "payroll-va|lidator"');
    expect(hover!.contents).toContain('owner `finance-platform@corp.example`');
    expect(hover!.contents).toContain('tier `high`');
    expect(hover!.contents).toContain('roles `reporting`');
    expect(hover!.contents).toContain('1 rule names this agent');
  });

  it('shows the type of `args.x` on each selected tool', () => {
    const { hover, text } = hoverAt('when args.amo|unt > 10_000');
    expect(hover!.contents).toContain('`send_money`: `amount: number`');
    expect(hover!.contents).toContain('`refund`: `amount: int`');
    expect(textOf(text, hover!.span)).toBe('amount');
  });

  it('shows the argument a test call passes', () => {
    const { hover } = hoverAt('call send_money { recip|ient: "x"');
    expect(hover!.contents).toContain('`send_money`: `recipient: string`');
  });

  it('shows the values of a set, path root docs, path field types and durations in words', () => {
    expect(hoverAt('~ trusted_dom|ains').hover!.contents).toContain('["*.corp.example", "bank.example"]');
    expect(hoverAt('when ar|gs.amount').hover!.contents).toContain("the call's arguments");
    expect(hoverAt('agent.ti|er == "high"').hover!.contents).toContain('"low" | "medium" | "high" | "critical"');
    expect(hoverAt('within 1|5m').hover!.contents).toContain('15 minutes');
  });

  it('explains keywords with an example', () => {
    const { hover, text } = hoverAt('  beca|use "payroll');
    expect(hover!.contents).toContain('The reason shown with the decision');
    expect(textOf(text, hover!.span)).toBe('because');
    expect(hoverAt('call send_money { recipient: "x", amount: 5 } exp|ect').hover!.contents).toContain('allow');
  });

  it('shows a role with its rules and holders', () => {
    const { text, offset } = withCursor(`${IMPORTS}forbid tool refund for role repor|ting`);
    const hover = serviceWith(text).hover('policy.gate', offset);
    expect(hover!.contents).toContain('read payroll data and report');
    expect(hover!.contents).toContain('1 rule in the role, 1 more naming it');
    expect(hover!.contents).toContain('agent `payroll-validator`, human `dana`');
  });

  it('shows nothing over whitespace or punctuation', () => {
    const { text, offset } = withCursor(`${IMPORTS}forbid tool refund |  \n`);
    expect(serviceWith(text).hover('policy.gate', offset)).toBeUndefined();
  });
});
