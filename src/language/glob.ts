// Glob patterns (`*` any run, `?` one character) matched in time linear in the subject: the
// pattern is split at `*` and each piece is found greedily left to right, which is exact for
// globs and never backtracks (a backtracking matcher takes exponential time on `a*a*a*...b`).

/** A compiled glob: call it with a subject string. */
export type GlobMatcher = (subject: string) => boolean;

const cache = new Map<string, GlobMatcher>();

/** Whether the text contains glob wildcards. */
export function isGlob(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Compiles a glob pattern; compiled matchers are cached by pattern. */
export function compileGlob(pattern: string): GlobMatcher {
  let matcher = cache.get(pattern);
  if (matcher) return matcher;
  matcher = buildMatcher(pattern);
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, matcher);
  return matcher;
}

/** Matches `subject` against `pattern` (compiling it once). */
export function globMatch(pattern: string, subject: string): boolean {
  return compileGlob(pattern)(subject);
}

function buildMatcher(pattern: string): GlobMatcher {
  if (!isGlob(pattern)) return (subject) => subject === pattern;
  const pieces = pattern.split('*');
  if (pieces.length === 1) {
    return (subject) => subject.length === pattern.length && pieceMatchesAt(pattern, subject, 0);
  }
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  const minimum = pieces.reduce((sum, piece) => sum + piece.length, 0);
  // The common shapes `abc*`, `*abc`, `abc*xyz` and `*abc*` without `?`: the string methods.
  if (!pattern.includes('?')) {
    if (middle.length === 0) {
      if (tail === '') return (subject) => subject.startsWith(head);
      if (head === '') return (subject) => subject.endsWith(tail);
      return (subject) => subject.length >= minimum && subject.startsWith(head) && subject.endsWith(tail);
    }
    if (middle.length === 1 && head === '' && tail === '') {
      const inner = middle[0]!;
      return (subject) => subject.includes(inner);
    }
  }
  return (subject) => {
    if (subject.length < minimum) return false;
    if (!pieceMatchesAt(head, subject, 0)) return false;
    const tailStart = subject.length - tail.length;
    if (!pieceMatchesAt(tail, subject, tailStart)) return false;
    let position = head.length;
    for (const piece of middle) {
      const found = findPiece(piece, subject, position, tailStart);
      if (found < 0) return false;
      position = found + piece.length;
    }
    return position <= tailStart;
  };
}

/** Whether `piece` (may hold `?`) matches `subject` at `offset`. */
function pieceMatchesAt(piece: string, subject: string, offset: number): boolean {
  if (offset < 0 || offset + piece.length > subject.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i);
    if (p !== 63 /* ? */ && p !== subject.charCodeAt(offset + i)) return false;
  }
  return true;
}

/** Leftmost start ≥ from where `piece` matches and ends by `limit`, or -1. */
function findPiece(piece: string, subject: string, from: number, limit: number): number {
  if (!piece.includes('?')) {
    const index = subject.indexOf(piece, from);
    return index >= 0 && index + piece.length <= limit ? index : -1;
  }
  for (let start = from; start + piece.length <= limit; start++) {
    if (pieceMatchesAt(piece, subject, start)) return start;
  }
  return -1;
}
