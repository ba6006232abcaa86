// OpenAI Agents SDK trace import: the example of TRACE-FORMATS.md §2.3, span order, agents,
// sessions, model-call spans, and bad input, through the real driver. (The shared fixtures hold
// no Agents SDK export; the detection of every fixture is checked in openaiChat.test.ts.)
import { describe, expect, test } from 'vitest';
import { parseJsonTree, type JsonNode } from '../../../src/language/catalog/jsonTree';
import { importTextWith } from '../../../src/traces/import/driver';
import { openaiAgentsImporter } from '../../../src/traces/import/formats/openaiAgents';
import { IMPORTERS, type ImportOptions, type ImportResult } from '../../../src/traces/import';
import { toolCalls as calls, where } from '../support';


function run(text: string, options: Partial<ImportOptions> = {}): ImportResult {
  return importTextWith(text, { file: 'trace.json', ...options }, IMPORTERS);
}


function parse(text: string): JsonNode {
  const parsed = parseJsonTree(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

/** A span line: `{object: "trace.span", …}` with the given fields. */
function span(id: string, parent: string | null, started: string, data: object, extra: object = {}): string {
  return JSON.stringify({ object: 'trace.span', id, trace_id: 'trace_1', parent_id: parent, started_at: started, ended_at: started, span_data: data, error: null, ...extra });
}

describe('the example of TRACE-FORMATS.md §2.3', () => {
  const example = `{"data": [
  {"object": "trace", "id": "trace_3f2b9c0d7e8a4b1c9d0e1f2a3b4c5d6e", "workflow_name": "Billing support", "group_id": "conv_7f3a91c2", "metadata": {"customer_tier": "gold"}},
  {"object": "trace.span", "id": "span_4a5b6c7d8e9f0a1b2c3d4e5f", "trace_id": "trace_3f2b9c0d7e8a4b1c9d0e1f2a3b4c5d6e", "parent_id": null,
   "started_at": "2026-07-14T09:30:00.000000+00:00", "ended_at": "2026-07-14T09:30:06.000000+00:00",
   "span_data": {"type": "agent", "name": "Billing Assistant", "handoffs": ["Escalation Agent"], "tools": ["lookup_order", "issue_refund", "delete_file"], "output_type": "str"}, "error": null},
  {"object": "trace.span", "id": "span_9e8d7c6b5a4f3e2d1c0b9a8f", "trace_id": "trace_3f2b9c0d7e8a4b1c9d0e1f2a3b4c5d6e", "parent_id": "span_4a5b6c7d8e9f0a1b2c3d4e5f",
   "started_at": "2026-07-14T09:30:02.950000+00:00", "ended_at": "2026-07-14T09:30:03.410000+00:00",
   "span_data": {"type": "function", "name": "issue_refund", "input": "{\\"order_id\\":\\"A-1042\\",\\"amount\\":49.0}", "output": "{'refund_id': 'rf_881', 'status': 'queued'}", "mcp_data": null}, "error": null},
  {"object": "trace.span", "id": "span_1a2b3c4d5e6f7a8b9c0d1e2f", "trace_id": "trace_3f2b9c0d7e8a4b1c9d0e1f2a3b4c5d6e", "parent_id": "span_4a5b6c7d8e9f0a1b2c3d4e5f",
   "started_at": "2026-07-14T09:30:03.500000+00:00", "ended_at": "2026-07-14T09:30:03.880000+00:00",
   "span_data": {"type": "function", "name": "delete_file", "input": "{\\"path\\":\\"config/old.yaml\\"}", "output": null, "mcp_data": {"server": "github"}},
   "error": {"message": "Error running tool", "data": {"tool_name": "delete_file", "error": "Branch main is protected"}}}
]}`;

  test('is detected as openai-agents and gives the 2 function spans as calls of the ancestor agent in the group session', () => {
    const result = run(example);
    expect(result.format).toBe('openai-agents');
    expect(result.detection?.confidence).toBe(1);
    expect(result.diagnostics).toEqual([]);
    const [refund, deletion] = calls(result.events);
    expect(result.events).toHaveLength(2);
    expect(refund).toMatchObject({
      session: 'conv_7f3a91c2',
      agent: 'Billing Assistant',
      tool: 'issue_refund',
      args: { order_id: 'A-1042', amount: 49 },
      // Python str() of a dict: kept as the text recorded.
      result: "{'refund_id': 'rf_881', 'status': 'queued'}",
      callId: 'span_9e8d7c6b5a4f3e2d1c0b9a8f',
      time: Date.UTC(2026, 6, 14, 9, 30, 2, 950),
      source: { file: 'trace.json', line: 6, path: '$.data[2]' },
    });
    expect(refund!.error).toBeUndefined();
    expect(refund!.server).toBeUndefined();
    expect(deletion).toMatchObject({
      session: 'conv_7f3a91c2',
      agent: 'Billing Assistant',
      tool: 'delete_file',
      args: { path: 'config/old.yaml' },
      server: 'github',
      error: 'Error running tool: {"tool_name":"delete_file","error":"Branch main is protected"}',
      time: Date.UTC(2026, 6, 14, 9, 30, 3, 500),
    });
    expect(deletion!.result).toBeUndefined();
    expect(result.sessions).toEqual([{ id: 'conv_7f3a91c2', events: 2, toolCalls: 2, errors: 1, unpaired: 0, clock: 'recorded' }]);
  });
});

describe('spans in JSON Lines', () => {
  test('spans are read in `started_at` order, whatever the order of the lines; the trace line may come last', () => {
    const lines = [
      span('s_late', 'a1', '2026-01-01T10:00:05+00:00', { type: 'function', name: 'second', input: '{}', output: 'b' }),
      span('a1', null, '2026-01-01T10:00:00+00:00', { type: 'agent', name: 'Planner' }),
      span('s_early', 'a1', '2026-01-01T10:00:01.5+00:00', { type: 'function', name: 'first', input: '{}', output: 'a' }),
      JSON.stringify({ object: 'trace', id: 'trace_1', workflow_name: 'w', group_id: 'thread_42' }),
    ].join('\n');
    const result = run(lines, { file: 'spans.jsonl' });
    expect(result.format).toBe('openai-agents');
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events).map((call) => [call.tool, call.session, call.agent, call.source?.line])).toEqual([
      ['first', 'thread_42', 'Planner', 3],
      ['second', 'thread_42', 'Planner', 1],
    ]);
  });

  test('the agent is the nearest ancestor agent span, through other spans; a handoff changes it', () => {
    const lines = [
      span('triage', null, '2026-01-01T10:00:00Z', { type: 'agent', name: 'Triage' }),
      span('handoff', 'triage', '2026-01-01T10:00:01Z', { type: 'handoff', from_agent: 'Triage', to_agent: 'Refunds' }),
      span('refunds', null, '2026-01-01T10:00:02Z', { type: 'agent', name: 'Refunds' }),
      span('gen', 'refunds', '2026-01-01T10:00:03Z', { type: 'response', response_id: 'resp_1' }),
      span('call', 'gen', '2026-01-01T10:00:04Z', { type: 'function', name: 'issue_refund', input: '{"amount": 5}', output: 'ok' }),
      span('orphan', 'missing_parent', '2026-01-01T10:00:05Z', { type: 'function', name: 'lonely', input: '{}', output: 'ok' }),
    ].join('\n');
    const result = run(lines, { file: 'spans.jsonl' });
    expect(calls(result.events).map((call) => [call.tool, call.agent])).toEqual([
      ['issue_refund', 'Refunds'],
      ['lonely', 'agent'],
    ]);
    // Spans that are not tool calls: one note per type, at the first of them.
    expect(where(result)).toEqual(['GH4114 2 $.span_data', 'GH4114 4 $.span_data']);
  });

  test('without a `group_id` the trace id is the session; traces sharing a group are one session', () => {
    const lines = [
      JSON.stringify({ object: 'trace', id: 'trace_a', workflow_name: 'w' }),
      JSON.stringify({ object: 'trace', id: 'trace_b', workflow_name: 'w', group_id: 'conv_1' }),
      JSON.stringify({ object: 'trace', id: 'trace_c', workflow_name: 'w', group_id: 'conv_1' }),
      ...['trace_a', 'trace_b', 'trace_c'].map((trace, index) =>
        JSON.stringify({ object: 'trace.span', id: `s${index}`, trace_id: trace, parent_id: null, started_at: `2026-01-01T10:00:0${index}+00:00`, span_data: { type: 'function', name: 'f', input: '{}', output: 'x' } }),
      ),
    ].join('\n');
    const result = run(lines, { file: 'spans.jsonl' });
    expect(result.sessions.map((session) => [session.id, session.toolCalls])).toEqual([
      ['trace_a', 1],
      ['conv_1', 2],
    ]);
  });

  test('each line may also be a whole `{data}` batch, and a bare array of items is read too', () => {
    const batch = (id: string, at: string) => JSON.stringify({ data: [JSON.parse(span(id, null, at, { type: 'function', name: id, input: '{}', output: 'x' }))] });
    const result = run(`${batch('b2', '2026-01-01T10:00:02Z')}\n${batch('b1', '2026-01-01T10:00:01Z')}`, { file: 'batches.jsonl' });
    expect(calls(result.events).map((call) => [call.tool, call.source?.path])).toEqual([
      ['b1', '$.data[0]'],
      ['b2', '$.data[0]'],
    ]);
    const array = run(`[${span('x', null, '2026-01-01T10:00:00Z', { type: 'function', name: 'x', input: '{}', output: 'y' })}]`);
    expect(array.format).toBe('openai-agents');
    expect(calls(array.events).map((call) => call.tool)).toEqual(['x']);
  });
});

