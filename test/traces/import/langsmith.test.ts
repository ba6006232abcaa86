// LangSmith run trees → tool calls: the two ingest payloads of the shared fixtures (no tool runs),
// the example of TRACE-FORMATS.md §5, realistic tool-run samples, and bad input.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../../../src/traces/event';
import { importTextWith } from '../../../src/traces/import/driver';
import { langsmithImporter } from '../../../src/traces/import/formats/langsmith';
import { assertReaderNeverThrows } from './readerFuzz';
import { IMPORTERS, type ImportResult } from '../../../src/traces/import';
import { toolCalls as calls, where } from '../support';

const FIXTURES = resolve(process.cwd(), '../shared/datasets/trace-fixtures');

const importRuns = (text: string, file = 'runs.json') => importTextWith(text, { file }, IMPORTERS);
const codesOf = (result: ImportResult) => result.diagnostics.map((d) => d.code);
const problems = (result: ImportResult) => result.diagnostics.filter((d) => d.severity !== 'info');
const kinds = (events: readonly TraceEvent[]) => events.map((event) => (event.kind === 'tool_call' ? `tool:${event.tool}` : `${event.kind}:${event.text}`));
const lines = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join('\n');

describe('the LangSmith ingest payloads of the shared fixtures (one llm run each, no tool runs)', () => {
  const cases = [
    {
      file: 'langsmith-sdk.langsmith_js_wrap_openai_default.json',
      trace: 'dc34609e-3eeb-459d-bc2a-6fedb01d2e6e',
      // Epoch milliseconds, as the JS SDK writes them.
      start: 1728803137170,
      end: 1728803138285,
    },
    {
      file: 'langsmith-sdk.langsmith_py_wrap_openai_.json',
      trace: 'd0d84d31-923d-4cb5-94a8-40a0a0087578',
      start: Date.UTC(2024, 9, 11, 20, 58, 23, 298),
      end: Date.UTC(2024, 9, 11, 20, 58, 24, 417),
    },
  ];

  test.each(cases)('$file imports with no tool call, no problem and one "nothing to import" info', ({ file }) => {
    const result = importRuns(readFileSync(resolve(FIXTURES, 'langsmith', file), 'utf8'), file);
    expect(result.format).toBe('langsmith');
    expect(result.detection?.reason).toContain('post');
    expect(calls(result.events)).toEqual([]);
    expect(problems(result)).toEqual([]);
    expect(codesOf(result)).toEqual(['GH4114']);
  });

  test.each(cases)('$file: the user turn and the reply are context, in the trace session, at the run times', ({ file, trace, start, end }) => {
    const result = importRuns(readFileSync(resolve(FIXTURES, 'langsmith', file), 'utf8'), file);
    // The patch (by id in the Python capture, by trace_id + dotted_order in the JS one) carries the outputs.
    expect(result.events.map((event) => [event.kind, 'text' in event ? event.text : '', event.session, event.time])).toEqual([
      ['user_message', 'howdy', trace, start],
      ['agent_message', 'Howdy! How can I assist you today?', trace, end],
    ]);
  });
});

test('detection: every LangSmith fixture reads as langsmith, and the detector claims no fixture of another format', () => {
  const claims: string[] = [];
  for (const folder of readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const name of readdirSync(resolve(FIXTURES, folder.name))) {
      const result = importTextWith(readFileSync(resolve(FIXTURES, folder.name, name), 'utf8'), { file: name }, IMPORTERS);
      if ((folder.name === 'langsmith') !== (result.format === 'langsmith')) claims.push(`${folder.name}/${name}: ${result.format}`);
    }
  }
  expect(claims).toEqual([]);
});

