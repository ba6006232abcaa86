// Provenance search (SessionState.origin) against the plain definition: the first text of the
// session, in order, that contains the value. Texts and values are drawn from a small alphabet
// so values often occur, across text boundaries too, and sessions grow past several blocks
// (each with its gram filter), with queries between additions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateWindows, SessionState, windowEvents, type WindowView } from '../../src/engine/session';

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
            else session.recordCall(seq, seq, 'read', ['untrusted_source'], entry.add);
            if (entry.add) texts.push({ text: entry.add, seq });
            continue;
          }
          const expected = texts.find(({ text }) => text.includes(entry.query));
          expect(session.origin(entry.query, session.textCount)?.seq, `origin of ${JSON.stringify(entry.query)}`).toBe(expected?.seq);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('RateWindows views', () => {
  it('keep the calls of the moment they were taken while the window moves on and compacts', () => {
    const rates = new RateWindows();
    const views: { at: number; view: WindowView }[] = [];
    for (let t = 1; t <= 5000; t++) {
      rates.record('k', t, `s${t % 3}`, t, 'op');
      if (t % 700 === 0) views.push({ at: t, view: rates.view('k', t, 100) });
    }
    expect(rates.count('k', 5000, 100)).toBe(100);
    for (const { at, view } of views) {
      // The calls in (at - 100, at]: seq and time are equal here.
      expect(windowEvents(view).map((ref) => ref.seq)).toEqual(Array.from({ length: 100 }, (_, i) => at - 99 + i));
      expect(windowEvents(view)[0]).toEqual({ session: `s${(at - 99) % 3}`, seq: at - 99, tool: 'op' });
    }
  });
});