describe('what other spans give', () => {
  test('generation spans give the new user messages of their input and the assistant text of their output', () => {
    const lines = [
      span('a', null, '2026-01-01T10:00:00Z', { type: 'agent', name: 'A' }),
      span('g1', 'a', '2026-01-01T10:00:01Z', { type: 'generation', input: [{ role: 'system', content: 's' }, { role: 'user', content: 'refund A-1' }], output: [{ role: 'assistant', content: 'Looking it up.' }] }),
      span('f', 'a', '2026-01-01T10:00:02Z', { type: 'function', name: 'lookup', input: '{}', output: 'found' }),
      span('g2', 'a', '2026-01-01T10:00:03Z', {
        type: 'generation',
        input: [{ role: 'user', content: 'refund A-1' }, { role: 'assistant', content: 'Looking it up.' }, { role: 'user', content: [{ type: 'text', text: 'and A-2' }] }],
        output: [{ role: 'assistant', content: null, tool_calls: [] }],
      }),
    ].join('\n');
    const result = run(lines, { file: 'gen.jsonl' });
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => [event.kind, event.kind === 'tool_call' ? event.tool : event.text])).toEqual([
      ['user_message', 'refund A-1'],
      ['agent_message', 'Looking it up.'],
      ['tool_call', 'lookup'],
      ['user_message', 'and A-2'],
    ]);
  });

  test('`mcp_tools` spans give the listed tool names of their server', () => {
    const result = run(span('m', null, '2026-01-01T10:00:00Z', { type: 'mcp_tools', server: 'github', result: ['delete_file', 'get_file'] }));
    expect(result.tools).toEqual([
      { name: 'delete_file', server: 'github' },
      { name: 'get_file', server: 'github' },
    ]);
  });

  test('redacted tool data (null input and output) gives a call with no arguments and no result', () => {
    const result = run(span('r', null, '2026-01-01T10:00:00Z', { type: 'function', name: 'secret', input: null, output: null, mcp_data: null }));
    expect(calls(result.events)).toMatchObject([{ tool: 'secret', args: {} }]);
    expect(calls(result.events)[0]!.result).toBeUndefined();
    expect(calls(result.events)[0]!.unpaired).toBeUndefined();
    expect(result.diagnostics).toEqual([]);
  });
});

