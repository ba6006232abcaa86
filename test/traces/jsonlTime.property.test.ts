// JSON Lines timestamps: the reader's fast path for the common `YYYY-MM-DDTHH:MM:SS(.sss)Z` form
// (which reuses the midnight of the day it read last) against the definition: an ISO 8601 timestamp with a
// zone, read by Date.parse, anything else rejected. Sequences mix runs within one minute, jumps
// across minutes, days and years, other zones and forms, and near misses of the format.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importText } from '../../src/traces/import';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The time a line's `time` should read as, or undefined when the line should be rejected. */
function expected(time: string): number | undefined {
  if (!ISO_TIMESTAMP.test(time)) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : ms;
}

const START = Date.UTC(2026, 6, 1);
const iso = (ms: number) => new Date(ms).toISOString();
/** A timestamp near the previous one (same minute, next minutes, next days) or anywhere, in several forms. */
const step = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 59_999 }).map((d) => ({ delta: d, form: 'ms' as const })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 * 86_400_000 }).map((d) => ({ delta: d, form: 'seconds' as const })) },
  { weight: 1, arbitrary: fc.integer({ min: -400 * 365 * 86_400_000, max: 400 * 365 * 86_400_000 }).map((d) => ({ delta: d, form: 'ms' as const })) },
  { weight: 1, arbitrary: fc.constantFrom('offset', 'minutes', 'mutated').map((form) => ({ delta: 1_000, form })) },
);
const MUTATIONS: readonly ((time: string) => string)[] = [
  (time) => time.replace(/T(\d\d)/, 'T24'),
  (time) => time.replace(/-(\d\d)T/, '-31T'),
  (time) => time.replace(/-(\d\d)T/, '-29T'),
  (time) => time.replace(/-\d\d-\d\dT/, '-02-29T'),
  (time) => time.replace(/-\d\d-\d\dT/, '-02-30T'),
  (time) => time.replace(/-\d\d-\d\dT/, '-04-31T'),
  (time) => time.replace(/:(\d\d)\./, ':60.'),
  (time) => time.replace('Z', 'z'),
  (time) => time.replace('.', ','),
  (time) => time.replace(/^2/, 'x'),
  (time) => `${time.slice(0, 16)}:5${time.slice(18)}`,
];

describe('JSON Lines timestamps', () => {
  it('read as Date.parse reads an ISO 8601 timestamp with a zone, and anything else is rejected', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(step, fc.nat()), { minLength: 1, maxLength: 60 }), (steps) => {
        let now = START;
        const times = steps.map(([{ delta, form }, pick]) => {
          now += delta;
          const text = iso(now);
          if (form === 'seconds') return text.replace(/\.\d{3}Z$/, 'Z');
          if (form === 'offset') return text.replace('Z', '+02:00');
          if (form === 'minutes') return text.replace(/:\d\d\.\d{3}Z$/, 'Z');
          if (form === 'mutated') return MUTATIONS[pick % MUTATIONS.length]!(text);
          return text;
        });
        const lines = times.map((time, seq) => JSON.stringify({ kind: 'user_message', session: 's', seq, time, text: 'x' }));
        const events = new Map<number, number>();
        importText(`${lines.join('\n')}\n`, { file: 't.jsonl', format: 'jsonl', onEvent: (event) => void events.set(event.seq, event.time) });
        times.forEach((time, seq) => expect(events.get(seq), time).toBe(expected(time)));
      }),
      { numRuns: 400 },
    );
  });
});
