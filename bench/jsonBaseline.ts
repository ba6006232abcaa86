// The JSON side of the `lang` benchmark: a pretty-printed JSON document describing the same kind
// of content (tools, rules, tests) as a generated workspace, cut to a given size in characters.

/** A JSON text of `characters` characters (±1%) listing `records`, repeated if they run out. */
export function jsonOfSize(records: readonly Readonly<Record<string, unknown>>[], characters: number): string {
  if (records.length === 0) throw new Error('no records to describe');
  const render = (count: number): string =>
    JSON.stringify({ workspace: 'generated', records: Array.from({ length: count }, (_, i) => records[i % records.length]) }, null, 2);
  let high = 1;
  while (render(high).length < characters) high *= 2;
  let low = 0;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (render(middle).length <= characters) low = middle;
    else high = middle;
  }
  const text = [render(low), render(high)].reduce((best, candidate) => (Math.abs(candidate.length - characters) < Math.abs(best.length - characters) ? candidate : best));
  if (Math.abs(text.length - characters) > characters * 0.01) throw new Error(`JSON baseline is ${text.length} characters, wanted ${characters} ±1%`);
  return text;
}
