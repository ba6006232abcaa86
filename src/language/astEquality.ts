// Comparing syntax trees by meaning rather than by position: the formatter's round-trip tests
// (and anyone else asking "is this the same program?") compare trees with positions removed.

/** Keys that only say where a node is, never what it means. */
const POSITION_KEYS = new Set(['span', 'opSpan', 'effectSpan']);
/** Keys of a `SourceFile` that describe the file rather than the program in it. */
const FILE_KEYS = new Set(['path', 'text', 'comments']);

/**
 * A deep copy of an AST node without positions: `span`, `opSpan` and `effectSpan` everywhere,
 * and a `SourceFile`'s `path`, `text` and `comments`. Two trees mean the same program when
 * their stripped copies are deeply equal.
 */
export function stripSpans<T>(node: T): unknown {
  if (Array.isArray(node)) return node.map((item: unknown) => stripSpans(item));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const isFile = record['kind'] === 'SourceFile';
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (POSITION_KEYS.has(key) || (isFile && FILE_KEYS.has(key))) continue;
    copy[key] = stripSpans(value);
  }
  return copy;
}
