import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { importCatalog } from '../../../src/language/catalog';
import { parseJsonTree, type JsonNode } from '../../../src/language/catalog/jsonTree';
import { formatDiagnostic } from '../../../src/language/text';
import { AGENTDOJO_TOOLS_PATH, GITHUB_TOOLS_PATH, readDataset } from './datasets';

/** The plain JavaScript value of a node, built the way JSON.parse builds it (own `__proto__` keys included). */
function toPlain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'array':
      return node.items.map(toPlain);
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const [key, value] of node.members) {
        Object.defineProperty(object, key, { value: toPlain(value), enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    case 'null':
      return null;
    default:
      return node.value;
  }
}

function jsonParseOutcome(text: string): { ok: true; json: string } | { ok: false } {
  try {
    return { ok: true, json: JSON.stringify(JSON.parse(text)) };
  } catch {
    return { ok: false };
  }
}

describe('importCatalog', () => {
  test('detects the format of the real files', () => {
    expect(importCatalog(readDataset(GITHUB_TOOLS_PATH)).format).toBe('mcp');
    expect(importCatalog(readDataset(AGENTDOJO_TOOLS_PATH)).format).toBe('agentdojo');
    expect(importCatalog(readDataset(AGENTDOJO_TOOLS_PATH), { suite: 'slack' }).value).toHaveLength(11);
  });

  test('reports invalid JSON as GH4001 at the position of the error', () => {
    const text = '{\n  "tools": [\n    {"name": "a",}\n  ]\n}';
    const result = importCatalog(text, { file: 'bad.json' });
    expect(result.value).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d).toMatchObject({ code: 'GH4001', severity: 'error', file: 'bad.json' });
    expect(text.slice(d!.span.start, d!.span.end)).toBe('}');
    expect(formatDiagnostic(d!, text, 'bad.json')).toBe(
      'bad.json:3:18: error GH4001: invalid JSON: expected a member name in double quotes',
    );
  });

  test.each([
    ['', 'unexpected end of file, expected a value'],
    ['{"tools": [1, 2', 'expected `,` or `]`'],
    ['{"a": "line\nbreak"}', 'control character U+000A in a string; write it as an escape'],
    ['[1] [2]', 'unexpected text after the JSON value'],
    ["{'tools': []}", 'expected a member name in double quotes'],
    ['"\\x"', 'invalid escape in a string'],
  ])('explains invalid JSON %j', (text, message) => {
    const result = importCatalog(text);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([['GH4001', `invalid JSON: ${message}`]]);
  });

  test('reports JSON that is not a catalog as GH4002', () => {
    for (const text of ['{"foo":1}', '42', '"tools"', 'null', '{}', '{"tools": {"a": 1}}', '{"result": {"items": []}}']) {
      const result = importCatalog(text);
      expect(result.value).toEqual([]);
      expect(result.diagnostics.map((d) => d.code), text).toEqual(['GH4002']);
    }
  });

  test('skips a tool without a name with GH4004 and keeps the rest', () => {
    const text = JSON.stringify({
      tools: [
        { name: 'first', inputSchema: { type: 'object' } },
        { description: 'nameless', inputSchema: { type: 'object' } },
        { name: 42, inputSchema: { type: 'object' } },
        'not a tool',
        { name: 'last', inputSchema: { type: 'object' } },
      ],
    });
    const result = importCatalog(text);
    expect(result.value.map((t) => t.name)).toEqual(['first', 'last']);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['GH4004', 'error'],
      ['GH4004', 'error'],
      ['GH4004', 'error'],
    ]);
    expect(result.diagnostics[0]!.message).toBe('tool entry 2 has no `name`; it is skipped');
  });

  test('keeps `__proto__` and `constructor` as plain names without touching Object.prototype', () => {
    const text = `[{"name": "__proto__", "description": "evil",
      "inputSchema": {"type": "object", "properties": {
        "__proto__": {"type": "string"}, "constructor": {"type": "number"}, "polluted": {"type": "boolean"}},
        "required": ["__proto__"]},
      "annotations": {"__proto__": {"readOnlyHint": true, "polluted": true}}},
     {"name": "constructor", "inputSchema": {"type": "object"}}]`;
    const result = importCatalog(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.value.map((t) => t.name)).toEqual(['__proto__', 'constructor']);
    expect(result.value[0]!.args).toEqual([
      { name: '__proto__', optional: false, type: { kind: 'string' } },
      { name: 'constructor', optional: true, type: { kind: 'number' } },
      { name: 'polluted', optional: true, type: { kind: 'bool' } },
    ]);
    // `annotations.__proto__` is data, not a prototype that would supply readOnlyHint.
    expect(result.value[0]!.labels).toEqual(['write', 'destructive', 'open_world']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['readOnlyHint']).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);

    const suites = importCatalog('{"__proto__": [{"name": "constructor", "args": [{"name": "__proto__", "type": "str", "optional": false}]}]}');
    expect(suites.format).toBe('agentdojo');
    expect(suites.value).toEqual([{ name: 'constructor', labels: [], args: [{ name: '__proto__', optional: false, type: { kind: 'string' } }] }]);
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
  });

  test('keeps the file order of integer-like argument names', () => {
    const result = importCatalog('[{"name": "t", "inputSchema": {"type": "object", "properties": {"b": {"type": "string"}, "2": {"type": "string"}, "1": {"type": "string"}}}}]');
    expect(result.value[0]!.args.map((arg) => arg.name)).toEqual(['b', '2', '1']);
  });

  test('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), jsonish()), (text) => {
        const result = importCatalog(text);
        expect(Array.isArray(result.value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('never throws on arbitrary JSON values, and every tool it returns has a unique non-empty name', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), catalogShaped()), fc.option(fc.string(), { nil: undefined }), (value, suite) => {
        const result = importCatalog(JSON.stringify(value) ?? 'null', suite === undefined ? {} : { suite });
        const names = result.value.map((t) => t.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names.every((n) => typeof n === 'string' && n !== '')).toBe(true);
        for (const d of result.diagnostics) expect(d.code).toMatch(/^GH400[1-4]$/);
      }),
      { numRuns: 1000 },
    );
  });

  test('survives very deep nesting without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(importCatalog(deep).diagnostics.map((d) => d.code)).toEqual(['GH4004']); // an array is no tool
    let schema = '{"type": "string"}';
    for (let i = 0; i < 200; i++) schema = `{"type": "array", "items": ${schema}}`;
    const result = importCatalog(`[{"name": "t", "inputSchema": {"type": "object", "properties": {"x": ${schema}}}}]`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GH4003']);
  });
});

