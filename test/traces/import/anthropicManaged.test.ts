// Claude Managed Agents session recordings → events: the three recorded streams of the shared
// fixtures (MCP call approved, MCP call denied then a built-in fallback, a custom tool), echoes,
// client-only recordings and bad input.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { IMPORTERS, type ImportResult } from '../../../src/traces/import';
import { importTextWith } from '../../../src/traces/import/driver';
import { anthropicManagedImporter } from '../../../src/traces/import/formats/anthropicManaged';
import { toolCalls as calls } from '../support';

const FIXTURES = resolve(process.cwd(), '../shared/datasets/trace-fixtures/anthropic');

const readFixture = (name: string) => importTextWith(readFileSync(resolve(FIXTURES, name), 'utf8'), { file: name }, IMPORTERS);
const importLines = (lines: readonly unknown[], file = 'session.jsonl') => importTextWith(lines.map((line) => JSON.stringify(line)).join('\n'), { file }, IMPORTERS);
const codes = (result: ImportResult) => result.diagnostics.map((d) => `${d.code} ${d.line ?? '-'} ${d.path ?? '-'}`);
const kinds = (result: ImportResult) => result.events.map((event) => event.kind);

describe('the recorded session streams', () => {
  test('mcp_tools: one MCP call web_search_exa on server exa, approved by the user, no errors', () => {
    const result = readFixture('langsmith-sdk.anthropic_managed_mcp_tools.jsonl');
    expect(result.format).toBe('anthropic-managed');
    expect(result.diagnostics).toEqual([]);
    // The user message is sent (line 2) and echoed by the stream (line 5): it is read once, from the echo.
    expect(kinds(result)).toEqual(['user_message', 'tool_call', 'agent_message']);
    expect(result.events[0]).toMatchObject({ text: 'How many stars does langchain-ai/langsmith-sdk have? Use MCP and Exa', time: Date.parse('2026-07-06T16:52:53.862Z'), source: { line: 5, path: '$[1]' } });
    const [call] = calls(result.events);
    expect(call).toMatchObject({
      tool: 'web_search_exa',
      server: 'exa',
      callId: 'sevt_01FH8SyMCJy9ABg2tCLTPTmB',
      args: { numResults: 5, query: 'langchain-ai/langsmith-sdk GitHub repository stars' },
      outcome: 'allowed',
      agent: 'Exa assistant',
      session: 'sesn_01FYL2vWeckHzjuCjjpAudtE',
      time: Date.parse('2026-07-06T16:52:58.959Z'),
      source: { line: 8 },
    });
    expect(call!.error).toBeUndefined();
    expect(call!.result).toEqual(expect.stringContaining('- Stars: 917'));
    expect((result.events[2] as { text: string }).text).toMatch(/^The \*\*langchain-ai\/langsmith-sdk\*\* repository has approximately \*\*936 stars\*\*/);
    expect(result.sessions).toEqual([{ id: 'sesn_01FYL2vWeckHzjuCjjpAudtE', events: 3, toolCalls: 1, errors: 0, unpaired: 0, clock: 'recorded' }]);
  });

  test('mcp_tools_reject: web_search_exa denied with an error, then the built-in web_fetch allowed with a 25 KB document', () => {
    const result = readFixture('langsmith-sdk.anthropic_managed_mcp_tools_reject.jsonl');
    expect(result.diagnostics).toEqual([]);
    expect(kinds(result)).toEqual(['user_message', 'agent_message', 'tool_call', 'agent_message', 'tool_call', 'agent_message']);
    const [search, fetch] = calls(result.events);
    expect(search).toMatchObject({
      tool: 'web_search_exa',
      server: 'exa',
      callId: 'sevt_01XVQ9cZq6NMEGhXhXUW677S',
      outcome: 'denied',
      error: 'Permission to use mcp__exa__web_search_exa has been rejected. Rejection message: This tool is not allowed in this demo.',
    });
    expect(search!.result).toBeUndefined();
    expect(fetch).toMatchObject({ tool: 'web_fetch', callId: 'sevt_019amAkdmetsn2j5brbznqFm', args: { url: 'https://github.com/langchain-ai/langsmith-sdk' }, outcome: 'allowed', source: { line: 20 } });
    expect(fetch!.server).toBeUndefined();
    expect(fetch!.error).toBeUndefined();
    expect(typeof fetch!.result).toBe('string');
    expect((fetch!.result as string).startsWith('---\nmeta-analytics-location:')).toBe(true);
    expect((fetch!.result as string).length).toBe(25170);
    expect(result.stats).toMatchObject({ toolCalls: 2, errors: 1, unpaired: 0 });
    expect(result.sessions.map((session) => session.id)).toEqual(['sesn_01KW5vhbxfVqMHgLH2dWKbJG']);
  });

  test('custom_tools: one custom get_weather call answered by the client, read once although sent and echoed', () => {
    const result = readFixture('langsmith-sdk.anthropic_managed_custom_tools.jsonl');
    expect(result.diagnostics).toEqual([]);
    expect(kinds(result)).toEqual(['user_message', 'tool_call', 'agent_message']);
    expect(calls(result.events)).toMatchObject([{ tool: 'get_weather', args: { location: 'Prague' }, callId: 'sevt_018iPB2RYrthWNKugV6ehDxH', result: "It's 23°C and sunny in Prague.", agent: 'Coding Assistant', session: 'sesn_014fc5Q6rWwrXD3vWBfPRUes' }]);
    const [call] = calls(result.events);
    expect(call!.server).toBeUndefined();
    expect(call!.outcome).toBeUndefined();
    expect(result.tools).toMatchObject([{ name: 'get_weather', type: 'custom', input_schema: { required: ['location'] } }]);
  });
});

