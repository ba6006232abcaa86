// Properties of the parser and the formatter over generated input: parsing never throws and
// ends in bounded time on any text, and on valid programs formatting is idempotent, keeps the
// meaning (same tree without positions) and keeps every comment.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripSpans } from '../../src/language/astEquality';
import { format, formatText } from '../../src/language/formatter';
import { parse } from '../../src/language/parser';
import { tokenSoup, validProgram } from '../support/arbitraries';

const RUNS = 300;
/** A hang guard, not a performance target: any input this size parses in milliseconds. */
const HANG_GUARD_MS = 2_000;

/** Parses and formats `text`, failing on an exception or when either takes too long. */
function parsesInBoundedTime(text: string): void {
  const started = performance.now();
  const { value, diagnostics } = parse(text);
  expect(value.kind).toBe('SourceFile');
  expect(Array.isArray(diagnostics)).toBe(true);
  formatText(text);
  expect(performance.now() - started).toBeLessThan(HANG_GUARD_MS);
}

const contexts = ['', 'permit tool x when ', 'set s = ', 'tool x { args { a: ', 'test "t" { call x ', 'context { a: ', 'role r { ', 'forbid tool [', 'agent a { roles '];
const repeatedUnits = ['(', '[{', '[', '{', '}', ')', 'not ', '"', '9', 'a', 'a-', '*', '\\u{', '# c\n', 'list<', '-', '(a or b) and ', 'x.', '"\\', ';', ',', 'permit ', '\n'];

/** Deep nesting, long runs of one token and huge literals, after a prefix that opens a context. */
const pathological = fc
  .tuple(fc.constantFrom(...contexts), fc.constantFrom(...repeatedUnits), fc.integer({ min: 1, max: 5_000 }), fc.constantFrom('', ')', ']', '}', '"', '\n'))
  .map(([prefix, unit, times, suffix]) => prefix + unit.repeat(Math.min(times, Math.floor(10_000 / unit.length))) + suffix);

const hugeLiterals = fc.constantFrom(
  '9'.repeat(10_000),
  `set s = [${'9'.repeat(10_000)}]`,
  `permit tool x when args.a == "${'a'.repeat(10_000)}"`,
  `tool ${'a'.repeat(10_000)} {}`,
  `permit tool x when a == 1${'_0'.repeat(5_000)}`,
  `permit tool x when a == 1e${'9'.repeat(400)}`,
  `permit tool x when a < ${'1'.repeat(5_000)}ms`,
  `# ${'#'.repeat(10_000)}`,
  `"${'\\u{1F600}'.repeat(1_000)}"`,
  `"${'\\'.repeat(10_000)}`,
);

describe('parse on any input', () => {
  it('never throws and ends in bounded time on arbitrary strings up to 10 KB', () => {
    fc.assert(fc.property(fc.string({ maxLength: 10_000 }), parsesInBoundedTime), { numRuns: RUNS });
  });

  it('never throws and ends in bounded time on arbitrary Unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2_000 }), parsesInBoundedTime), { numRuns: RUNS });
  });

  it('never throws and ends in bounded time on random sequences of the language tokens', () => {
    fc.assert(fc.property(tokenSoup, parsesInBoundedTime), { numRuns: RUNS });
  });

  it('never throws and ends in bounded time on deep nesting and long runs of one token', () => {
    fc.assert(fc.property(pathological, parsesInBoundedTime), { numRuns: RUNS });
  });

  it('never throws and ends in bounded time on huge literals', () => {
    fc.assert(fc.property(hugeLiterals, parsesInBoundedTime), { numRuns: 20 });
  });

  it('gets past a stray closing bracket at the start of a block entry (once an endless loop)', () => {
    for (const text of ['tool x { ) }', 'role r { ] permit tool a }', 'test "t" { ) call x }', 'context { ) a: int }']) {
      expect(parse(text).diagnostics.map((d) => d.code)).toContain('GH1005');
    }
  });

  it('reports deep nesting instead of recursing into it', () => {
    for (const text of [`permit tool x when ${'('.repeat(5_000)}a`, `set s = ${'['.repeat(5_000)}`, `permit tool x when a == ${'[{ k: '.repeat(2_000)}`]) {
      expect(parse(text).diagnostics.map((d) => d.code)).toContain('GH1008');
    }
  });
});

describe('the valid-program generator', () => {
  it('generates programs that parse without any diagnostic', () => {
    fc.assert(
      fc.property(validProgram(), (text) => {
        expect(parse(text).diagnostics).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('format on valid programs', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(validProgram(), (text) => {
        const once = format(parse(text).value);
        expect(format(parse(once).value)).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives text that parses cleanly to the same tree', () => {
    fc.assert(
      fc.property(validProgram(), (text) => {
        const formatted = parse(format(parse(text).value));
        expect(formatted.diagnostics).toEqual([]);
        expect(stripSpans(formatted.value)).toEqual(stripSpans(parse(text).value));
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps every comment: the same comment texts, as many times each', () => {
    fc.assert(
      fc.property(validProgram(), (text) => {
        const texts = (source: string): string[] => parse(source).value.comments.map((comment) => comment.text).sort();
        expect(texts(format(parse(text).value))).toEqual(texts(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('ends with a line break, leaves no trailing spaces and never two blank lines in a row', () => {
    fc.assert(
      fc.property(validProgram({ comments: false, maxDeclarations: 3 }), (text) => {
        const formatted = format(parse(text).value);
        expect(formatted === '' || formatted.endsWith('\n')).toBe(true);
        expect(formatted).not.toMatch(/[ \t]\n/);
        expect(formatted).not.toMatch(/\n\n\n/);
      }),
      { numRuns: RUNS },
    );
  });
});
