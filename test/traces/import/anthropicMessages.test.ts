// Anthropic Messages API bodies → events: the recorded request/response fixtures, the spec's
// example, request/response logs that repeat the history, and bad input.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { IMPORTERS, type ImportResult } from '../../../src/traces/import';
import { importTextWith } from '../../../src/traces/import/driver';
import { anthropicManagedImporter } from '../../../src/traces/import/formats/anthropicManaged';
import { anthropicMessagesImporter } from '../../../src/traces/import/formats/anthropicMessages';
import { claudeCodeImporter } from '../../../src/traces/import/formats/claudeCode';
import { parseJsonTree } from '../../../src/language/catalog/jsonTree';
import { toolCalls as calls } from '../support';

const ANTHROPIC_IMPORTERS = [anthropicMessagesImporter, anthropicManagedImporter, claudeCodeImporter];
const FIXTURES = resolve(process.cwd(), '../shared/datasets/trace-fixtures');

const fixture = (name: string) => readFileSync(resolve(FIXTURES, 'anthropic', name), 'utf8');
const importAs = (text: string, file = 'trace.json') => importTextWith(text, { file }, IMPORTERS);
const codes = (result: ImportResult) => result.diagnostics.map((d) => `${d.code} ${d.line ?? '-'} ${d.path ?? '-'}`);

describe('the recorded Messages API fixtures', () => {
  test('tool_use_in_input request: the question, the assistant text, and get_weather paired with its JSON-string result', () => {
    const result = importAs(fixture('openinference.tool_use_in_input.request.json'), 'req.json');
    expect(result.format).toBe('anthropic');
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => event.kind)).toEqual(['user_message', 'agent_message', 'tool_call']);
    expect(result.events[0]).toMatchObject({ text: 'What is the weather like in San Francisco in Fahrenheit?', session: 'req.json', source: { path: '$.messages[0]' } });
    expect(result.events[1]).toMatchObject({ source: { path: '$.messages[1]' } });
    expect((result.events[1] as { text: string }).text).toMatch(/^Certainly! I can help you get the current weather/);
    const [call] = calls(result.events);
    expect(call).toMatchObject({
      tool: 'get_weather',
      callId: 'toolu_01KBqpqR73qWGsMaW3vBzEjz',
      args: { location: 'San Francisco, CA', unit: 'fahrenheit' },
      result: '{"weather": "sunny", "temperature": "75"}',
      agent: 'agent',
      source: { file: 'req.json', line: 1, path: '$.messages[1].content[1]' },
    });
    expect(call!.error).toBeUndefined();
    expect(call!.unpaired).toBeUndefined();
    expect(result.tools.map((tool) => (tool as { name: string }).name)).toEqual(['get_weather']);
    expect(result.sessions).toEqual([{ id: 'req.json', events: 3, toolCalls: 1, errors: 0, unpaired: 0, clock: 'synthetic' }]);
  });

  test('tool_use_in_input response: only the final answer, as an agent message with its non-ASCII text', () => {
    const result = importAs(fixture('openinference.tool_use_in_input.response.json'));
    expect(result.format).toBe('anthropic');
    expect(result.diagnostics).toEqual([]);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ kind: 'agent_message', source: { path: '$' } });
    expect((result.events[0] as { text: string }).text).toContain('**75°F**');
    expect((result.events[0] as { text: string }).text).toContain('☀️');
  });

  test('multiple_tool_calling request: one user question and the two tool definitions, no calls', () => {
    const result = importAs(fixture('openinference.multiple_tool_calling.request.json'));
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => event.kind)).toEqual(['user_message']);
    expect(result.tools.map((tool) => (tool as { name: string }).name)).toEqual(['get_weather', 'get_time']);
  });

  test('multiple_tool_calling response: two parallel calls with object inputs, flagged unpaired since their results are not in the file', () => {
    const result = importAs(fixture('openinference.multiple_tool_calling.response.json'));
    expect(result.events.map((event) => event.kind)).toEqual(['agent_message', 'tool_call', 'tool_call']);
    expect(calls(result.events)).toMatchObject([
      { tool: 'get_weather', callId: 'toolu_01VLL6XYAAGrtc7CDpmpKZMB', args: { location: 'New York, NY' }, unpaired: true },
      { tool: 'get_time', callId: 'toolu_01FZuC4jLWM67hKreLMKCLRe', args: { timezone: 'America/New_York' }, unpaired: true },
    ]);
    expect(codes(result)).toEqual(['GH4110 1 $.content[1]', 'GH4110 1 $.content[2]']);
  });

  test('a log of the request then its response is one conversation: the answer follows the call', () => {
    const text = [fixture('openinference.tool_use_in_input.request.json').trim(), fixture('openinference.tool_use_in_input.response.json').trim()].join('\n');
    const result = importAs(text, 'log.jsonl');
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => event.kind)).toEqual(['user_message', 'agent_message', 'tool_call', 'agent_message']);
    expect(result.sessions.map((session) => session.id)).toEqual(['log.jsonl']);
    expect(result.events[3]!.source).toMatchObject({ line: 2, path: '$' });
  });

  test('a follow-up request repeating the history adds only its new turn: the two calls get their results, nothing is duplicated', () => {
    const request = JSON.parse(fixture('openinference.multiple_tool_calling.request.json'));
    const response = JSON.parse(fixture('openinference.multiple_tool_calling.response.json'));
    const followUp = {
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: response.content.map(({ caller: _caller, ...block }: Record<string, unknown>) => block) },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01VLL6XYAAGrtc7CDpmpKZMB', content: 'Sunny, 24°C' },
            { type: 'tool_result', tool_use_id: 'toolu_01FZuC4jLWM67hKreLMKCLRe', content: [{ type: 'text', text: '14:05 EDT' }] },
          ],
        },
      ],
    };
    const result = importAs([request, response, followUp].map((value) => JSON.stringify(value)).join('\n'), 'log.jsonl');
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => event.kind)).toEqual(['user_message', 'agent_message', 'tool_call', 'tool_call']);
    expect(calls(result.events)).toMatchObject([
      { tool: 'get_weather', result: 'Sunny, 24°C', source: { line: 2 } },
      { tool: 'get_time', result: '14:05 EDT', source: { line: 2 } },
    ]);
    expect(result.tools).toHaveLength(2); // the definitions repeated by the second request are not added twice
  });
});

