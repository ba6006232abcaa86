// OpenInference spans → events: the real attribute-map fixture, Phoenix span JSON (arrays, the REST
// API's `data`, one span per line, nested attributes), calls read from LLM messages, and bad input.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseJsonTree } from '../../../src/language/catalog/jsonTree';
import type { TraceEvent } from '../../../src/traces/event';
import { importTextWith } from '../../../src/traces/import/driver';
import { IMPORTERS, type ImportResult, type TraceFormat } from '../../../src/traces/import';
import { openinferenceImporter } from '../../../src/traces/import/formats/openinference';
import { otlpImporter } from '../../../src/traces/import/formats/otlp';
import { toolCalls as calls } from '../support';

const FIXTURES = resolve(process.cwd(), '../shared/datasets/trace-fixtures');
const FIXTURE = 'openinference/openinference.openinference_client_span_tool_calls.json';

const importSpans = (text: string, file = 'spans.json', format: TraceFormat | 'auto' = 'auto') => importTextWith(text, { file, format }, IMPORTERS);
const codes = (result: ImportResult) => result.diagnostics.map((d) => `${d.code} ${d.line ?? '-'} ${d.path ?? '-'}`);
const summary = (events: readonly TraceEvent[]) => events.map((event) => `${event.kind} ${event.kind === 'tool_call' ? event.tool : event.text}`);

describe('the real OpenInference fixture (one LLM span, attributes only)', () => {
  const result = importSpans(readFileSync(resolve(FIXTURES, FIXTURE), 'utf8'), FIXTURE);

  test('is detected as OpenInference and read without diagnostics', () => {
    expect(result.format).toBe('openinference');
    expect(result.detection?.reason).toContain('openinference.span.kind');
    expect(result.diagnostics).toEqual([]);
  });

  test('holds 1 tool call, get_weather with id 1234 and JSON-text arguments, answered by the tool message', () => {
    expect(calls(result.events)).toMatchObject([{ tool: 'get_weather', callId: '1234', args: { location: 'Paris' }, result: 'rainy, 57°F' }]);
    expect(calls(result.events)[0]!.error).toBeUndefined();
    expect(result.stats).toMatchObject({ toolCalls: 1, errors: 0, unpaired: 0, skipped: 0 });
  });

  test('the conversation in order: the user, the assistant (text parts), the call, the answer', () => {
    expect(summary(result.events)).toEqual([
      'user_message Weather in Paris?',
      'agent_message Absolutely! Let me check the weather for you.',
      'tool_call get_weather',
      'agent_message The weather in Paris is currently rainy with a temperature of 57°F.',
    ]);
  });

  test('no ids or times: one session (the file), the synthetic clock, the default agent, located by key', () => {
    expect(result.sessions).toMatchObject([{ id: FIXTURE, clock: 'synthetic' }]);
    expect(calls(result.events)[0]).toMatchObject({ agent: 'agent', source: { line: 10, path: '$["llm.input_messages.1.message.role"]' } });
  });
});

// A Phoenix export of one agent turn, written from TRACE-FORMATS.md §1.6/§7 and the shape of
// Phoenix's span dumps: an AGENT root, two LLM calls and two TOOL spans, in no particular order.
const TRACE = 'b1946ac92492d2347c6235b4d2611184';
const span = (spanId: string, name: string, kind: string, start: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: `id-${spanId}`,
  name,
  context: { trace_id: TRACE, span_id: spanId },
  span_kind: kind,
  parent_id: spanId === 'a000000000000001' ? null : 'a000000000000001',
  start_time: `2026-07-09T10:00:${start}+00:00`,
  end_time: `2026-07-09T10:00:${start}.500000+00:00`,
  status_code: 'OK',
  status_message: '',
  attributes: { 'session.id': 'sess-42', ...attributes },
  events: [],
  ...extra,
});
const PHOENIX = [
  span(
    'a000000000000005',
    'issue_refund',
    'TOOL',
    '04',
    { 'tool.name': 'issue_refund', 'tool.id': 'call-2', 'input.mime_type': 'application/json', 'input.value': '{"order_id": "A-17", "amount": 20}' },
    { status_code: 'ERROR', events: [{ name: 'exception', timestamp: '2026-07-09T10:00:04.400000+00:00', attributes: { 'exception.type': 'ValueError', 'exception.message': 'refund window closed' } }] },
  ),
  span('a000000000000001', 'support-agent', 'AGENT', '00', { 'input.mime_type': 'text/plain', 'input.value': 'Refund order A-17 please', 'output.mime_type': 'text/plain', 'output.value': 'Sorry, the refund window has closed.' }),
  span('a000000000000002', 'claude-fable-5', 'LLM', '01', {
    'llm.input_messages.0.message.role': 'system',
    'llm.input_messages.0.message.content': '[system prompt]',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.content': 'Refund order A-17 please',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call-1',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_order',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"order_id": "A-17"}',
  }),
  span('a000000000000003', 'get_order', 'TOOL', '02', { 'tool.name': 'get_order', 'tool.id': 'call-1', 'input.mime_type': 'application/json', 'input.value': '{"order_id": "A-17"}', 'output.mime_type': 'application/json', 'output.value': '{"status": "delivered"}' }),
  span('a000000000000004', 'claude-fable-5', 'LLM', '03', {
    'llm.input_messages.0.message.role': 'system',
    'llm.input_messages.0.message.content': '[system prompt]',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.content': 'Refund order A-17 please',
    'llm.input_messages.2.message.role': 'assistant',
    'llm.input_messages.2.message.tool_calls.0.tool_call.id': 'call-1',
    'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_order',
    'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"order_id": "A-17"}',
    'llm.input_messages.3.message.role': 'tool',
    'llm.input_messages.3.message.tool_call_id': 'call-1',
    'llm.input_messages.3.message.content': '{"status": "delivered"}',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call-2',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'issue_refund',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"order_id": "A-17", "amount": 20}',
  }),
];

