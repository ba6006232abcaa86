// Every importer together: each real fixture is detected as its own format, survives a round trip
// through the project's JSON Lines, and no bytes at all (arbitrary, or a mutated fixture) make any
// importer throw, hang or report outside the diagnostic catalogue.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../../../src/traces/event';
import { eventToRecord, importBytes, importText, IMPORT_DIAGNOSTICS, IMPORTERS, TRACE_FORMATS, writeJsonl, type ImportResult, type TraceFormat } from '../../../src/traces/import';

const SHARED = resolve(__dirname, '../../../../shared/datasets');
const FIXTURES = join(SHARED, 'trace-fixtures');

/** The format each fixture folder holds (the README's sections), and the odd files out. */
const FOLDER_FORMAT: Record<string, TraceFormat> = {
  anthropic: 'anthropic',
  langsmith: 'langsmith',
  mcp: 'mcp',
  openai: 'openai-chat',
  openinference: 'openinference',
  otlp: 'otlp',
};
const FILE_FORMAT: Record<string, TraceFormat> = {
  'anthropic/langsmith-sdk.anthropic_managed_custom_tools.jsonl': 'anthropic-managed',
  'anthropic/langsmith-sdk.anthropic_managed_mcp_tools.jsonl': 'anthropic-managed',
  'anthropic/langsmith-sdk.anthropic_managed_mcp_tools_reject.jsonl': 'anthropic-managed',
};

const fixtures: Array<{ path: string; format: TraceFormat; bytes: Uint8Array }> = Object.keys(FOLDER_FORMAT).flatMap((folder) =>
  readdirSync(join(FIXTURES, folder))
    .sort()
    .map((name) => {
      const path = `${folder}/${name}`;
      return { path, format: FILE_FORMAT[path] ?? FOLDER_FORMAT[folder]!, bytes: new Uint8Array(readFileSync(join(FIXTURES, path))) };
    }),
);
const agentdojoRuns = ['banking/user_task_0/none/none.json', 'slack/user_task_7/important_instructions/injection_task_2.json'].map((path) => ({
  path,
  format: 'agentdojo' as TraceFormat,
  bytes: new Uint8Array(readFileSync(join(SHARED, 'agentdojo', path))),
}));
const CODES: ReadonlySet<string> = new Set(Object.values(IMPORT_DIAGNOSTICS).map((d) => d.code));
const registered = new Set(IMPORTERS.map((importer) => importer.format));

/** What every import result must satisfy, whatever the input. */
function checkInvariants(result: ImportResult, file: string): void {
  for (const d of result.diagnostics) {
    expect(CODES.has(d.code), d.code).toBe(true);
    expect(d.file).toBe(file);
    if (d.line !== undefined) expect(d.line).toBeGreaterThanOrEqual(1);
  }
  const lastSeq = new Map<string, number>();
  for (const event of result.events) {
    expect(event.source?.file).toBe(file);
    expect(Number.isFinite(event.time)).toBe(true);
    const previous = lastSeq.get(event.session);
    if (previous !== undefined) expect(event.seq).toBeGreaterThan(previous);
    lastSeq.set(event.session, event.seq);
    if (event.kind === 'tool_call') {
      expect(typeof event.tool).toBe('string');
      expect(typeof event.args === 'object' && event.args !== null && !Array.isArray(event.args)).toBe(true);
    }
  }
  expect(result.stats.toolCalls).toBe(result.events.filter((event) => event.kind === 'tool_call').length);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

function withoutSource(events: readonly TraceEvent[]): unknown[] {
  return events.map(({ source: _source, ...rest }) => rest);
}

describe('every importer is registered', () => {
  test('one importer per format id', () => {
    expect([...registered].sort()).toEqual([...TRACE_FORMATS].sort());
    expect(IMPORTERS).toHaveLength(TRACE_FORMATS.length);
  });
});

describe.each([...fixtures, ...agentdojoRuns])('$path', ({ path, format, bytes }) => {
  test(`is detected as ${format}, from its content alone`, () => {
    const result = importBytes(bytes, { file: 'no-extension' });
    expect(result.format).toBe(format);
    expect(result.detection?.reason).toBeTruthy();
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    checkInvariants(result, 'no-extension');
  });

  test('round-trips through Gatehouse JSON Lines: import(export(x)) equals x', () => {
    const first = importBytes(bytes, { file: path });
    const exported = writeJsonl(first.events);
    if (first.events.length === 0) {
      expect(exported).toBe(''); // nothing to carry (a tool list, a lone result)
      return;
    }
    const again = importText(exported, { file: 'exported.jsonl', format: 'jsonl' });
    expect(again.diagnostics.filter((d) => d.code !== 'GH4113')).toEqual([]);
    expect(withoutSource(again.events)).toEqual(withoutSource(JSON.parse(JSON.stringify(first.events)) as TraceEvent[]));
    // Every exported line is valid against the published schema.
    for (const event of first.events) expect(validate(eventToRecord(event)), JSON.stringify(validate.errors)).toBe(true);
  });

  test('streamed (onEvent) gives the same events in the same order, the same summary, and keeps none', () => {
    const kept = importBytes(bytes, { file: path });
    const streamed: TraceEvent[] = [];
    const result = importBytes(bytes, { file: path, onEvent: (event) => streamed.push(event) });
    expect(result.events).toEqual([]);
    expect(streamed).toEqual(kept.events);
    expect({ ...result, events: [] }).toEqual({ ...kept, events: [] });
  });
});

const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(resolve(__dirname, '../../../docs/trace.schema.json'), 'utf8')) as object);

