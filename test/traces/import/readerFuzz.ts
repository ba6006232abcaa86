// A property shared by the importer tests: a format's reader, handed any JSON built from that
// format's own field names and values, never throws (bad parts become diagnostics).
import fc from 'fast-check';
import { parseJsonTree } from '../../../src/language/catalog/jsonTree';
import { TraceBuilder } from '../../../src/traces/import/builder';
import type { TraceImporter } from '../../../src/traces/import';

const SCALARS = ['2.0', 'tools/call', 'tools/list', 'initialize', 'tool', 'chain', 'user', '2026-07-14T10:00:00Z', '{"a": 1}', "{'a': 1}"];

export function assertReaderNeverThrows(importer: TraceImporter, keys: readonly string[], numRuns = 300): void {
  const key = fc.constantFrom(...keys, 'other');
  const scalar = fc.oneof(fc.jsonValue({ maxDepth: 0 }), fc.constantFrom(...SCALARS));
  const { node } = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.dictionary(key, tie('node'), { maxKeys: 6 }), fc.array(tie('node'), { maxLength: 3 })),
  }));
  fc.assert(
    fc.property(node, (value) => {
      const file = 'random.json';
      const parsed = parseJsonTree(JSON.stringify(value) ?? 'null');
      if (!parsed.ok) return;
      const out = new TraceBuilder({ file });
      const reader = importer.start(out, { file });
      reader.read(parsed.value, { file, shape: 'document', locate: (_node, path) => ({ file, path }) });
      reader.finish();
      out.finish();
    }),
    { numRuns },
  );
}
