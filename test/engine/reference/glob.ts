// The reference's own glob matcher: `*` any run of characters, `?` exactly one, everything else
// literal, whole text, case-sensitive. A plain memoised recursion over (pattern index, text
// index): quadratic, which is fine for the short texts of the property tests, and obviously
// correct, which is the point.

export function refGlob(pattern: string, text: string): boolean {
  const memo = new Map<number, boolean>();
  const width = text.length + 1;
  const match = (p: number, t: number): boolean => {
    const key = p * width + t;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (p === pattern.length) result = t === text.length;
    else if (pattern[p] === '*') result = match(p + 1, t) || (t < text.length && match(p, t + 1));
    else if (t === text.length) result = false;
    else if (pattern[p] === '?' || pattern[p] === text[t]) result = match(p + 1, t + 1);
    else result = false;
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