describe('the example of TRACE-FORMATS.md §3', () => {
  const EXAMPLE = `{
  "model": "claude-sonnet-4-5",
  "max_tokens": 1024,
  "tools": [{"name": "issue_refund", "description": "Refund a customer order", "input_schema": {"type": "object", "properties": {"order_id": {"type": "string"}, "amount": {"type": "number"}}, "required": ["order_id", "amount"]}}],
  "messages": [
    {"role": "user", "content": "Order A-1042 arrived broken, please refund it."},
    {"role": "assistant", "content": [
      {"type": "text", "text": "I'll issue the refund now."},
      {"type": "tool_use", "id": "toolu_01D7FLrfh4GYq7yT1ULFeyMV", "name": "issue_refund", "input": {"order_id": "A-1042", "amount": 49.0}}
    ]},
    {"role": "user", "content": [
      {"type": "tool_result", "tool_use_id": "toolu_01D7FLrfh4GYq7yT1ULFeyMV", "is_error": true,
       "content": [{"type": "text", "text": "Refund limit exceeded for this account"}]}
    ]}
  ]
}`;

  test('the request, the agent text, and issue_refund failing with the result text as its error', () => {
    const result = importAs(EXAMPLE, 'refund.json');
    expect(result.format).toBe('anthropic');
    expect(result.diagnostics).toEqual([]);
    expect(result.events).toMatchObject([
      { kind: 'user_message', text: 'Order A-1042 arrived broken, please refund it.', source: { line: 6, path: '$.messages[0]' } },
      { kind: 'agent_message', text: "I'll issue the refund now." },
      { kind: 'tool_call', tool: 'issue_refund', args: { order_id: 'A-1042', amount: 49 }, error: 'Refund limit exceeded for this account', source: { line: 9, path: '$.messages[1].content[1]' } },
    ]);
    expect(calls(result.events)[0]!.result).toBeUndefined();
    expect(result.stats).toMatchObject({ toolCalls: 1, errors: 1, unpaired: 0 });
    expect(result.tools).toHaveLength(1);
  });
});

