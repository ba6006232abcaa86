import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch } from '../../src/language/glob';

/** A plain regular-expression translation, used only as the reference for small inputs. */
function referenceMatch(pattern: string, subject: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(subject);
}

describe('glob matching', () => {
  it('matches prefixes, suffixes, infixes and single characters', () => {
    expect(globMatch('get_*', 'get_balance')).toBe(true);
    expect(globMatch('get_*', 'set_balance')).toBe(false);
    expect(globMatch('*_issue', 'create_issue')).toBe(true);
    expect(globMatch('*@corp.example', 'ann@corp.example')).toBe(true);
    expect(globMatch('*@corp.example', 'ann@corp.example.evil')).toBe(false);
    expect(globMatch('reports/*/q?.csv', 'reports/2026/q3.csv')).toBe(true);
    expect(globMatch('a*b*c', 'abc')).toBe(true);
    expect(globMatch('a*b*c', 'acb')).toBe(false);
    expect(globMatch('exact', 'exact')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
  });

  it('agrees with a regular-expression reference on random patterns and subjects', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '.');
    const subjectAlphabet = fc.constantFrom('a', 'b', '.', 'c');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(subjectAlphabet, { maxLength: 12 }), (p, s) => {
        const pattern = p.join('');
        const subject = s.join('');
        expect(globMatch(pattern, subject)).toBe(referenceMatch(pattern, subject));
      }),
      { numRuns: 3000 },
    );
  });

  it('decides the pathological pattern of scenario S13 on a long subject without backtracking', () => {
    // a*a*a*a*a*a*a*a*a*a*b against a long run of `a`: a backtracking matcher explores
    // exponentially many splits; the greedy piece matcher does one left-to-right pass.
    const match = compileGlob('a*a*a*a*a*a*a*a*a*a*b');
    expect(match('a'.repeat(100_000))).toBe(false);
    expect(match('aaab')).toBe(false);
    expect(match('a'.repeat(50) + 'b')).toBe(true);
  });
});