describe('Phoenix span JSON', () => {
  const expectTurn = (result: ImportResult) => {
    expect(result.format).toBe('openinference');
    expect(result.diagnostics).toEqual([]);
    // The TOOL spans are the calls; the LLM messages that repeat them add none.
    expect(summary(result.events)).toEqual(['user_message Refund order A-17 please', 'tool_call get_order', 'tool_call issue_refund']);
    expect(calls(result.events)).toMatchObject([
      { tool: 'get_order', callId: 'call-1', args: { order_id: 'A-17' }, result: '{"status": "delivered"}', agent: 'support-agent', session: 'sess-42', time: Date.UTC(2026, 6, 9, 10, 0, 2) },
      { tool: 'issue_refund', callId: 'call-2', args: { order_id: 'A-17', amount: 20 }, error: 'refund window closed', agent: 'support-agent', session: 'sess-42', time: Date.UTC(2026, 6, 9, 10, 0, 4) },
    ]);
    expect(result.stats).toMatchObject({ toolCalls: 2, errors: 1, unpaired: 0 });
  };

  test('an array of spans, out of order: TOOL spans are the calls, in start order', () => {
    const result = importSpans(JSON.stringify(PHOENIX, null, 2));
    expect(result.detection?.reason).toContain('span_kind');
    expectTurn(result);
    expect(calls(result.events)[1]!.source).toMatchObject({ line: 2, path: '$[0]' });
  });

  test('the REST API form `{"data": [...]}` and one span per line read the same', () => {
    expectTurn(importSpans(JSON.stringify({ data: PHOENIX, next_cursor: null })));
    expectTurn(importSpans(PHOENIX.map((entry) => JSON.stringify(entry)).join('\n'), 'spans.jsonl'));
  });

  test('nested attributes are flattened to the OpenInference keys', () => {
    const nested = {
      name: 'search_docs',
      context: { trace_id: 't1', span_id: 's1' },
      span_kind: 'TOOL',
      parent_id: null,
      start_time: '2026-07-09T10:00:00',
      attributes: { tool: { name: 'search_docs' }, input: { value: '{"q": "refund policy"}', mime_type: 'application/json' }, output: { value: 'found 3' }, session: { id: 'nested-session' }, agent: { name: 'helper' } },
    };
    const result = importSpans(JSON.stringify([nested]));
    expect(result.diagnostics).toEqual([]);
    // A zoneless Phoenix time is UTC.
    expect(calls(result.events)).toMatchObject([{ tool: 'search_docs', args: { q: 'refund policy' }, result: 'found 3', session: 'nested-session', agent: 'helper', time: Date.UTC(2026, 6, 9, 10) }]);
  });

  test('a trace with no TOOL span: its calls come from the LLM messages, once each, paired with the tool messages', () => {
    const llmOnly = PHOENIX.filter((entry) => entry.span_kind !== 'TOOL');
    const result = importSpans(JSON.stringify(llmOnly));
    expect(summary(result.events)).toEqual(['user_message Refund order A-17 please', 'tool_call get_order', 'tool_call issue_refund']);
    expect(calls(result.events)).toMatchObject([
      { tool: 'get_order', callId: 'call-1', args: { order_id: 'A-17' }, result: '{"status": "delivered"}', session: 'sess-42', agent: 'support-agent' },
      // The last call's answer is not in this file: it is kept and flagged.
      { tool: 'issue_refund', callId: 'call-2', unpaired: true },
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GH4110']);
  });

  test('sessions: session.id, else the trace id', () => {
    const bare = PHOENIX.map((entry) => ({ ...entry, attributes: Object.fromEntries(Object.entries(entry.attributes).filter(([key]) => key !== 'session.id')) }));
    expect(new Set(importSpans(JSON.stringify(bare)).events.map((event) => event.session))).toEqual(new Set([TRACE]));
  });
});

describe('detection', () => {
  const all = readdirSync(FIXTURES).flatMap((dir) => (dir.endsWith('.md') ? [] : readdirSync(resolve(FIXTURES, dir)).map((file) => `${dir}/${file}`)));

  test('the OpenInference detector claims its fixture and no other fixture', () => {
    for (const path of all) {
      const text = readFileSync(resolve(FIXTURES, path), 'utf8');
      const lines = path.endsWith('.jsonl');
      const parsed = parseJsonTree(lines ? text.split('\n')[0]! : text);
      if (!parsed.ok) throw new Error(path);
      const claim = openinferenceImporter.detect(parsed.value, lines ? 'lines' : 'document');
      if (path.startsWith('openinference/')) expect(claim?.confidence, path).toBeGreaterThanOrEqual(0.9);
      else expect(claim, path).toBeUndefined();
    }
  });

  test('Phoenix spans are not taken for the console exporter, nor OTLP for Phoenix', () => {
    expect(importSpans(JSON.stringify(PHOENIX)).format).toBe('openinference');
    const parsed = parseJsonTree(JSON.stringify(PHOENIX));
    expect(parsed.ok && otlpImporter.detect(parsed.value, 'document')).toBeUndefined();
  });
});

describe('bad input', () => {
  const toolSpan = (spanId: string, name: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name, context: { trace_id: 't', span_id: spanId }, span_kind: 'TOOL', start_time: '2026-07-09T10:00:00Z', attributes, ...extra });

  test('a span that is not an object, a bad time, a TOOL span with no name: located diagnostics, good spans kept', () => {
    const text = JSON.stringify([toolSpan('s1', 'ok', { 'input.value': '{}' }, { start_time: 'soon' }), 42, toolSpan('s3', '', {})]);
    const result = importSpans(text);
    expect(codes(result)).toEqual(['GH4116 1 $[0].start_time', 'GH4107 1 $[1]', 'GH4108 1 $[2]']);
    expect(calls(result.events).map((call) => call.tool)).toEqual(['ok']);
  });

  test('text that is not a JSON object as `input.value` is kept raw (GH4112)', () => {
    const result = importSpans(JSON.stringify([toolSpan('s1', 'shell', { 'input.value': 'ls -la', 'input.mime_type': 'text/plain' })]));
    expect(codes(result)).toEqual(['GH4112 1 $[0].attributes["input.value"]']);
    expect(calls(result.events)[0]).toMatchObject({ args: {}, argsRaw: 'ls -la' });
  });

  test('a span without `context` is kept without ids (GH4108)', () => {
    const result = importSpans(JSON.stringify([toolSpan('s1', 'a', {}), { name: 'x', span_kind: 'TOOL', attributes: {} }]));
    expect(codes(result)).toEqual(['GH4108 1 $[1].context']);
    expect(calls(result.events).map((call) => call.tool)).toEqual(['a', 'x']);
  });

  test('a span id used twice (GH4109), `__proto__` in arguments (GH4113)', () => {
    const result = importSpans(JSON.stringify([toolSpan('s1', 'a', { 'input.value': '{"__proto__": {"admin": true}}' }), toolSpan('s1', 'b', {})]));
    expect(codes(result)).toEqual(['GH4109 1 $[1]', 'GH4113 1 $[0].attributes["input.value"]']);
    const args = calls(result.events)[0]!.args;
    expect(Object.getOwnPropertyNames(args)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  test('message tool calls: no function name (GH4108), invalid arguments (GH4112), a result for no call (GH4111), a call never answered (GH4110)', () => {
    const attributes = {
      'openinference.span.kind': 'LLM',
      'llm.input_messages.0.message.role': 'assistant',
      'llm.input_messages.0.message.tool_calls.0.tool_call.id': 'c1',
      'llm.input_messages.0.message.tool_calls.1.tool_call.id': 'c2',
      'llm.input_messages.0.message.tool_calls.1.tool_call.function.name': 'calc',
      'llm.input_messages.0.message.tool_calls.1.tool_call.function.arguments': '{1 + 1}',
      'llm.input_messages.1.message.role': 'tool',
      'llm.input_messages.1.message.tool_call_id': 'c9',
      'llm.input_messages.1.message.content': 'lost',
    };
    const result = importSpans(JSON.stringify(attributes, null, 1), 'map.json');
    expect(result.format).toBe('openinference');
    expect(codes(result)).toEqual(['GH4108 3 $["llm.input_messages.0.message.role"]', 'GH4112 3 $["llm.input_messages.0.message.role"]', 'GH4110 3 $["llm.input_messages.0.message.role"]', 'GH4111 8 $["llm.input_messages.1.message.role"]']);
    expect(calls(result.events)).toMatchObject([{ tool: 'calc', callId: 'c2', args: {}, argsRaw: '{1 + 1}', unpaired: true }]);
  });

  test('`gen_ai.input.messages` that is not JSON is reported (GH4107) and the span still read', () => {
    const result = importSpans(JSON.stringify({ 'openinference.span.kind': 'LLM', 'gen_ai.input.messages': '[{"role":' }));
    expect(codes(result)).toEqual(['GH4107 1 $["gen_ai.input.messages"]']);
    expect(result.events).toEqual([]);
  });
});