describe('server tools and the MCP connector', () => {
  test('a server tool and its result in the same assistant turn pair; a server tool error becomes the error', () => {
    const response = {
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'gatehouse' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://example.com', title: 'Example' }] },
        { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'again' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_2', content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' } },
      ],
    };
    const result = importAs(JSON.stringify(response));
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([
      { tool: 'web_search', args: { query: 'gatehouse' }, result: [{ type: 'web_search_result', url: 'https://example.com', title: 'Example' }] },
      { tool: 'web_search', error: 'web_search_tool_result_error: max_uses_exceeded' },
    ]);
  });

  test('mcp_tool_use names its server; mcp_tool_result with is_error fails the call', () => {
    const messages = [
      { role: 'user', content: 'List my repos' },
      { role: 'assistant', content: [{ type: 'mcp_tool_use', id: 'mcptoolu_1', name: 'list_repos', server_name: 'github', input: { owner: 'dana' } }, { type: 'mcp_tool_result', tool_use_id: 'mcptoolu_1', is_error: true, content: [{ type: 'text', text: 'bad credentials' }] }] },
    ];
    const result = importAs(JSON.stringify(messages));
    expect(result.format).toBe('anthropic');
    expect(calls(result.events)).toMatchObject([{ tool: 'list_repos', server: 'github', args: { owner: 'dana' }, error: 'bad credentials' }]);
  });

  test('a user turn holding only tool results gives no user message; text beside the results does', () => {
    const messages = [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'a', input: {} }, { type: 'tool_use', id: 't2', name: 'b', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'one' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't2' }, { type: 'text', text: 'now stop' }] },
    ];
    const result = importAs(JSON.stringify(messages));
    expect(result.events.map((event) => event.kind)).toEqual(['tool_call', 'tool_call', 'user_message']);
    expect(calls(result.events)).toMatchObject([{ result: 'one' }, { result: '' }]);
  });
});

describe('bad input: a diagnostic with its code, line and path; the good parts kept', () => {
  const lines = (...values: unknown[]) => values.map((value) => JSON.stringify(value)).join('\n');

  test('wrong types and missing fields', () => {
    const text = lines(
      { model: 'm', max_tokens: 1, system: 'be nice', messages: [{ role: 'user', content: 'hi' }, { role: 'user', content: 7 }] },
      { model: 'm', max_tokens: 1, messages: { role: 'user' } },
      { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'other' }, { content: 'who?' }, 'text'] },
      { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: [{ text: 'untyped' }, { type: 'tool_use', id: 'n1', input: {} }, { type: 'tool_result', content: 'r' }, { type: 'tool_use', name: 'noid', input: {} }] }] },
      42,
      { hello: 'world' },
    );
    const result = importAs(text, 'bad.jsonl');
    expect(result.format).toBe('anthropic');
    expect(codes(result)).toEqual([
      'GH4107 1 $.messages[1].content',
      'GH4107 2 $.messages',
      'GH4108 3 $.messages[1]',
      'GH4107 3 $.messages[2]',
      'GH4108 4 $.messages[1].content[0]',
      'GH4108 4 $.messages[1].content[1].name',
      'GH4108 4 $.messages[1].content[2].tool_use_id',
      'GH4108 4 $.messages[1].content[3].id',
      'GH4107 5 $',
      'GH4108 6 $',
    ]);
    // Lines 3 and 4 start new conversations (their first message differs), so new sessions.
    expect(result.events.map((event) => [event.session, event.kind === 'tool_call' ? event.tool : event.kind])).toEqual([
      ['bad.jsonl', 'user_message'],
      ['bad.jsonl:3', 'user_message'],
      ['bad.jsonl:4', 'user_message'],
      ['bad.jsonl:4', 'noid'],
    ]);
    expect(calls(result.events)[0]!.unpaired).toBeUndefined(); // without an id no result can pair, so none is awaited
  });

  test('invalid JSON arguments and non-object inputs are kept raw (GH4112)', () => {
    const response = {
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'a', name: 'partial', input: '{"path": "/tmp' },
        { type: 'tool_use', id: 'b', name: 'listy', input: [1, 2] },
        { type: 'tool_use', id: 'c', name: 'texty', input: '{"path": "/etc"}' },
      ],
    };
    const result = importAs(JSON.stringify(response));
    expect(codes(result).filter((code) => code.startsWith('GH4112'))).toEqual(['GH4112 1 $.content[0].input', 'GH4112 1 $.content[1].input']);
    expect(calls(result.events)).toMatchObject([
      { tool: 'partial', args: {}, argsRaw: '{"path": "/tmp' },
      { tool: 'listy', args: {}, argsRaw: '[1,2]' },
      { tool: 'texty', args: { path: '/etc' } },
    ]);
  });

  test('an orphan result (GH4111), a duplicate call id (GH4109), a non-boolean is_error (GH4107) and an unpaired call (GH4110)', () => {
    const messages = [
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'ghost', content: 'x' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'dup', name: 'first', input: {} }, { type: 'tool_use', id: 'dup', name: 'second', input: {} }, { type: 'tool_use', id: 'lonely', name: 'third', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'dup', is_error: 'yes', content: 'done' }] },
    ];
    const result = importTextWith(JSON.stringify(messages, null, 1), { file: 'pairs.json', format: 'anthropic' }, IMPORTERS);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual([ // sorted by line
      'GH4111 $[0].content[0]',
      'GH4110 $[1].content[0]',
      'GH4109 $[1].content[1]',
      'GH4110 $[1].content[2]',
      'GH4107 $[2].content[0].is_error',
    ]);
    expect(calls(result.events)).toMatchObject([{ tool: 'first', unpaired: true }, { tool: 'second', result: 'done' }, { tool: 'third', unpaired: true }]);
  });

  test('a `__proto__` key in an input is kept as plain data (GH4113) and touches no prototype', () => {
    const text = '{"type":"message","role":"assistant","content":[{"type":"tool_use","id":"p","name":"set","input":{"__proto__":{"polluted":true},"ok":1}}]}';
    const result = importAs(text);
    const [call] = calls(result.events);
    expect(codes(result)).toContain('GH4113 1 $.content[0].input.__proto__');
    expect(Object.prototype.hasOwnProperty.call(call!.args, '__proto__')).toBe(true);
    expect(call!.args.ok).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a request that starts a different conversation starts a new session named by its line', () => {
    const text = lines({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'first' }] }, { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'second' }] });
    const result = importAs(text, 'two.jsonl');
    expect(result.events.map((event) => [event.session, (event as { text: string }).text])).toEqual([
      ['two.jsonl', 'first'],
      ['two.jsonl:2', 'second'],
    ]);
  });
});

