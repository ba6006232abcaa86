// OpenAI Chat Completions import: the recorded request/response pair of the shared fixtures, the
// example of TRACE-FORMATS.md §2.1, and bad input, all through the real driver with every importer.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseJsonTree, type JsonNode } from '../../../src/language/catalog/jsonTree';
import { importTextWith } from '../../../src/traces/import/driver';
import { openaiChatImporter } from '../../../src/traces/import/formats/openaiChat';
import { openaiResponsesImporter } from '../../../src/traces/import/formats/openaiResponses';
import { IMPORTERS, type ImportOptions, type ImportResult } from '../../../src/traces/import';
import { SYNTHETIC_BASE_TIME } from '../../../src/traces/import/time';
import { toolCalls as calls, where } from '../support';

const FIXTURES = new URL('../../../../shared/datasets/trace-fixtures/', import.meta.url);
const OWN_FORMATS = new Set(['openai-chat', 'openai-responses', 'openai-agents']);

function fixture(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

function run(text: string, options: Partial<ImportOptions> = {}): ImportResult {
  return importTextWith(text, { file: 'chat.json', ...options }, IMPORTERS);
}

describe('the recorded Chat Completions exchange (shared fixtures)', () => {
  const requestFile = 'openai/openinference.test_tool_calls.request.json';
  const responseFile = 'openai/openinference.test_tool_calls.response.json';

  test('the request body is detected as openai-chat and holds the 2 parallel calls of its history, both answered', () => {
    const result = run(fixture(requestFile), { file: 'request.json' });
    expect(result.format).toBe('openai-chat');
    expect(result.diagnostics).toEqual([]);
    const found = calls(result.events);
    expect(found.map((call) => [call.tool, call.callId, call.args])).toEqual([
      ['get_weather', 'call_62136355', { city: 'New York' }],
      ['get_population', 'call_62136356', { city: 'New York' }],
    ]);
    // The results are the `tool` messages' text as recorded, mislabelled key included.
    expect(found.map((call) => call.result)).toEqual(['{"city": "New York", "weather": "fine"}', '{"city": "New York", "weather": "large"}']);
    expect(found.every((call) => call.error === undefined && call.unpaired === undefined && call.agent === 'agent')).toBe(true);
    expect(result.stats).toMatchObject({ toolCalls: 2, errors: 0, unpaired: 0, skipped: 0 });
  });

  test('the request: the assistant answer and the new user question follow the calls, in one session of the file', () => {
    const result = run(fixture(requestFile), { file: 'request.json' });
    expect(result.events.map((event) => event.kind)).toEqual(['tool_call', 'tool_call', 'agent_message', 'user_message']);
    expect(result.events.slice(2).map((event) => (event.kind === 'tool_call' ? '' : event.text))).toEqual([
      'In New York the weather is fine and the population is large.',
      "What's the weather and population in San Francisco?",
    ]);
    expect(result.sessions).toEqual([{ id: 'request.json', events: 4, toolCalls: 2, errors: 0, unpaired: 0, clock: 'synthetic' }]);
    expect(result.events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    expect(result.events[0]!.source).toEqual({ file: 'request.json', line: 1, path: '$.messages[0].tool_calls[0]' });
  });

  test('the request: its 2 function tools are the tool definitions', () => {
    const result = run(fixture(requestFile), { file: 'request.json' });
    expect(result.tools.map((tool) => (tool as { function: { name: string } }).function.name)).toEqual(['get_weather', 'get_population']);
  });

  test('the response is detected as openai-chat: 2 parallel calls at `created`, not awaiting a result', () => {
    const result = run(fixture(responseFile), { file: 'response.json' });
    expect(result.format).toBe('openai-chat');
    expect(result.diagnostics).toEqual([]);
    const found = calls(result.events);
    expect(found.map((call) => [call.tool, call.callId, call.args])).toEqual([
      ['get_weather', 'call_S1xa8vawU2HXSrvSeUcqSCZm', { city: 'San Francisco' }],
      ['get_population', 'call_ZfEORmbRGEJZ4b7dAuVSPnaf', { city: 'San Francisco' }],
    ]);
    expect(found.map((call) => call.time)).toEqual([1772011293000, 1772011293000]);
    expect(found.every((call) => call.result === undefined && call.error === undefined && call.unpaired === undefined)).toBe(true);
    expect(result.sessions).toEqual([{ id: 'response.json', events: 2, toolCalls: 2, errors: 0, unpaired: 0, clock: 'recorded' }]);
    expect(found[1]!.source).toEqual({ file: 'response.json', line: 21, path: '$.choices[0].message.tool_calls[1]' });
  });
});

describe('detection against the other formats', () => {
  const files = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) => readdirSync(new URL(`${dir.name}/`, FIXTURES)).map((name) => `${dir.name}/${name}`));

  test('the shared fixtures include the 2 OpenAI files and others', () => {
    expect(files.filter((file) => file.startsWith('openai/'))).toHaveLength(2);
    expect(files.length).toBeGreaterThan(20);
  });

  test('no fixture of another format is read as an OpenAI format', () => {
    const claimed = files.filter((file) => !file.startsWith('openai/')).filter((file) => OWN_FORMATS.has(run(fixture(file), { file }).format ?? ''));
    expect(claimed).toEqual([]);
  });

  test('the Anthropic example request of TRACE-FORMATS.md §3 (also `model` and `messages`) is not claimed', () => {
    const anthropic = `{"model": "claude-sonnet-4-5", "max_tokens": 1024,
      "messages": [
        {"role": "user", "content": "Order A-1042 arrived broken, please refund it."},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "issue_refund", "input": {"order_id": "A-1042"}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "is_error": true, "content": "limit"}]}
      ]}`;
    expect(openaiChatImporter.detect(parse(anthropic), 'document')).toBeUndefined();
    expect(openaiResponsesImporter.detect(parse(anthropic), 'document')).toBeUndefined();
  });

  test('an Anthropic request with only text turns is not claimed when its tools have `input_schema` or it has `system`', () => {
    expect(openaiChatImporter.detect(parse('{"model":"m","max_tokens":5,"system":"s","messages":[{"role":"user","content":"hi"}]}'), 'document')).toBeUndefined();
    expect(openaiChatImporter.detect(parse('{"model":"m","max_tokens":5,"tools":[{"name":"t","input_schema":{}}],"messages":[{"role":"user","content":"hi"}]}'), 'document')).toBeUndefined();
  });

  test('a request with only text turns is a weak claim, weaker still with `max_tokens`', () => {
    expect(openaiChatImporter.detect(parse('{"model":"m","messages":[{"role":"user","content":"hi"}]}'), 'document')?.confidence).toBe(0.5);
    expect(openaiChatImporter.detect(parse('{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}'), 'document')?.confidence).toBe(0.45);
  });

  test('an AgentDojo run (`suite_name` and OpenAI-like `messages`) is read as AgentDojo', () => {
    const run1 = `{"suite_name": "banking", "pipeline_name": "p", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "pay the bill"},
      {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "function": "send_money", "args": {"amount": 1}}]},
      {"role": "tool", "tool_call_id": "c1", "content": "ok"}]}`;
    expect(openaiChatImporter.detect(parse(run1), 'document')).toBeUndefined();
    expect(run(run1).format).toBe('agentdojo');
  });

  test('a LangSmith run with the chat messages under `inputs` is not claimed', () => {
    const langsmith = '{"id":"r1","run_type":"llm","inputs":{"messages":[{"role":"user","content":"hi"}]},"outputs":{"object":"chat.completion"}}';
    expect(openaiChatImporter.detect(parse(langsmith), 'document')).toBeUndefined();
    expect(openaiChatImporter.detect(parse('{"run_type":"llm","messages":[{"role":"user","content":"hi"}]}'), 'document')).toBeUndefined();
  });

  test('Responses items and Agents SDK exports are not claimed as chat', () => {
    expect(openaiChatImporter.detect(parse('[{"type":"message","role":"user","content":"hi"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"}]'), 'document')).toBeUndefined();
    expect(openaiChatImporter.detect(parse('{"data":[{"object":"trace","id":"trace_1"}]}'), 'document')).toBeUndefined();
  });

  test('a bare list of messages with a tool message is chat, and a plain role/content list prefers chat to Responses', () => {
    expect(run('[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"x","content":"y"}]').format).toBe('openai-chat');
    expect(run('[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]').format).toBe('openai-chat');
  });
});