describe('detection', () => {
  test('exports and single items are claimed; other formats with `data` or `object` are not', () => {
    expect(openaiAgentsImporter.detect(parse('{"data":[{"object":"trace","id":"t"}]}'), 'document')?.confidence).toBe(1);
    expect(openaiAgentsImporter.detect(parse('{"object":"trace.span","id":"s"}'), 'lines')?.confidence).toBe(0.95);
    expect(openaiAgentsImporter.detect(parse('{"object":"list","data":[{"type":"function_call"}]}'), 'document')).toBeUndefined();
    expect(openaiAgentsImporter.detect(parse('{"object":"chat.completion","choices":[]}'), 'document')).toBeUndefined();
    expect(openaiAgentsImporter.detect(parse('[{"role":"user","content":"hi"}]'), 'document')).toBeUndefined();
  });
});

describe('bad input', () => {
  test('invalid JSON `input` is kept raw (GH4112); a bad `started_at` is reported (GH4116) and the span keeps its place', () => {
    const lines = [
      span('a', null, '2026-01-01T10:00:00Z', { type: 'function', name: 'first', input: '{"path": ', output: 'x' }),
      span('b', null, 'yesterday', { type: 'function', name: 'second', input: '{}', output: 'y' }),
      span('c', null, '2026-01-01T09:00:00Z', { type: 'function', name: 'earliest', input: '{}', output: 'z' }),
    ].join('\n');
    const result = run(lines, { file: 'bad.jsonl' });
    expect(where(result)).toEqual(['GH4112 1 $.span_data.input', 'GH4116 2 $.started_at']);
    expect(calls(result.events).map((call) => [call.tool, call.argsRaw])).toEqual([
      ['earliest', undefined],
      ['first', '{"path": '],
      ['second', undefined],
    ]);
  });

  test('missing and mistyped fields: a span without `span_data` or a name, a trace without an id, a non-object item, an unknown object', () => {
    const lines = [
      JSON.stringify({ object: 'trace.span', id: 's1', trace_id: 't' }),
      JSON.stringify({ object: 'trace.span', id: 's2', trace_id: 't', span_data: 'function' }),
      JSON.stringify({ object: 'trace.span', id: 's3', trace_id: 't', started_at: '2026-01-01T00:00:00Z', span_data: { type: 'function', input: '{}' } }),
      JSON.stringify({ object: 'trace', workflow_name: 'w' }),
      JSON.stringify({ object: 'trace.event' }),
      JSON.stringify({ data: [5] }),
      JSON.stringify({ object: 'trace.span', id: 's4', started_at: '2026-01-01T00:00:01Z', span_data: { type: 'function', name: 'no_trace', input: '{}' } }),
    ].join('\n');
    const result = run(lines, { file: 'bad.jsonl' });
    expect(where(result)).toEqual([
      'GH4108 1 $.span_data',
      'GH4107 2 $.span_data',
      'GH4108 3 $.span_data.name',
      'GH4108 4 $.id',
      'GH4114 5 $',
      'GH4107 6 $.data[0]',
      'GH4108 7 $.trace_id',
    ]);
    expect(calls(result.events).map((call) => [call.tool, call.session])).toEqual([['no_trace', 'bad.jsonl']]);
  });

  test('a span id used twice is reported (GH4109)', () => {
    const lines = [span('dup', null, '2026-01-01T10:00:00Z', { type: 'agent', name: 'A' }), span('dup', null, '2026-01-01T10:00:01Z', { type: 'agent', name: 'B' })].join('\n');
    expect(where(run(lines, { file: 'dup.jsonl' }))).toEqual(['GH4109 2 $']);
  });

  test('a parent cycle does not hang and gives the default agent', () => {
    const lines = [span('x', 'y', '2026-01-01T10:00:00Z', { type: 'function', name: 'f', input: '{}' }), span('y', 'x', '2026-01-01T10:00:01Z', { type: 'custom', name: 'c', data: {} })].join('\n');
    const result = run(lines, { file: 'cycle.jsonl' });
    expect(calls(result.events).map((call) => call.agent)).toEqual(['agent']);
  });

  test('`__proto__` in span input stays plain data (GH4113); a string error is the error text', () => {
    const result = run(span('p', null, '2026-01-01T10:00:00Z', { type: 'function', name: 'f', input: '{"__proto__": {"x": 1}}' }, { error: 'boom' }));
    expect(where(result)).toEqual(['GH4113 1 $.span_data.input']);
    const call = calls(result.events)[0]!;
    expect(Object.getPrototypeOf(call.args)).toBe(Object.prototype);
    expect(Object.hasOwn(call.args, '__proto__')).toBe(true);
    expect(call.error).toBe('boom');
  });

  test('a value of no Agents SDK shape is skipped with GH4107', () => {
    expect(where(run('{"hello": "world"}', { format: 'openai-agents' }))).toEqual(['GH4117 1 -', 'GH4107 1 $']);
  });
});
