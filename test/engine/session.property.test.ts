// Provenance search (SessionState.origin) against the plain definition: the first text of the
// session, in order, that contains the value. Texts and values are drawn from a small alphabet
// so values often occur, across text boundaries too, and sessions grow past several blocks
// (each with its gram filter), with queries between additions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionState } from '../../src/engine/session';

type Step = { readonly add: string; readonly user: boolean } | { readonly query: string };

const piece = fc.oneof(
  fc.constantFrom('GB29', 'NWBK', 'x@corp.example', ' ', '.', '"', 'a', '\u0000', 'ü'),
  fc.integer({ min: 0, max: 400 }).map((n) => `${n}-`),
);
const text = fc.array(piece, { minLength: 0, maxLength: 40, size: 'max' }).map((parts) => parts.join(''));
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ add: text, user: fc.boolean() }),
  fc.record({ query: fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')) }),
);

describe('SessionState.origin', () => {
  it('finds the first text holding a value, as a plain search over every text in order', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 300, maxLength: 600 }), (steps) => {
        const session = new SessionState('s', 0);
        const texts: { text: string; seq: number }[] = [];
        let seq = 0;
        for (const entry of steps) {
          if ('add' in entry) {
            seq++;
            if (entry.user) session.recordUserText(entry.add, seq);
            else session.recordCall({ seq, time: seq, tool: 'read' }, ['untrusted_source'], entry.add);
            if (entry.add) texts.push({ text: entry.add, seq });
            continue;
          }
          const expected = texts.find(({ text }) => text.includes(entry.query));
          expect(session.origin(entry.query)?.seq, `origin of ${JSON.stringify(entry.query)}`).toBe(expected?.seq);
        }
      }),
      { numRuns: 300 },
    );
  });
});