describe('the JSON reader', () => {
  test('accepts exactly what JSON.parse accepts, with the same values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), jsonish(), mutatedJson()), (text) => {
        if (text.startsWith('\ufeff')) return; // the reader also skips a byte-order mark
        const expected = jsonParseOutcome(text);
        const parsed = parseJsonTree(text);
        expect(parsed.ok, text).toBe(expected.ok);
        if (parsed.ok && expected.ok) expect(JSON.stringify(toPlain(parsed.value))).toBe(expected.json);
      }),
      { numRuns: 3000 },
    );
  });

  test('gives each value its span', () => {
    const text = ' {"a": [1, "two", null]} ';
    const parsed = parseJsonTree(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(text.slice(parsed.value.span.start, parsed.value.span.end)).toBe('{"a": [1, "two", null]}');
    const list = parsed.value.kind === 'object' ? parsed.value.members.get('a') : undefined;
    expect(list && text.slice(list.span.start, list.span.end)).toBe('[1, "two", null]');
  });

  test('skips a byte-order mark', () => {
    expect(parseJsonTree('\ufeff[]').ok).toBe(true);
  });
});

/** Strings built from JSON's own characters: mostly invalid, sometimes valid, JSON. */
function jsonish(): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '1', '-', '.', 'e', ' ', '\n', 'true', 'null', '"name"', '"tools"'), { maxLength: 40 })
    .map((parts) => parts.join(''));
}

/** A JSON text with one character removed, or one of JSON's own characters inserted. */
function mutatedJson(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.json(), fc.nat(), fc.option(fc.constantFrom(',', ':', '"', '\\', ']', '}', '[', '{', ' ', '-', '0', 'e', '.', '\u0001'), { nil: undefined }))
    .map(([text, position, insert]) => {
      const at = text.length === 0 ? 0 : position % text.length;
      return insert === undefined ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + insert + text.slice(at);
    });
}

/** Values shaped like catalogs, so the importers' deeper paths run, not only the shape check. */
function catalogShaped(): fc.Arbitrary<unknown> {
  const { schema } = fc.letrec<{ schema: unknown }>((tie) => ({
    schema: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue(),
      fc.record(
        {
          type: fc.oneof(fc.constantFrom('string', 'number', 'integer', 'boolean', 'object', 'array', 'null', 'wat'), fc.array(fc.constantFrom('string', 'null', 'integer', 'number'))),
          items: tie('schema'),
          enum: fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean())),
          anyOf: fc.array(tie('schema'), { maxLength: 3 }),
          oneOf: fc.array(tie('schema'), { maxLength: 3 }),
          const: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    ),
  }));
  const name = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', ''), fc.jsonValue());
  const mcpTool = fc.record(
    {
      name,
      description: fc.oneof(fc.string(), fc.jsonValue()),
      inputSchema: fc.oneof(
        fc.record({ type: fc.constant('object'), properties: fc.dictionary(fc.string(), schema), required: fc.array(fc.oneof(fc.string(), fc.jsonValue())) }, { requiredKeys: [] }),
        fc.jsonValue(),
      ),
      annotations: fc.oneof(fc.dictionary(fc.constantFrom('readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'), fc.jsonValue()), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  const agentDojoTool = fc.record(
    {
      name,
      args: fc.oneof(
        fc.array(fc.record({ name, type: fc.oneof(fc.constantFrom('str', 'int | None', 'list[str]', 'Optional[dict]', 'Literal["a"]', 'datetime', 'list[list['), fc.string()), optional: fc.jsonValue() }, { requiredKeys: [] })),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    fc.record({ result: fc.record({ tools: fc.array(mcpTool, { maxLength: 4 }) }) }),
    fc.record({ tools: fc.array(mcpTool, { maxLength: 4 }) }),
    fc.array(mcpTool, { maxLength: 4 }),
    mcpTool,
    fc.dictionary(fc.string(), fc.array(agentDojoTool, { maxLength: 4 }), { maxKeys: 3 }),
  );
}
