import { describe, expect, it } from 'vitest';
import type { Location } from '../../../src/language/service/types';
import { CATALOG, IMPORTS, PEOPLE, serviceWith, withCursor } from './workspaceFixture';

const FILES: Record<string, string> = { 'catalog.gate': CATALOG, 'people.gate': PEOPLE };

/** Where definition at the marker goes, as `file: text at the location`. */
function targetsOf(marked: string, file = 'policy.gate'): string[] {
  const { text, offset } = withCursor(marked);
  const service = file === 'policy.gate' ? serviceWith(text) : serviceWith(IMPORTS, { [file]: text });
  const texts: Record<string, string> = { ...FILES, [file]: text };
  return service.definition(file, offset).map((location: Location) => `${location.file}: ${texts[location.file]!.slice(location.span.start, location.span.end)}`);
}

/** The line a location's span starts on. */
function lineAt(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, text.indexOf('\n', offset));
}

describe('go to definition', () => {
  it('jumps from a role in `roles [reporting]` to `role reporting`', () => {
    const { text, offset } = withCursor(PEOPLE.replace('roles [reporting]; tier high', 'roles [repo|rting]; tier high'));
    const service = serviceWith(IMPORTS, { 'people.gate': text });
    const [location] = service.definition('people.gate', offset);
    expect(location!.file).toBe('people.gate');
    expect(lineAt(text, location!.span.start)).toBe('role reporting {');
    expect(text.slice(location!.span.start, location!.span.end)).toBe('reporting');
  });

  it('jumps from a tool in a rule to its declaration in the imported catalog', () => {
    expect(targetsOf(`${IMPORTS}forbid tool send_mo|ney`)).toEqual(['catalog.gate: send_money']);
  });

  it('jumps from a glob to every tool it matches', () => {
    expect(targetsOf(`${IMPORTS}permit tool re*|`)).toEqual(['catalog.gate: refund', 'catalog.gate: read_file']);
  });

  it('jumps from agents, humans and sets to their declarations', () => {
    expect(targetsOf(`${IMPORTS}forbid tool refund for agent "payroll-va|lidator"`)).toEqual(['people.gate: "payroll-validator"']);
    expect(targetsOf(`${IMPORTS}forbid tool refund for human da|na`)).toEqual(['people.gate: dana']);
    expect(targetsOf(`${IMPORTS}forbid tool read_file when args.path ~ trusted|_domains`)).toEqual(['catalog.gate: trusted_domains']);
  });

  it('jumps from a label to its `label` declaration, or to the tools listing it', () => {
    expect(targetsOf(`${IMPORTS}forbid label untrusted|_source`)).toEqual(['catalog.gate: untrusted_source']);
    expect(targetsOf(`${IMPORTS}forbid label irrever|sible`)).toEqual(['catalog.gate: irreversible']);
  });

  it('jumps from `args.x` to the argument in each selected tool', () => {
    const targets = targetsOf(`${IMPORTS}forbid label payment when args.amo|unt > 5`);
    expect(targets).toEqual(['catalog.gate: amount', 'catalog.gate: amount']);
  });

  it('jumps from a test call argument to the tool argument', () => {
    expect(targetsOf(`${IMPORTS}test "t" {\n  call refund { rea|son: "x" } expect deny\n}`)).toEqual(['catalog.gate: reason']);
  });

  it('jumps from a rule id a test expects to the rule', () => {
    const { text, offset } = withCursor(`${IMPORTS}forbid tool refund id no-refunds\ntest "t" {\n  call refund expect deny rule no-ref|unds\n}`);
    const [location] = serviceWith(text).definition('policy.gate', offset);
    expect(lineAt(text, location!.span.start)).toBe('forbid tool refund id no-refunds');
    expect(text.slice(location!.span.start, location!.span.end)).toBe('no-refunds');
  });

  it('jumps from a context field to its declaration', () => {
    expect(targetsOf(`${IMPORTS}forbid tool refund when context.free|ze == "billing"`)).toEqual(['catalog.gate: freeze']);
  });

  it('opens an imported file at its start', () => {
    const { text, offset } = withCursor('import "./cata|log.gate"\n');
    expect(serviceWith(text).definition('policy.gate', offset)).toEqual([{ file: 'catalog.gate', span: { start: 0, end: 0 } }]);
  });

  it('goes nowhere from unknown names, keywords and whitespace', () => {
    expect(targetsOf(`${IMPORTS}forbid tool nothing_like|_this`)).toEqual([]);
    expect(targetsOf(`${IMPORTS}for|bid tool refund`)).toEqual([]);
    expect(targetsOf(`${IMPORTS}forbid tool refund  |  `)).toEqual([]);
  });
});