describe('the example of TRACE-FORMATS.md §2.1', () => {
  const example = `{
  "model": "gpt-4.1",
  "messages": [
    {"role": "system", "content": "You are the billing assistant for Acme."},
    {"role": "user", "content": "Order A-1042 arrived broken, please refund it."},
    {"role": "assistant", "content": null, "tool_calls": [
      {"id": "call_Qm4v0bXkT1", "type": "function", "function": {"name": "lookup_order", "arguments": "{\\"order_id\\": \\"A-1042\\"}"}},
      {"id": "call_8ZpWc2hN3d", "type": "function", "function": {"name": "issue_refund", "arguments": "{\\"order_id\\": \\"A-1042\\", \\"amount\\": 49.0}"}}
    ]},
    {"role": "tool", "tool_call_id": "call_Qm4v0bXkT1", "content": "{\\"status\\": \\"delivered\\", \\"total\\": 49.0}"},
    {"role": "tool", "tool_call_id": "call_8ZpWc2hN3d", "content": "{\\"refund_id\\": \\"rf_881\\", \\"status\\": \\"queued\\"}"},
    {"role": "assistant", "content": "Refund rf_881 for $49.00 is queued."}
  ]
}`;

  test('the system prompt is skipped; the request, both calls with their results and the answer are read in order', () => {
    const result = run(example, { file: 'billing.json' });
    expect(result.format).toBe('openai-chat');
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => event.kind)).toEqual(['user_message', 'tool_call', 'tool_call', 'agent_message']);
    expect(result.events[0]).toMatchObject({ text: 'Order A-1042 arrived broken, please refund it.', source: { line: 5, path: '$.messages[1]' } });
    const [lookup, refund] = calls(result.events);
    expect(lookup).toMatchObject({ tool: 'lookup_order', args: { order_id: 'A-1042' }, callId: 'call_Qm4v0bXkT1', result: '{"status": "delivered", "total": 49.0}' });
    expect(refund).toMatchObject({ tool: 'issue_refund', args: { order_id: 'A-1042', amount: 49 }, callId: 'call_8ZpWc2hN3d', result: '{"refund_id": "rf_881", "status": "queued"}' });
    expect(refund!.source).toEqual({ file: 'billing.json', line: 8, path: '$.messages[2].tool_calls[1]' });
    expect(result.events[3]).toMatchObject({ kind: 'agent_message', text: 'Refund rf_881 for $49.00 is queued.' });
    expect(result.sessions.map((session) => session.id)).toEqual(['billing.json']);
    expect(result.events.map((event) => event.time)).toEqual([0, 1, 2, 3].map((i) => SYNTHETIC_BASE_TIME + i * 1000));
  });
});