describe('detection', () => {
  const detect = (value: unknown) => anthropicMessagesImporter.detect(parsed(JSON.stringify(value)), 'document');

  test('OpenAI chat bodies (role tool, tool_calls), AgentDojo runs and LangSmith payloads are not claimed', () => {
    expect(detect({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', tool_calls: [] }] })).toBeUndefined();
    expect(detect({ model: 'gpt-4o', messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'hi' }] })).toBeUndefined();
    expect(detect({ messages: [{ role: 'tool', tool_call_id: 'c', content: 'x' }] })).toBeUndefined();
    expect(detect({ suite_name: 'banking', messages: [{ role: 'user', content: 'hi' }] })).toBeUndefined();
    expect(detect({ post: [{ run_type: 'llm', inputs: { messages: [{ role: 'user', content: 'hi' }] } }], patch: [] })).toBeUndefined();
    expect(detect([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }])).toBeUndefined();
  });

  test('markers give high confidence; a bare user/assistant body only a weak claim', () => {
    expect(detect({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] })?.confidence).toBe(0.5);
    expect(detect({ model: 'm', max_tokens: 1, system: 'x', messages: [{ role: 'user', content: 'hi' }] })?.confidence).toBeGreaterThanOrEqual(0.8);
    expect(detect({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x' }] }] })?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(detect({ type: 'message', role: 'assistant', content: [] })?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  test('every fixture of the other formats is left alone by the three Anthropic importers, and each Anthropic fixture is detected as its own format', () => {
    const claimed: string[] = [];
    for (const folder of readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      for (const name of readdirSync(resolve(FIXTURES, folder.name))) {
        const text = readFileSync(resolve(FIXTURES, folder.name, name), 'utf8');
        const firstLine = parseJsonTree(text.split('\n')[0]!);
        const [sample, shape] = firstLine.ok ? [firstLine.value, 'lines' as const] : [parsed(text), 'document' as const];
        const claims = ANTHROPIC_IMPORTERS.filter((importer) => importer.detect(sample, shape) !== undefined).map((importer) => importer.format);
        const expected = folder.name !== 'anthropic' ? [] : name.includes('managed') ? ['anthropic-managed'] : ['anthropic'];
        if (JSON.stringify(claims) !== JSON.stringify(expected)) claimed.push(`${folder.name}/${name}: ${claims.join(', ')}`);
        if (folder.name === 'anthropic') expect(importAs(text, name).format).toBe(expected[0]);
      }
    }
    expect(claimed).toEqual([]);
  });

  test('an AgentDojo run of the shared dataset is not claimed', () => {
    const dataset = resolve(process.cwd(), '../shared/datasets/agentdojo');
    const index = readFileSync(resolve(dataset, 'INDEX.tsv'), 'utf8').split('\n');
    const path = index[1]!.split('\t')[index[0]!.split('\t').indexOf('path')]!;
    const sample = parsed(readFileSync(resolve(dataset, path), 'utf8'));
    expect(ANTHROPIC_IMPORTERS.map((importer) => importer.detect(sample, 'document'))).toEqual([undefined, undefined, undefined]);
  });
});

function parsed(text: string) {
  const tree = parseJsonTree(text);
  if (!tree.ok) throw new Error(tree.message);
  return tree.value;
}