const SESSION = ['client.beta.sessions.create', { type: 'session', id: 'sesn_1', agent: { name: 'helper', tools: [] } }];
const stream = (event: Record<string, unknown>) => ['client.beta.sessions.events.stream', event];
const send = (...events: unknown[]) => ['client.beta.sessions.events.send', ['sesn_1', { events }]];
const at = (second: number) => `2026-07-06T10:00:${String(second).padStart(2, '0')}.000Z`;

describe('echoes, confirmations and recordings of the client side only', () => {
  test('sent events that the stream never echoes are read once, in order, before the agent acts', () => {
    const result = importLines([
      SESSION,
      send({ type: 'user.message', content: [{ type: 'text', text: 'weather?' }] }),
      stream({ type: 'agent.custom_tool_use', id: 'sevt_1', name: 'get_weather', input: { city: 'Oslo' }, processed_at: at(5) }),
      send({ type: 'user.custom_tool_result', custom_tool_use_id: 'sevt_1', content: [{ type: 'text', text: 'rain' }] }),
    ]);
    expect(result.diagnostics).toEqual([]);
    expect(result.events).toMatchObject([
      { kind: 'user_message', text: 'weather?', source: { line: 2, path: '$[1][1].events[0]' } },
      { kind: 'tool_call', tool: 'get_weather', result: 'rain', time: Date.parse(at(5)) },
    ]);
    expect(result.sessions[0]!.clock).toBe('partial');
  });

  test('a late echo of a sent event already read is dropped', () => {
    const result = importLines([
      SESSION,
      send({ type: 'user.message', content: [{ type: 'text', text: 'go' }] }),
      stream({ type: 'agent.message', id: 'sevt_1', content: [{ type: 'text', text: 'ok' }], processed_at: at(2) }),
      stream({ type: 'user.message', id: 'sevt_2', content: [{ type: 'text', text: 'go' }], processed_at: at(1) }),
    ]);
    expect(kinds(result)).toEqual(['user_message', 'agent_message']);
  });

  test('a denied call that gets no result takes the deny message as its error and is not unpaired', () => {
    const result = importLines([
      SESSION,
      stream({ type: 'agent.tool_use', id: 'sevt_1', name: 'bash', input: { command: 'rm -rf /' }, evaluated_permission: 'ask', processed_at: at(1) }),
      stream({ type: 'user.tool_confirmation', id: 'sevt_2', tool_use_id: 'sevt_1', result: 'deny', deny_message: 'no way', processed_at: at(2) }),
    ]);
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([{ tool: 'bash', outcome: 'denied', error: 'no way', agent: 'helper', session: 'sesn_1' }]);
    expect(calls(result.events)[0]!.unpaired).toBeUndefined();
  });

  test('bare event lines without the SDK wrapper are read the same way', () => {
    const result = importLines([
      { type: 'agent.mcp_tool_use', id: 'sevt_1', name: 'search', mcp_server_name: 'docs', input: { q: 'x' }, evaluated_permission: 'allow', processed_at: at(1) },
      { type: 'agent.mcp_tool_result', id: 'sevt_2', mcp_tool_use_id: 'sevt_1', is_error: false, content: [{ type: 'text', text: 'found' }], processed_at: at(2) },
    ]);
    expect(result.format).toBe('anthropic-managed');
    expect(calls(result.events)).toMatchObject([{ tool: 'search', server: 'docs', outcome: 'allowed', result: 'found', session: 'session.jsonl' }]);
  });
});