describe('message shapes', () => {
  test('content as a list of text parts is joined; image parts are left out', () => {
    const result = run('[{"role":"user","content":[{"type":"text","text":"look at"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"this"}]}]');
    expect(result.events).toMatchObject([{ kind: 'user_message', text: 'look at\nthis' }]);
  });

  test('a tool result given as text parts keeps their text', () => {
    const result = run('[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"a","content":[{"type":"text","text":"done"}]}]');
    expect(calls(result.events)[0]!.result).toBe('done');
  });

  test('an assistant `name` is the agent of its calls; without one the default agent is used', () => {
    const result = run(`[{"role":"assistant","name":"billing-bot","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"a","content":"x"},
      {"role":"assistant","tool_calls":[{"id":"b","type":"function","function":{"name":"g","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"b","content":"y"}]`);
    expect(calls(result.events).map((call) => call.agent)).toEqual(['billing-bot', 'agent']);
  });

  test('a custom tool call keeps its free-text `input` raw, with no arguments and no diagnostic', () => {
    const result = run('[{"role":"assistant","tool_calls":[{"id":"c1","type":"custom","custom":{"name":"shell","input":"rm -rf /tmp/x"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]');
    expect(calls(result.events)).toMatchObject([{ tool: 'shell', args: {}, argsRaw: 'rm -rf /tmp/x', callId: 'c1', result: 'ok' }]);
    expect(result.diagnostics).toEqual([]);
  });

  test('arguments written as an object (some producers parse them) are taken as they are', () => {
    const result = run('[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":{"x":1}}}]},{"role":"tool","tool_call_id":"a","content":"r"}]');
    expect(calls(result.events)[0]!.args).toEqual({ x: 1 });
    expect(result.diagnostics).toEqual([]);
  });

  test('legacy `function_call` and `function` messages pair by name, earliest unanswered call first', () => {
    const result = run(`[{"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\\"q\\":1}"}},
      {"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\\"q\\":2}"}},
      {"role":"function","name":"lookup","content":"first"},
      {"role":"function","name":"lookup","content":"second"}]`);
    expect(calls(result.events).map((call) => [call.args, call.result, call.callId, call.unpaired])).toEqual([
      [{ q: 1 }, 'first', undefined, undefined],
      [{ q: 2 }, 'second', undefined, undefined],
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  test('a legacy call without a `function` result is flagged unpaired; a `function` result without a call is an orphan', () => {
    const result = run(`[{"role":"function","name":"other","content":"late"},
      {"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{}"}}]`);
    expect(where(result)).toEqual(['GH4111 1 $[0]', 'GH4110 2 $[1].function_call']);
    expect(calls(result.events)[0]!.unpaired).toBe(true);
    expect(result.stats.unpaired).toBe(1);
  });

  test('a refusal with no content is the agent message', () => {
    const result = run('[{"role":"assistant","content":null,"refusal":"I cannot help with that."}]');
    expect(result.events).toMatchObject([{ kind: 'agent_message', text: 'I cannot help with that.' }]);
  });

  test('empty assistant text gives no agent message; developer messages are skipped like system ones', () => {
    const result = run('[{"role":"developer","content":"rules"},{"role":"assistant","content":"  "}]');
    expect(result.events).toEqual([]);
    expect(result.diagnostics).toEqual([]);
  });

  test('every choice of a response is read, at `created`', () => {
    const result = run('{"object":"chat.completion","created":1700000000.5,"choices":[{"message":{"role":"assistant","content":"one"}},{"message":{"role":"assistant","content":"two"}}]}');
    expect(result.events.map((event) => [event.kind === 'agent_message' ? event.text : '', event.time])).toEqual([
      ['one', 1700000000500],
      ['two', 1700000000500],
    ]);
  });
});

describe('JSON Lines', () => {
  const lines = [
    '{"model":"m","messages":[{"role":"user","content":"first"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"a","content":"r1"}]}',
    '[{"role":"user","content":"second"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"a","content":"r2"}]',
    '{"object":"chat.completion","created":1700000000,"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"b","type":"function","function":{"name":"g","arguments":"{}"}}]}}]}',
  ].join('\n');

  test('each line is its own conversation: the first in the file session, the others `<file>:<line>`', () => {
    const result = run(lines, { file: 'log.jsonl' });
    expect(result.format).toBe('openai-chat');
    expect(result.diagnostics).toEqual([]);
    expect(result.sessions.map((session) => [session.id, session.toolCalls])).toEqual([
      ['log.jsonl', 1],
      ['log.jsonl:2', 1],
      ['log.jsonl:3', 1],
    ]);
    // The same call id in two conversations pairs within each.
    expect(calls(result.events).map((call) => call.result)).toEqual(['r1', 'r2', undefined]);
    expect(calls(result.events)[2]!.source).toEqual({ file: 'log.jsonl', line: 3, path: '$.choices[0].message.tool_calls[0]' });
  });

  test('the `session` option puts every line in one session', () => {
    const result = run(lines, { file: 'log.jsonl', session: 'one' });
    expect(result.sessions.map((session) => session.id)).toEqual(['one']);
  });
});

describe('bad input', () => {
  test('arguments that are not valid JSON are kept raw (GH4112) and the call still pairs', () => {
    const result = run(`[
  {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "f", "arguments": "{\\"path\\": \\"/etc"}}]},
  {"role": "tool", "tool_call_id": "a", "content": "nope"}
]`);
    expect(where(result)).toEqual(['GH4112 2 $[0].tool_calls[0].function.arguments']);
    expect(calls(result.events)).toMatchObject([{ tool: 'f', args: {}, argsRaw: '{"path": "/etc', result: 'nope' }]);
  });

  test('arguments that are JSON but not an object are kept raw (GH4112)', () => {
    const result = run('[{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"[1,2]"}}]},{"role":"tool","tool_call_id":"a","content":"x"}]');
    expect(where(result)).toEqual(['GH4112 1 $[0].tool_calls[0].function.arguments']);
    expect(calls(result.events)[0]!.argsRaw).toBe('[1,2]');
  });

  test('a call whose `tool` message never comes is kept and flagged unpaired (GH4110)', () => {
    const result = run(`{"messages": [
  {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}
]}`);
    expect(where(result)).toEqual(['GH4110 2 $.messages[0].tool_calls[0]']);
    expect(calls(result.events)[0]!.unpaired).toBe(true);
  });

  test('a `tool` message for an id no call has is skipped as an orphan (GH4111)', () => {
    const result = run(`{"messages": [
  {"role": "user", "content": "hi"},
  {"role": "tool", "tool_call_id": "ghost", "content": "x"}
]}`);
    expect(where(result)).toEqual(['GH4111 3 $.messages[1]']);
    expect(result.stats.skippedByCode).toEqual({ GH4111: 1 });
  });

  test('a call id used twice is reported (GH4109) and the result pairs with the later call', () => {
    const result = run(`[
  {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "first", "arguments": "{}"}},
                                       {"id": "a", "type": "function", "function": {"name": "second", "arguments": "{}"}}]},
  {"role": "tool", "tool_call_id": "a", "content": "r"}
]`);
    expect(where(result)).toEqual(['GH4110 2 $[0].tool_calls[0]', 'GH4109 3 $[0].tool_calls[1]']);
    expect(calls(result.events).map((call) => [call.tool, call.result, call.unpaired])).toEqual([
      ['first', undefined, true],
      ['second', 'r', undefined],
    ]);
  });

  test('wrong types: `messages` not an array, a message not an object, `tool_calls` not an array, a bad role', () => {
    // Named explicitly: such a body does not look like chat, which the driver notes (GH4117).
    expect(where(run('{"model": "m",\n "messages": {"role": "user"}}', { format: 'openai-chat' }))).toEqual(['GH4117 1 -', 'GH4107 2 $.messages']);
    const result = run(`[
  42,
  {"role": "assistant", "tool_calls": "f()"},
  {"role": 7, "content": "x"},
  {"role": "narrator", "content": "x"},
  {"role": "user", "content": 5}
]`, { format: 'openai-chat' });
    expect(where(result)).toEqual(['GH4117 1 -', 'GH4107 2 $[0]', 'GH4107 3 $[1].tool_calls', 'GH4107 4 $[2].role', 'GH4107 5 $[3].role', 'GH4107 6 $[4].content']);
  });

  test('missing fields: no role, no tool name, no `function`, no call id, no `tool_call_id`', () => {
    const result = run(`[
  {"content": "who am I"},
  {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"arguments": "{}"}},
    {"id": "b", "type": "function"},
    {"type": "function", "function": {"name": "no_id", "arguments": "{}"}}]},
  {"role": "tool", "content": "x"}
]`, { format: 'openai-chat' });
    expect(where(result)).toEqual(['GH4117 1 -', 'GH4108 2 $[0]', 'GH4108 3 $[1].tool_calls[0].function.name', 'GH4108 4 $[1].tool_calls[1].function', 'GH4108 5 $[1].tool_calls[2].id', 'GH4108 6 $[2].tool_call_id']);
    // The call without an id is kept; it cannot await a result, so it is not flagged.
    expect(calls(result.events).map((call) => call.tool)).toEqual(['no_id']);
    expect(calls(result.events)[0]).not.toHaveProperty('callId');
    expect(calls(result.events)[0]!.unpaired).toBeUndefined();
  });

  test('a response without `choices`, and a value that is no chat shape, are skipped with a diagnostic', () => {
    expect(where(run('{"object": "chat.completion", "created": 1}'))).toEqual(['GH4108 1 $.choices']);
    expect(where(run('{"object":"chat.completion","created":"yesterday","choices":[]}'))).toEqual(['GH4116 1 $.created']);
    expect(where(run('{"hello": "world"}', { format: 'openai-chat' }))).toEqual(['GH4117 1 -', 'GH4107 1 $']);
  });

  test('`__proto__` keys in arguments and tool definitions stay plain data (GH4113) and touch no prototype', () => {
    const result = run(`{"tools": [{"type": "function", "function": {"name": "f", "parameters": {"__proto__": {"polluted": true}}}}],
 "messages": [
  {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "f", "arguments": "{\\"__proto__\\": {\\"polluted\\": true}}"}}]},
  {"role": "tool", "tool_call_id": "a", "content": "x"}
]}`);
    expect(where(result)).toEqual(['GH4113 1 $.tools[0].function.parameters.__proto__', 'GH4113 3 $.messages[0].tool_calls[0].function.arguments']);
    const args = calls(result.events)[0]!.args;
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(Object.hasOwn(args, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a bad line of JSON Lines is skipped and the others are read', () => {
    const result = run('[{"role":"user","content":"a"}]\n{not json\n[{"role":"user","content":"b"}]', { file: 'x.jsonl' });
    expect(where(result)).toEqual(['GH4101 2 -']);
    expect(result.events.map((event) => (event.kind === 'user_message' ? event.text : ''))).toEqual(['a', 'b']);
  });
});

/** A JSON text as a spanned tree, for calling detectors directly. */
function parse(text: string): JsonNode {
  const parsed = parseJsonTree(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}
