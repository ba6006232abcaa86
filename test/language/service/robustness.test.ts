// The editor calls the service on every keystroke, on text that is mostly broken: no feature may
// throw, at any offset, on any text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LanguageService } from '../../../src/language/service/types';
import { CATALOG, IMPORTS, PEOPLE, serviceWith } from './workspaceFixture';

const SEEDS = [
  `${IMPORTS}forbid tool send_money for agent "payroll-validator" id no-pay because "no"
require approval by finance for label payment when args.amount > 10_000 and not (agent.tier in ["low"]) after label untrusted_source within 15m
limit tool get_* to 5 per 1m per agent when context.environment == "prod"
grant tool refund to role reporting for 15m after approval
permit tool read_file when args.path ~ trusted_domains and args.path from label untrusted_source
test "t" {
  agent "payroll-validator"
  context { freeze: "billing" }
  call send_money { recipient: "x", amount: 5 } at "2026-07-01T10:00:00Z" expect approval by finance rule no-pay
}
`,
  CATALOG,
  PEOPLE,
];

/** Fragments a user might type: words, punctuation, quotes, comments, line breaks. */
const FRAGMENT = fc.oneof(
  fc.constantFrom('tool', 'label', 'for', 'when', 'args.', 'agent.', '.', '"', '{', '}', '[', ']', '(', ')', ',', ';', ':', '#', '\n', ' ', '==', 'not', 'in', 'from', 'call', 'expect', 'rule', '15m', '-', '*', 'é', '\u{1F600}', '\\'),
  fc.string({ maxLength: 4 }),
);

const MUTATION = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: FRAGMENT }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

const MUTATED_TEXT = fc.tuple(fc.constantFrom(...SEEDS), fc.array(MUTATION, { minLength: 1, maxLength: 6 })).map(([seed, mutations]) =>
  mutations.reduce((text, mutation) => {
    const at = mutation.at % (text.length + 1);
    return mutation.kind === 'insert' ? text.slice(0, at) + mutation.text + text.slice(at) : text.slice(0, at) + text.slice(at + mutation.length);
  }, seed),
);

/** Calls every position-based feature at every offset (and a few outside the text). */
function exerciseEveryOffset(service: LanguageService, text: string): void {
  for (let offset = -1; offset <= text.length + 1; offset++) {
    const items = service.completions('policy.gate', offset);
    const labels = items.map((item) => item.label);
    expect(new Set(labels).size, `duplicate completions at ${offset}`).toBe(labels.length);
    for (const item of items) {
      expect(item.replace.start).toBeGreaterThanOrEqual(0);
      expect(item.replace.start).toBeLessThanOrEqual(Math.max(0, Math.min(offset, text.length)));
      expect(item.replace.end).toBeLessThanOrEqual(text.length);
    }
    const hover = service.hover('policy.gate', offset);
    if (hover) expect(hover.span.end).toBeLessThanOrEqual(text.length);
    service.definition('policy.gate', offset);
  }
  for (const symbol of service.symbols('policy.gate')) expect(symbol.name).not.toBe('');
  service.codeActions('policy.gate', { start: 0, end: text.length });
  service.format('policy.gate');
}

describe('the language service on broken text', () => {
  it('never throws at any offset of mutated policies, and never offers a label twice', () => {
    fc.assert(
      fc.property(MUTATED_TEXT, (text) => {
        exerciseEveryOffset(serviceWith(text), text);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('never throws at any offset of arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (text) => {
        exerciseEveryOffset(serviceWith(text), text);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('answers at every offset of the seed policies', () => {
    for (const seed of SEEDS) exerciseEveryOffset(serviceWith(seed), seed);
  });
});
