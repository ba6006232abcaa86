// The project's JSON Lines traces: reading, writing back, bad lines, prototype safety.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../../src/traces/event';
import { writeJsonl } from '../../src/traces/import';
import { read } from './support';

const readJsonl = (text: string, file: string) => read(text, file, 'jsonl');

const call = '{"kind":"tool_call","session":"s1","seq":1,"time":"2026-07-01T10:00:00Z","agent":"a","on_behalf_of":"dana","tool":"x","args":{"n":1},"result":"ok","context":{"env":"prod"}}';

describe('JSONL reader', () => {
  test('the three kinds, with every field', () => {
    const text = [
      '{"kind":"user_message","session":"s1","seq":1,"time":"2026-07-01T10:00:00Z","text":"pay the bill"}',
      call.replace('"seq":1', '"seq":2'),
      '{"kind":"agent_message","session":"s1","seq":3,"time":"2026-07-01T12:00:01+02:00","text":"done"}',
    ].join('\n');
    const { events, problems } = readJsonl(text, 't.jsonl');
    expect(problems).toEqual([]);
    expect(events).toEqual([
      { kind: 'user_message', session: 's1', seq: 1, time: Date.UTC(2026, 6, 1, 10), text: 'pay the bill', source: { file: 't.jsonl', line: 1 } },
      {
        kind: 'tool_call',
        session: 's1',
        seq: 2,
        time: Date.UTC(2026, 6, 1, 10),
        agent: 'a',
        onBehalfOf: 'dana',
        tool: 'x',
        args: { n: 1 },
        result: 'ok',
        context: { env: 'prod' },
        source: { file: 't.jsonl', line: 2 },
      },
      { kind: 'agent_message', session: 's1', seq: 3, time: Date.UTC(2026, 6, 1, 10, 0, 1), text: 'done', source: { file: 't.jsonl', line: 3 } },
    ]);
  });

  test('kind defaults to tool_call when there is a tool; session to the file, seq to the line, args to {}', () => {
    const { events, problems } = readJsonl('\n{"time":1000,"agent":"a","tool":"x"}\r\n', 'f.jsonl');
    expect(problems).toEqual([]);
    expect(events).toEqual([{ kind: 'tool_call', session: 'f.jsonl', seq: 2, time: 1000, agent: 'a', tool: 'x', args: {}, source: { file: 'f.jsonl', line: 2 } }]);
  });

  test('a bad line is skipped with its line number; the good ones are kept', () => {
    const text = [call, '{"kind":"tool_call", oops', call.replace('"seq":1', '"seq":3'), ''].join('\n');
    const { events, problems } = readJsonl(text, 'trace.jsonl');
    expect(events.map((event) => event.seq)).toEqual([1, 3]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^trace\.jsonl:2: not JSON: /);
  });

  test.each([
    ['[1,2]', 'expected a JSON object (one event per line), found an array'],
    ['{"session":"s"}', 'missing `kind`'],
    ['{"kind":"tool_call","time":1,"agent":"a"}', 'a tool call needs `tool`'],
    ['{"kind":"tool_call","time":1,"tool":"x"}', 'a tool call needs `agent`'],
    ['{"kind":"weird","time":1}', 'unknown kind "weird"'],
    ['{"tool":"x","agent":"a"}', 'missing `time`'],
    ['{"tool":"x","agent":"a","time":"2026-07-01T10:00:00"}', 'is not an ISO 8601 timestamp with a zone'],
    ['{"tool":"x","agent":"a","time":"2026-13-45T10:00:00Z"}', 'is not a valid date'],
    ['{"tool":"x","agent":"a","time":1,"args":[1]}', '`args` should be an object, found an array'],
    ['{"tool":"x","agent":"a","time":1,"seq":1.5}', '`seq` should be a whole number'],
    ['{"kind":"user_message","time":1}', 'a user_message needs `text`'],
    ['{"tool":"x","agent":"a","time":1,"error":5}', '`error` should be a string'],
  ])('%s is skipped: %s', (line, reason) => {
    // After a good line, so the file is recognised as JSON Lines from its first record.
    const { events, problems } = readJsonl(`${call}\n${line}`, 'x.jsonl');
    expect(events).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^x\.jsonl:2: /);
    expect(problems[0]).toContain(reason);
  });

  test('`__proto__`, `constructor` and inherited names never reach a prototype', () => {
    const text = [
      '{"kind":"tool_call","time":1,"agent":"a","tool":"x","args":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"context":{"__proto__":{"polluted":true}}}',
      '{"kind":"tool_call","time":1,"agent":"a","tool":"toString"}',
      '{"__proto__":{"kind":"tool_call","tool":"x","agent":"a","time":1},"constructor":{"prototype":{"polluted":true}}}',
    ].join('\n');
    const { events, problems, result } = readJsonl(text, 'p.jsonl');
    // line 3: `kind` and the rest exist only under `__proto__`, which is data, not a prototype
    expect(problems).toEqual(['p.jsonl:3: missing `kind` (`tool_call`, `user_message` or `agent_message`)']);
    // the reserved keys are noted (GH4113, info) where they occur
    expect(result.diagnostics.filter((d) => d.code === 'GH4113').map((d) => d.line)).toEqual([1]);
    expect(events).toHaveLength(2);
    const first = events[0]!;
    expect(first.kind === 'tool_call' && Object.prototype.hasOwnProperty.call(first.args, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('JSONL round trip', () => {
  test('writing then reading gives the same events (sources aside)', () => {
    const { events } = readJsonl(`${call}\n{"kind":"user_message","session":"s1","seq":2,"time":"2026-07-01T10:00:01.500Z","text":"hi"}\n`, 'a.jsonl');
    const again = readJsonl(writeJsonl(events), 'b.jsonl');
    expect(again.problems).toEqual([]);
    expect(again.events.map(stripSource)).toEqual(events.map(stripSource));
  });

  test('property: any events survive a round trip', () => {
    const json = fc.jsonValue();
    const text = fc.string();
    const base = { session: fc.string({ minLength: 1 }), seq: fc.nat(), time: fc.integer({ min: -8.64e15, max: 8.64e15 }) };
    const toolCall = fc.record(
      {
        kind: fc.constant('tool_call' as const),
        ...base,
        agent: fc.string({ minLength: 1 }),
        onBehalfOf: fc.string(),
        tool: fc.string({ minLength: 1 }),
        args: fc.dictionary(fc.string(), json),
        result: json,
        error: fc.string(),
        context: fc.dictionary(fc.string(), json),
        callId: fc.string(),
      },
      { requiredKeys: ['kind', 'session', 'seq', 'time', 'agent', 'tool', 'args'] },
    );
    const message = fc.record({ kind: fc.constantFrom('user_message' as const, 'agent_message' as const), ...base, text });
    fc.assert(
      fc.property(fc.array(fc.oneof(toolCall, message), { minLength: 1, maxLength: 5 }), (events) => {
        // JSON has no -0 and drops `undefined`: normalize what JSON cannot say before comparing
        const expected = events.map((event) => JSON.parse(JSON.stringify(event)) as TraceEvent);
        const read = readJsonl(writeJsonl(events as TraceEvent[]), 'r.jsonl');
        expect(read.problems).toEqual([]);
        expect(read.events.map(stripSource)).toEqual(expected.map(stripSource));
      }),
      { numRuns: 300 },
    );
  });

  test('property: any text reads without throwing, each problem naming a line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const { problems } = readJsonl(text, 'z.jsonl');
        for (const problem of problems) expect(problem).toMatch(/^z\.jsonl(:\d+)?: /);
      }),
    );
  });
});

function stripSource(event: TraceEvent): Omit<TraceEvent, 'source'> {
  const { source: _source, ...rest } = event;
  return rest;
}
