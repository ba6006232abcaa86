import { describe, expect, it } from 'vitest';
import { formatText } from '../../../src/language/formatter';
import { applyEdits, IMPORTS, serviceWith } from './workspaceFixture';

describe('diagnostics', () => {
  it('are the checked diagnostics of the file, in its scope', () => {
    const service = serviceWith(`${IMPORTS}forbid tool send_mony\npermit tool refund\n`);
    expect(service.diagnostics('policy.gate').map((d) => d.code)).toEqual(['GH2001']);
    expect(service.diagnostics('catalog.gate')).toEqual([]);
    expect(service.diagnostics('missing.gate')).toEqual([]);
  });

  it('follow edits, removals and a replaced file set', () => {
    const service = serviceWith(`${IMPORTS}forbid tool send_mony\n`);
    service.updateFile('policy.gate', `${IMPORTS}forbid tool send_money\n`);
    expect(service.diagnostics('policy.gate')).toEqual([]);
    service.removeFile('catalog.gate');
    expect(service.diagnostics('policy.gate').map((d) => d.code)).toContain('GH2015');
    service.setFiles(new Map([['other.gate', 'permit tool nothing\n']]));
    expect(service.diagnostics('policy.gate')).toEqual([]);
    expect(service.diagnostics('other.gate').map((d) => d.code)).toEqual(['GH2001']);
  });
});

describe('code actions', () => {
  it('offer the "did you mean" fix of a misspelled tool, which makes the error go away', () => {
    const text = `${IMPORTS}forbid tool send_mony because "no"\n`;
    const service = serviceWith(text);
    const at = text.indexOf('send_mony');
    const actions = service.codeActions('policy.gate', { start: at + 2, end: at + 2 });
    expect(actions).toEqual([
      { title: 'change to `send_money`', diagnostics: ['GH2001'], edits: [{ file: 'policy.gate', edit: { span: { start: at, end: at + 9 }, newText: 'send_money' } }], preferred: true },
    ]);
    const fixed = applyEdits(text, actions[0]!.edits.map((each) => each.edit));
    expect(fixed).toContain('forbid tool send_money because');
    service.updateFile('policy.gate', fixed);
    expect(service.diagnostics('policy.gate')).toEqual([]);
  });

  it('offer to declare a role that resembles nothing declared, at the end of the file', () => {
    const text = `${IMPORTS}forbid tool refund for role auditors`;
    const service = serviceWith(text);
    const at = text.indexOf('auditors');
    const [action] = service.codeActions('policy.gate', { start: at, end: at + 3 });
    expect(action!.title).toBe('declare role `auditors`');
    expect(action!.diagnostics).toEqual(['GH2004']);
    const declared = applyEdits(text, action!.edits.map((each) => each.edit));
    expect(declared.endsWith('\n\nrole auditors {\n}\n')).toBe(true);
    service.updateFile('policy.gate', declared);
    expect(service.diagnostics('policy.gate')).toEqual([]);
  });

  it('offer to declare a missing tool or agent with a skeleton that checks cleanly', () => {
    const text = `${IMPORTS}forbid tool wire_transfer for agent "ops-bot"\n`;
    const service = serviceWith(text);
    const actions = service.codeActions('policy.gate', { start: 0, end: text.length });
    expect(actions.map((action) => action.title)).toEqual(['declare tool `wire_transfer`', 'declare agent `ops-bot`']);
    let declared = text;
    for (const action of actions) declared = applyEdits(declared, action.edits.map((each) => each.edit));
    service.updateFile('policy.gate', declared);
    expect(service.diagnostics('policy.gate')).toEqual([]);
    expect(declared).toContain('agent "ops-bot" {');
  });

  it('offer nothing away from diagnostics', () => {
    const text = `${IMPORTS}forbid tool send_mony\npermit tool refund\n`;
    const at = text.indexOf('permit');
    expect(serviceWith(text).codeActions('policy.gate', { start: at, end: at + 6 })).toEqual([]);
  });
});

describe('formatting', () => {
  it('gives one edit that turns the text into the formatter output', () => {
    const text = `${IMPORTS}forbid   tool refund     because "no"\n\n\n\npermit tool read_file\n`;
    const service = serviceWith(text);
    const edits = service.format('policy.gate');
    expect(edits).toHaveLength(1);
    expect(applyEdits(text, edits)).toBe(formatText(text, 'policy.gate').value);
  });

  it('gives no edits for formatted text or text with parse errors', () => {
    const formatted = formatText(`${IMPORTS}permit tool refund\n`, 'policy.gate').value!;
    expect(serviceWith(formatted).format('policy.gate')).toEqual([]);
    expect(serviceWith('forbid tool {{ because\n').format('policy.gate')).toEqual([]);
  });
});