describe('the example of TRACE-FORMATS.md §5', () => {
  const example = `[
  {"id": "0198a6f2-7c3e-7a10-9b2d-4c5e6f708192", "name": "billing_agent", "run_type": "chain",
   "start_time": "2026-07-14T09:30:00.000000", "end_time": "2026-07-14T09:30:06.000000",
   "parent_run_id": null, "trace_id": "0198a6f2-7c3e-7a10-9b2d-4c5e6f708192",
   "dotted_order": "20260714T093000000000Z0198a6f2-7c3e-7a10-9b2d-4c5e6f708192",
   "session_id": "6b1d0c3e-2f4a-4e55-9a1b-8c7d6e5f4a3b",
   "inputs": {"messages": [{"role": "user", "content": "Order A-1042 arrived broken, please refund it."}]},
   "outputs": {"messages": [{"role": "assistant", "content": "Refund rf_881 for $49.00 is queued."}]},
   "extra": {"metadata": {"thread_id": "conv_7f3a91c2", "ls_agent_type": "root"}},
   "error": null, "tags": [], "status": "success"},
  {"id": "0198a6f2-8a11-7c42-8e3f-1a2b3c4d5e6f", "name": "issue_refund", "run_type": "tool",
   "start_time": "2026-07-14T09:30:02.950000", "end_time": "2026-07-14T09:30:03.410000",
   "parent_run_id": "0198a6f2-7c3e-7a10-9b2d-4c5e6f708192", "trace_id": "0198a6f2-7c3e-7a10-9b2d-4c5e6f708192",
   "dotted_order": "20260714T093000000000Z0198a6f2-7c3e-7a10-9b2d-4c5e6f708192.20260714T093002950000Z0198a6f2-8a11-7c42-8e3f-1a2b3c4d5e6f",
   "inputs": {"input": "{'order_id': 'A-1042', 'amount': 49.0}"},
   "outputs": {"output": {"content": "{\\"refund_id\\": \\"rf_881\\", \\"status\\": \\"queued\\"}", "type": "tool", "name": "issue_refund", "tool_call_id": "call_8ZpWc2hN3d", "status": "success"}},
   "serialized": {"name": "issue_refund", "description": "Refund a customer order"},
   "events": [{"name": "start", "time": "2026-07-14T09:30:02.950000"}, {"name": "end", "time": "2026-07-14T09:30:03.410000"}],
   "extra": {"metadata": {"thread_id": "conv_7f3a91c2", "langgraph_node": "tools", "langgraph_step": 2}, "tool_call_id": "call_8ZpWc2hN3d"},
   "error": null, "tags": [], "status": "success"}
]`;
  const result = importRuns(example, 'example.json');
  const [call] = calls(result.events);

  test('is an array of runs with one tool call: issue_refund by billing_agent in thread conv_7f3a91c2', () => {
    expect(result.format).toBe('langsmith');
    expect(calls(result.events)).toHaveLength(1);
    expect(call).toMatchObject({ tool: 'issue_refund', agent: 'billing_agent', session: 'conv_7f3a91c2', callId: 'call_8ZpWc2hN3d', time: Date.UTC(2026, 6, 14, 9, 30, 2, 950) });
  });

  test('keeps the Python-repr input raw (GH4112 at the input) and the ToolMessage content as the result text', () => {
    expect(call!.args).toEqual({});
    expect(call!.argsRaw).toBe("{'order_id': 'A-1042', 'amount': 49.0}");
    expect(call!.result).toBe('{"refund_id": "rf_881", "status": "queued"}');
    expect(call!.error).toBeUndefined();
    expect(where(result)).toEqual(['GH4112 15 $[1].inputs.input']);
  });

  test('the root request, the tool call and the reply come in execution order', () => {
    expect(kinds(result.events)).toEqual(['user_message:Order A-1042 arrived broken, please refund it.', 'tool:issue_refund', 'agent_message:Refund rf_881 for $49.00 is queued.']);
  });
});