describe('bad input: a diagnostic with its code, line and path; the good parts kept', () => {
  test('wrong shapes, unknown methods (noted once), missing fields, orphans, bad times and arguments', () => {
    const result = importLines([
      SESSION,
      42,
      ['client.beta.agents.create', {}],
      ['client.beta.agents.create', {}],
      stream({ id: 'sevt_0', processed_at: at(0) }),
      stream({ type: 'agent.tool_use', id: 'sevt_1', input: {}, processed_at: at(1) }),
      stream({ type: 'agent.tool_result', id: 'sevt_2', content: [] }),
      stream({ type: 'agent.tool_result', id: 'sevt_3', tool_use_id: 'ghost', content: [] }),
      stream({ type: 'user.tool_confirmation', id: 'sevt_4', tool_use_id: 'ghost', result: 'allow' }),
      stream({ type: 'agent.tool_use', id: 'sevt_5', name: 'edit', input: '{"path": ', processed_at: 'yesterday' }),
      stream({ type: 'agent.tool_use', id: 'sevt_5', name: 'edit_again', input: { __proto__: null, ok: true } }),
      send('not an event'),
    ]);
    expect(result.format).toBe('anthropic-managed');
    expect(codes(result)).toEqual([
      'GH4107 2 $',
      'GH4114 3 $[0]',
      'GH4108 5 $[1].type',
      'GH4108 6 $[1].name',
      'GH4108 7 $[1].tool_use_id',
      'GH4111 8 $[1]',
      'GH4111 9 $[1]',
      'GH4116 10 $[1].processed_at',
      'GH4112 10 $[1].input',
      'GH4110 10 $[1]',
      'GH4109 11 $[1]',
      'GH4110 11 $[1]',
      'GH4107 12 $[1][1].events[0]',
    ]);
    expect(calls(result.events)).toMatchObject([
      { tool: 'edit', args: {}, argsRaw: '{"path": ', unpaired: true },
      { tool: 'edit_again', args: { ok: true }, unpaired: true },
    ]);
  });

  test('a `__proto__` key in an input is kept as plain data (GH4113) and touches no prototype', () => {
    const text = `${JSON.stringify(SESSION)}\n["client.beta.sessions.events.stream",{"type":"agent.custom_tool_use","id":"sevt_1","name":"set","input":{"__proto__":{"polluted":true}}}]`;
    const result = importTextWith(text, { file: 'p.jsonl' }, IMPORTERS);
    expect(codes(result)).toContain('GH4113 2 $[1].input.__proto__');
    const [call] = calls(result.events);
    expect(Object.prototype.hasOwnProperty.call(call!.args, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('detection', () => {
  test('the wrapper, a session object and a bare event are claimed; other arrays and objects are not', () => {
    const detect = (value: unknown) => {
      const result = importTextWith(JSON.stringify(value), { file: 'x.json' }, [anthropicManagedImporter]);
      return result.detection?.confidence;
    };
    expect(detect(SESSION)).toBe(0.95);
    expect(detect({ type: 'session', id: 'sesn_9' })).toBe(0.9);
    expect(detect({ type: 'agent.message', id: 'sevt_9', content: [] })).toBe(0.85);
    expect(detect(['tools/call', {}])).toBeUndefined();
    expect(detect({ type: 'message', role: 'assistant', content: [] })).toBeUndefined();
    expect(detect({ type: 'user', message: { role: 'user', content: 'x' }, sessionId: 's' })).toBeUndefined();
  });
});
