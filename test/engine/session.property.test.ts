// Provenance search (SessionState.origin) against the plain definition: the first text of the
// session, in order, that contains the value. Texts and values are drawn from a small alphabet
// so values often occur, across text boundaries too, and sessions grow past several blocks
// (each with its gram filter), with queries between additions, some as of an earlier moment.
// Pieces past one byte (and a lone surrogate) make the store switch to two bytes a code unit.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateWindow, SessionState, trackEverything, windowEvents, type WindowView } from '../../src/engine/session';
import { TextArena } from '../../src/engine/sessionTexts';

type Step = { readonly add: string; readonly user: boolean } | { readonly query: string; readonly back: number };

const piece = fc.oneof(
  fc.constantFrom('GB29', 'NWBK', 'x@corp.example', ' ', '.', '"', 'a', '\u0000', 'ü', 'ÿ'),
  fc.constantFrom('€', '😀', '\ud83d', 'Āa'),
  fc.integer({ min: 0, max: 400 }).map((n) => `${n}-`),
);
const text = fc.array(piece, { minLength: 0, maxLength: 40, size: 'max' }).map((parts) => parts.join(''));
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ add: text, user: fc.boolean() }),
  fc.record({ query: fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')), back: fc.constantFrom(0, 0, 0, 1, 7, 40) }),
);

describe('SessionState.origin', () => {
  it('finds the first text holding a value, as a plain search over every text in order', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 300, maxLength: 600 }), (steps) => {
        const session = new SessionState('s', 0);
        const keys = trackEverything('read', ['untrusted_source']);
        const texts: { text: string; seq: number; user: boolean }[] = [];
        let seq = 0;
        for (const entry of steps) {
          if ('add' in entry) {
            seq++;
            if (entry.user) session.recordUserText(entry.add, seq);
            else session.recordCall(seq, seq, keys, entry.add);
            if (entry.add) texts.push({ text: entry.add, seq, user: entry.user });
            continue;
          }
          const asOf = Math.max(0, texts.length - entry.back);
          const expected = texts.slice(0, asOf).find(({ text }) => text.includes(entry.query));
          const found = session.origin(entry.query, asOf);
          expect(found < 0 ? undefined : session.texts.seqOf(found), `origin of ${JSON.stringify(entry.query)} as of ${asOf} texts`).toBe(expected?.seq);
          if (found >= 0) expect(session.texts.sourceOf(found)).toBe(expected!.user ? undefined : keys);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('SessionState texts in a shared arena', () => {
  it('each session finds only its own texts while sessions grow and hand regions to each other', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), text, fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''))), { minLength: 50, maxLength: 400 }), (steps) => {
        const arena = new TextArena();
        const sessions = [0, 1, 2].map((i) => ({ state: new SessionState(`s${i}`, 0, arena), texts: [] as { text: string; seq: number }[] }));
        const keys = trackEverything('read', ['untrusted_source']);
        steps.forEach(([which, added, query], seq) => {
          const session = sessions[which]!;
          session.state.recordCall(seq, seq, keys, added);
          if (added) session.texts.push({ text: added, seq });
          for (const { state, texts } of sessions) {
            const found = state.origin(query, state.textCount);
            expect(found < 0 ? undefined : state.texts.seqOf(found)).toBe(texts.find(({ text }) => text.includes(query))?.seq);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('RateWindow views', () => {
  it('keep the calls of the moment they were taken while the window moves on and compacts', () => {
    const window = new RateWindow();
    const views: { at: number; view: WindowView }[] = [];
    for (let t = 1; t <= 5000; t++) {
      window.record(t, `s${t % 3}`, t, 'op');
      if (t % 700 === 0) views.push({ at: t, view: window.view(t, 100) });
    }
    expect(window.count(5000, 100)).toBe(100);
    for (const { at, view } of views) {
      // The calls in (at - 100, at]: seq and time are equal here.
      expect(windowEvents(view).map((ref) => ref.seq)).toEqual(Array.from({ length: 100 }, (_, i) => at - 99 + i));
      expect(windowEvents(view)[0]).toEqual({ session: `s${(at - 99) % 3}`, seq: at - 99, tool: 'op' });
    }
  });
});