describe('docs/trace.schema.json', () => {
  test('rejects what the reader rejects', () => {
    expect(validate({ kind: 'tool_call', time: 1, agent: 'a' })).toBe(false); // no tool
    expect(validate({ kind: 'user_message', time: 1 })).toBe(false); // no text
    expect(validate({ kind: 'tool_call', agent: 'a', tool: 't' })).toBe(false); // no time
    expect(validate({ kind: 'tool_call', time: '2026-07-01T10:00:00', agent: 'a', tool: 't' })).toBe(false); // no zone
    expect(validate({ kind: 'tool_call', time: 1, agent: 'a', tool: 't', args: [] })).toBe(false);
    expect(validate({ kind: 'tool_call', time: 1, agent: 'a', tool: 't', outcome: 'maybe' })).toBe(false);
    expect(validate({ time: '2026-07-01T10:00:00+02:00', agent: 'a', tool: 't' })).toBe(true);
  });
});

describe('no input makes an importer throw or hang', () => {
  const formats: Array<TraceFormat | 'auto'> = ['auto', ...IMPORTERS.map((importer) => importer.format)];

  test('arbitrary bytes, read as every format', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...formats), (bytes, format) => {
        checkInvariants(importBytes(bytes, { file: 'fuzz', format }), 'fuzz');
      }),
      { numRuns: 400 },
    );
  });

  test('arbitrary JSON values and JSON Lines, read as every format', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(...formats), fc.boolean(), (values, format, lines) => {
        const text = lines ? values.map((value) => JSON.stringify(value)).join('\n') : JSON.stringify(values, null, 1);
        checkInvariants(importText(text, { file: 'fuzz', format }), 'fuzz');
      }),
      { numRuns: 400 },
    );
  });

  const inputs = [...fixtures, ...agentdojoRuns];
  test('random mutations of every real fixture, read as detected and as their own format', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
      fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: fc.constantFrom('"__proto__":', '{', '}', '[', ']', ',', 'null', '"', '\n', '1e999', '"constructor":{"prototype":{"polluted":1}},') }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...inputs), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (input, mutations, forced) => {
        let bytes = input.bytes;
        for (const m of mutations) {
          const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
          const before = bytes.subarray(0, at);
          switch (m.kind) {
            case 'delete':
              bytes = concat(before, bytes.subarray(at + m.length));
              break;
            case 'insert':
              bytes = concat(before, m.bytes, bytes.subarray(at));
              break;
            case 'flip':
              bytes = bytes.slice();
              if (at < bytes.length) bytes[at] = m.value;
              break;
            case 'truncate':
              bytes = before;
              break;
            case 'duplicate':
              bytes = concat(bytes.subarray(0, at + m.length), bytes.subarray(at));
              break;
            case 'token':
              bytes = concat(before, new TextEncoder().encode(m.token), bytes.subarray(at));
              break;
          }
        }
        const format = forced ? input.format : 'auto';
        checkInvariants(importBytes(bytes, { file: 'mutant', format }), 'mutant');
      }),
      { numRuns: 1_500 },
    );
  });
});

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe('docs/formats.md', () => {
  const doc = readFileSync(resolve(__dirname, '../../../docs/formats.md'), 'utf8');
  test('lists every import diagnostic and every format', () => {
    for (const code of CODES) expect(doc).toContain(code);
    for (const format of TRACE_FORMATS) expect(doc).toContain(`\`${format}\``);
  });

  test('its JSON Lines example imports cleanly, every line valid against the schema', () => {
    const example = /```jsonl\n([\s\S]*?)```/.exec(doc)![1]!;
    const result = importText(example, { file: 'example.jsonl' });
    expect(result.format).toBe('jsonl');
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => event.kind)).toEqual(['user_message', 'tool_call', 'tool_call']);
    for (const line of example.trim().split('\n')) expect(validate(JSON.parse(line))).toBe(true);
  });
});