describe('tool runs as the SDKs record them', () => {
  const trace = '0199aaaa-0000-7000-8000-000000000001';
  const root = {
    id: trace,
    trace_id: trace,
    name: 'support_agent',
    run_type: 'chain',
    start_time: '2026-07-14T10:00:00.000000',
    dotted_order: `20260714T100000000000Z${trace}`,
    inputs: { messages: [{ type: 'system', content: 'You are a support agent.' }, { type: 'human', content: [{ type: 'text', text: 'Where is order A-7?' }] }] },
    extra: { metadata: { thread_id: 'thread-42' } },
  };
  const node = {
    id: '0199aaaa-0000-7000-8000-000000000002',
    trace_id: trace,
    parent_run_id: trace,
    name: 'tools',
    run_type: 'chain',
    start_time: '2026-07-14T10:00:01.000000',
    dotted_order: `${root.dotted_order}.20260714T100001000000Z0199aaaa-0000-7000-8000-000000000002`,
    inputs: { messages: [{ type: 'human', content: 'Where is order A-7?' }] },
    extra: { metadata: { langgraph_node: 'tools' } },
  };
  const tool = {
    id: '0199aaaa-0000-7000-8000-000000000003',
    trace_id: trace,
    parent_run_id: node.id,
    name: 'lookup_order',
    run_type: 'tool',
    start_time: '2026-07-14T10:00:01.500000Z',
    dotted_order: `${node.dotted_order}.20260714T100001500000Z0199aaaa-0000-7000-8000-000000000003`,
    inputs: { input: { order_id: 'A-7' } },
    extra: { metadata: { langgraph_node: 'tools' }, tool_call_id: 'call_lookup_1' },
  };

  test('an ingest payload merges the tool run create with its patch; agent skips the LangGraph node; thread from the root', () => {
    const payload = {
      post: [root, node, tool],
      patch: [{ id: tool.id, trace_id: trace, dotted_order: tool.dotted_order, end_time: '2026-07-14T10:00:02.000000', outputs: { output: { lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', 'ToolMessage'], kwargs: { content: 'shipped', tool_call_id: 'call_lookup_1', status: 'success' } } } }],
    };
    const result = importRuns(JSON.stringify(payload), 'batch.json');
    expect(calls(result.events)).toMatchObject([{ tool: 'lookup_order', args: { order_id: 'A-7' }, result: 'shipped', agent: 'support_agent', session: 'thread-42', callId: 'call_lookup_1', time: Date.UTC(2026, 6, 14, 10, 0, 1, 500) }]);
    // The nested run repeats the user's turn: it is read once, from the root.
    expect(kinds(result.events)).toEqual(['user_message:Where is order A-7?', 'tool:lookup_order']);
    expect(result.diagnostics).toEqual([]);
  });

  test('a failed tool run keeps its stack trace as the error; a run that never finished is flagged unpaired', () => {
    const failed = { ...tool, end_time: '2026-07-14T10:00:02Z', error: 'Traceback (most recent call last):\n  ...\nKeyError: A-7' };
    const open = { ...tool, id: '0199aaaa-0000-7000-8000-000000000004', dotted_order: `${node.dotted_order}.20260714T100003000000Z0199aaaa-0000-7000-8000-000000000004`, extra: {} };
    const result = importRuns(JSON.stringify([root, node, failed, open]), 'failed.json');
    const [first, second] = calls(result.events);
    expect(first).toMatchObject({ error: 'Traceback (most recent call last):\n  ...\nKeyError: A-7' });
    expect(first!.result).toBeUndefined();
    expect(second).toMatchObject({ callId: open.id, unpaired: true });
    expect(codesOf(result)).toEqual(['GH4110']);
  });

  test('nested child_runs, epoch-millisecond times, @traceable named arguments and plain outputs', () => {
    const run = {
      id: 'r-1',
      name: 'weather_bot',
      run_type: 'chain',
      start_time: 1784023200000,
      inputs: { input: 'Weather in Paris?' },
      outputs: { output: 'Sunny, 20 °C.' },
      end_time: 1784023203000,
      child_runs: [
        { id: 'r-2', name: 'get_weather', run_type: 'tool', start_time: 1784023201000, end_time: 1784023202000, inputs: { city: 'Paris', units: 'metric' }, outputs: { temp: 20, sky: 'sunny' } },
        { id: 'r-3', name: 'web_search', run_type: 'tool', start_time: 1784023202500, end_time: 1784023202900, inputs: { input: 'paris weather' }, outputs: { output: 'sunny' } },
      ],
    };
    const result = importRuns(JSON.stringify(run), 'nested.json');
    expect(result.format).toBe('langsmith');
    expect(calls(result.events)).toMatchObject([
      { tool: 'get_weather', agent: 'weather_bot', session: 'r-1', callId: 'r-2', args: { city: 'Paris', units: 'metric' }, result: { temp: 20, sky: 'sunny' }, time: 1784023201000 },
      { tool: 'web_search', agent: 'weather_bot', args: { input: 'paris weather' }, result: 'sunny' },
    ]);
    expect(kinds(result.events)).toEqual(['user_message:Weather in Paris?', 'tool:get_weather', 'tool:web_search', 'agent_message:Sunny, 20 °C.']);
    expect(result.diagnostics).toEqual([]);
  });

  test('JSON Lines of runs: two threads become two sessions; a ToolMessage with status error is an error', () => {
    const text = lines(
      { id: 't1', trace_id: 't1', name: 'agent', run_type: 'chain', dotted_order: '20260714T100000000000Zt1', start_time: '2026-07-14T10:00:00', inputs: {}, extra: { metadata: { conversation_id: 'c-1' } } },
      { id: 't1-a', trace_id: 't1', parent_run_id: 't1', name: 'send_email', run_type: 'tool', dotted_order: '20260714T100000000000Zt1.20260714T100001000000Zt1-a', start_time: '2026-07-14T10:00:01', inputs: { input: '{"to": "a@example.com"}' }, outputs: { output: { content: 'mailbox full', type: 'tool', tool_call_id: 'call_1', status: 'error' } } },
      { id: 't2', trace_id: 't2', name: 'agent', run_type: 'chain', dotted_order: '20260714T110000000000Zt2', start_time: '2026-07-14T11:00:00', inputs: {}, extra: { metadata: { session_id: 'c-2' } } },
      { id: 't2-a', trace_id: 't2', parent_run_id: 't2', name: 'send_email', run_type: 'tool', dotted_order: '20260714T110000000000Zt2.20260714T110001000000Zt2-a', start_time: '2026-07-14T11:00:01', inputs: { input: '{"to": "b@example.com"}' }, outputs: { output: 'sent' } },
    );
    const result = importRuns(text, 'runs.jsonl');
    expect(calls(result.events)).toMatchObject([
      { session: 'c-1', args: { to: 'a@example.com' }, error: 'mailbox full', callId: 'call_1' },
      { session: 'c-2', args: { to: 'b@example.com' }, result: 'sent' },
    ]);
    expect(result.sessions.map((session) => session.id)).toEqual(['c-1', 'c-2']);
    expect(result.diagnostics).toEqual([]);
  });
});

describe('bad input', () => {
  const toolRun = (fields: Record<string, unknown>) => ({ id: 'x', trace_id: 'x', name: 'probe', run_type: 'tool', start_time: '2026-07-14T10:00:00Z', end_time: '2026-07-14T10:00:01Z', inputs: {}, outputs: { output: 'ok' }, ...fields });

  test('wrong types and missing fields are reported with their line and path; good runs are kept', () => {
    const text = lines(
      toolRun({ id: 'a' }),
      'not a run',
      toolRun({ id: 'b', name: undefined }),
      toolRun({ id: 'c', name: 7 }),
      toolRun({ id: 'd', start_time: 'yesterday' }),
      { hello: 'world' },
    );
    const result = importRuns(text, 'bad.jsonl');
    expect(result.format).toBe('langsmith');
    expect(calls(result.events).map((call) => call.callId)).toEqual(['a', 'd']);
    expect(where(result)).toEqual(['GH4107 2 $', 'GH4108 3 $', 'GH4107 4 $.name', 'GH4116 5 $.start_time', 'GH4107 6 $']);
  });

  test('a payload whose post is not a list, and a patch for a run that is not in the file, are reported', () => {
    const text = JSON.stringify({ post: { id: 'a' }, patch: [{ id: 'ghost', dotted_order: '20260714T100000000000Zghost', end_time: '2026-07-14T10:00:01Z' }] });
    const result = importRuns(text, 'payload.json');
    expect(result.format).toBe('langsmith');
    expect(where(result)).toEqual(['GH4107 1 $.post', 'GH4111 1 $.patch[0]']);
  });

  test('invalid JSON in a tool input is kept raw (GH4112)', () => {
    const result = importRuns(JSON.stringify([toolRun({ inputs: { input: '{"path": "/etc/passwd"' } })]), 'args.json');
    expect(calls(result.events)).toMatchObject([{ args: {}, argsRaw: '{"path": "/etc/passwd"' }]);
    expect(where(result)).toEqual(['GH4112 1 $[0].inputs.input']);
  });

  test('a run id recorded twice is merged, with a duplicate id warning (GH4109)', () => {
    const text = lines(toolRun({ outputs: { output: 'first' } }), toolRun({ outputs: { output: 'second' } }));
    const result = importRuns(text, 'dup.jsonl');
    expect(calls(result.events)).toMatchObject([{ result: 'second' }]);
    expect(where(result)).toEqual(['GH4109 2 $']);
  });

  test('`__proto__` in inputs stays plain data (GH4113) and touches no prototype', () => {
    const text = '[{"id":"p","trace_id":"p","name":"probe","run_type":"tool","start_time":"2026-07-14T10:00:00Z","inputs":{"__proto__":{"polluted":true},"a":1},"outputs":{"output":"ok"}}]';
    const result = importRuns(text, 'proto.json');
    const [call] = calls(result.events);
    expect(Object.getPrototypeOf(call!.args)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(call!.args, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(codesOf(result)).toEqual(['GH4113']);
  });
});

test('the reader never throws, whatever JSON it is given', () => {
  assertReaderNeverThrows(langsmithImporter, ['post', 'patch', 'runs', 'id', 'trace_id', 'parent_run_id', 'dotted_order', 'run_type', 'name', 'inputs', 'input', 'outputs', 'output', 'error', 'extra', 'metadata', 'thread_id', 'tool_call_id', 'start_time', 'end_time', 'child_runs', 'messages', 'role', 'type', 'content', 'kwargs', 'lc', 'status']);
});
