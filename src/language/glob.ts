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

/** What a pattern needs of a subject, for the common shapes matchers can do by string methods. */
export type GlobShape =
  | { readonly kind: 'exact' | 'prefix' | 'suffix' | 'infix'; readonly text: string }
  | { readonly kind: 'prefix-suffix'; readonly text: string; readonly suffix: string }
  | { readonly kind: 'other' };

/** The shape of a pattern: `abc` exact, `abc*` prefix, `*abc` suffix, `abc*xyz`, `*abc*`; else other. */
export function globShape(pattern: string): GlobShape {
  if (!isGlob(pattern)) return { kind: 'exact', text: pattern };
  if (pattern.includes('?')) return { kind: 'other' };
  const pieces = pattern.split('*');
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  if (middle.length === 0) {
    if (tail === '') return { kind: 'prefix', text: head };
    if (head === '') return { kind: 'suffix', text: tail };
    return { kind: 'prefix-suffix', text: head, suffix: tail };
  }
  if (middle.length === 1 && head === '' && tail === '') return { kind: 'infix', text: middle[0]! };
  return { kind: 'other' };
}

function buildMatcher(pattern: string): GlobMatcher {
  const shape = globShape(pattern);
  switch (shape.kind) {
    case 'exact':
      return (subject) => subject === pattern;
    case 'prefix': {
      const prefix = shape.text;
      return (subject) => subject.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = shape.text;
      return (subject) => subject.endsWith(suffix);
    }
    case 'prefix-suffix': {
      const { text: prefix, suffix } = shape;
      const minimum = prefix.length + suffix.length;
      return (subject) => subject.length >= minimum && subject.startsWith(prefix) && subject.endsWith(suffix);
    }
    case 'infix': {
      const infix = shape.text;
      return (subject) => subject.includes(infix);
    }
    case 'other':
      return pieceMatcher(pattern);
  }
}

/** Any pattern: its pieces between `*`s found greedily left to right (`?` matches one character). */
function pieceMatcher(pattern: string): GlobMatcher {
  const pieces = pattern.split('*');
  if (pieces.length === 1) {
    return (subject) => subject.length === pattern.length && pieceMatchesAt(pattern, subject, 0);
  }
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  const minimum = pieces.reduce((sum, piece) => sum + piece.length, 0);
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
