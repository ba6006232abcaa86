// MCP JSON-RPC traffic → tool calls: the recorder cassette and the spec's examples of the shared
// fixtures, the example of TRACE-FORMATS.md §4.5, log wrappers, and bad input.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importTextWith } from '../../../src/traces/import/driver';
import { mcpImporter } from '../../../src/traces/import/formats/mcp';
import { assertReaderNeverThrows } from './readerFuzz';
import { IMPORTERS, type ImportResult } from '../../../src/traces/import';
import { toolCalls as calls, where } from '../support';

const FIXTURES = resolve(process.cwd(), '../shared/datasets/trace-fixtures');

const fixture = (name: string) => readFileSync(resolve(FIXTURES, 'mcp', name), 'utf8');
const importMcp = (text: string, file = 'trace.json') => importTextWith(text, { file }, IMPORTERS);
/** Diagnostics as `code line path`, to assert where each one points. */
const codesOf = (result: ImportResult) => result.diagnostics.map((d) => d.code);
const lines = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join('\n');

describe('the mcp-recorder cassette', () => {
  const file = 'mcp-recorder.mock_session.json';
  const result = importMcp(fixture(file), file);
  const toolCalls = calls(result.events);

  test('is detected as MCP from its interactions', () => {
    expect(result.format).toBe('mcp');
    expect(result.detection?.reason).toContain('interactions');
  });

  test('has the 4 tools/call requests, in order, with their arguments and integer ids as text', () => {
    expect(toolCalls.map((call) => call.tool)).toEqual(['add', 'multiply', 'echo', 'get_weather']);
    expect(toolCalls.map((call) => call.args)).toEqual([{ a: 2, b: 3 }, { a: 3.5, b: 2 }, { message: 'hello mcp-recorder' }, { city: 'London' }]);
    expect(toolCalls.map((call) => call.callId)).toEqual(['2', '3', '4', '5']);
  });

  test('pairs every call with its structuredContent result, none of them an error', () => {
    expect(toolCalls.map((call) => call.result)).toEqual([{ result: 5 }, { result: 7 }, { result: 'hello mcp-recorder' }, { city: 'London', temp_c: 22, condition: 'sunny', humidity: 45 }]);
    expect(toolCalls.every((call) => call.error === undefined && call.unpaired === undefined)).toBe(true);
    expect(result.stats).toMatchObject({ toolCalls: 4, errors: 0, unpaired: 0, skipped: 0 });
  });

  test('takes the agent from initialize clientInfo and the server from the cassette metadata', () => {
    expect(new Set(toolCalls.map((call) => call.agent))).toEqual(new Set(['mcp']));
    expect(new Set(toolCalls.map((call) => call.server))).toEqual(new Set(['Test Calculator']));
  });

  test('is one session, the file, timed from recorded_at plus the latency of the interactions before', () => {
    expect(result.sessions.map((session) => [session.id, session.clock])).toEqual([[file, 'recorded']]);
    const recordedAt = Date.UTC(2026, 1, 17, 20, 25, 23, 855);
    // Latencies before each call: 7 + 1 + 22, then + 18, + 4, + 6.
    expect(toolCalls.map((call) => call.time - recordedAt)).toEqual([30, 48, 52, 58]);
  });

  test('keeps the 4 tools of tools/list and says nothing about initialize, the notification or the lifecycle entries', () => {
    expect(result.tools.map((tool) => (tool as { name: string }).name)).toEqual(['add', 'multiply', 'echo', 'get_weather']);
    expect(result.diagnostics).toEqual([]);
  });

  test('points each call at its request in the file', () => {
    expect(toolCalls[0]!.source).toEqual({ file, line: 237, path: '$.interactions[3].request' });
  });
});

describe('the spec examples of the 2026-07-28 revision', () => {
  const request = 'spec-2026-07-28.CallToolRequest.call-tool-request.json';
  const response = 'spec-2026-07-28.CallToolResultResponse.call-tool-result-response.json';

  test('a lone CallToolRequest is one call by the _meta clientInfo agent, flagged unpaired', () => {
    const result = importMcp(fixture(request), request);
    expect(result.format).toBe('mcp');
    const [call] = calls(result.events);
    expect(call).toMatchObject({ tool: 'get_weather', args: { location: 'New York' }, callId: 'call-tool-example', agent: 'ExampleClient', unpaired: true });
    expect(where(result)).toEqual(['GH4110 1 $']);
  });

  test('the request and its response in one array pair by the string id and keep the text result', () => {
    const text = `[${fixture(request)},${fixture(response)}]`;
    const result = importMcp(text);
    const [call] = calls(result.events);
    expect(call!.result).toBe('Current weather in New York:\nTemperature: 72°F\nConditions: Partly cloudy');
    expect(call!.error).toBeUndefined();
    expect(result.diagnostics).toEqual([]);
  });

  test.each([
    [response, 'a response with no request in the file'],
    ['spec-2026-07-28.CallToolResult.invalid-tool-input-error.json', 'a bare tool-level error'],
    ['spec-2026-07-28.CallToolResult.result-with-structured-content.json', 'a bare result'],
    ['spec-2026-07-28.CallToolResult.result-with-array-structured-content.json', 'a bare result with array structuredContent'],
    ['spec-2026-07-28.InvalidParamsError.unknown-tool.json', 'a bare JSON-RPC error object'],
  ])('%s (%s) has no call to pair with: no calls, one orphan result (GH4111)', (name) => {
    const result = importMcp(fixture(name), name);
    expect(result.format).toBe('mcp');
    expect(calls(result.events)).toEqual([]);
    expect(where(result)).toEqual(['GH4111 1 $']);
  });

  test('a tools/list request alone imports nothing and says nothing', () => {
    const name = 'spec-2026-07-28.ListToolsRequest.list-tools-request.json';
    const result = importMcp(fixture(name), name);
    expect([result.format, result.events, result.tools, result.diagnostics]).toEqual(['mcp', [], [], []]);
  });

  test.each([
    ['spec-2026-07-28.ListToolsResultResponse.list-tools-result-response.json', 'get_weather'],
    ['spec-2026-07-28.Tool.with-output-schema-for-structured-content.json', 'get_weather_data'],
    ['spec-2026-07-28.Tool.with-no-parameters.json', 'get_current_time'],
  ])('%s gives the tool definition %s', (name, tool) => {
    const result = importMcp(fixture(name), name);
    expect(result.format).toBe('mcp');
    expect(result.tools.map((definition) => (definition as { name: string }).name)).toEqual([tool]);
    expect(result.events).toEqual([]);
    expect(result.diagnostics).toEqual([]);
  });
});

test('detection: every MCP fixture reads as mcp, and the detector claims no fixture of another format', () => {
  const claims: string[] = [];
  for (const folder of readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const name of readdirSync(resolve(FIXTURES, folder.name))) {
      const result = importTextWith(readFileSync(resolve(FIXTURES, folder.name, name), 'utf8'), { file: name }, IMPORTERS);
      if ((folder.name === 'mcp') !== (result.format === 'mcp')) claims.push(`${folder.name}/${name}: ${result.format}`);
    }
  }
  expect(claims).toEqual([]);
});

describe('the example of TRACE-FORMATS.md §4.5', () => {
  const example = `[
  {"jsonrpc": "2.0", "id": 1, "result": {
    "tools": [
      {"name": "get_file_contents", "title": "Get file or directory contents", "description": "Read a file from a repository",
       "inputSchema": {"type": "object", "properties": {"owner": {"type": "string"}, "repo": {"type": "string"}, "path": {"type": "string"}}, "required": ["owner", "repo", "path"]},
       "annotations": {"readOnlyHint": true}},
      {"name": "delete_file", "description": "Delete a file from a repository",
       "inputSchema": {"type": "object", "properties": {"owner": {"type": "string"}, "repo": {"type": "string"}, "path": {"type": "string"}, "branch": {"type": "string"}, "message": {"type": "string"}}, "required": ["owner", "repo", "path", "branch", "message"]},
       "annotations": {"title": "Delete file", "readOnlyHint": false, "destructiveHint": true, "idempotentHint": true, "openWorldHint": false}}
    ]}},
  {"jsonrpc": "2.0", "id": "req-7", "method": "tools/call", "params": {
    "name": "delete_file",
    "arguments": {"owner": "acme", "repo": "billing", "path": "config/prod.yaml", "branch": "main", "message": "cleanup"},
    "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {},
              "io.modelcontextprotocol/clientInfo": {"name": "billing-agent", "version": "1.4.2"},
              "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-b7c8d9e0f1a2b3c4-01"}}},
  {"jsonrpc": "2.0", "id": "req-7", "result": {"resultType": "complete", "isError": true,
    "content": [{"type": "text", "text": "Branch main is protected; direct deletes are not allowed."}]}},
  {"jsonrpc": "2.0", "id": "req-8", "method": "tools/call", "params": {"name": "drop_table", "arguments": {"table": "orders"},
    "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}},
  {"jsonrpc": "2.0", "id": "req-8", "error": {"code": -32602, "message": "Unknown tool: drop_table"}}
]`;
  const result = importMcp(example, 'example.json');
  const [deleteFile, dropTable] = calls(result.events);

  test('keeps the two tool definitions of the tools/list result, annotations included', () => {
    expect(result.tools).toHaveLength(2);
    expect(result.tools[1]).toMatchObject({ name: 'delete_file', annotations: { destructiveHint: true } });
  });

  test('a tool-level error (isError) becomes the call error, with the clientInfo agent', () => {
    expect(deleteFile).toMatchObject({
      tool: 'delete_file',
      agent: 'billing-agent',
      callId: 'req-7',
      args: { owner: 'acme', repo: 'billing', path: 'config/prod.yaml', branch: 'main', message: 'cleanup' },
      error: 'Branch main is protected; direct deletes are not allowed.',
    });
    expect(deleteFile!.result).toBeUndefined();
  });

  test('a protocol error becomes `code: message`, and a call without clientInfo gets the default agent', () => {
    expect(dropTable).toMatchObject({ tool: 'drop_table', agent: 'agent', args: { table: 'orders' }, error: '-32602: Unknown tool: drop_table' });
    expect(result.stats).toMatchObject({ toolCalls: 2, errors: 2, unpaired: 0 });
    expect(result.diagnostics).toEqual([]);
  });
});

describe('log wrappers and JSON Lines', () => {
  test('wrapper records give the time and the Mcp-Session-Id of each message; two sessions stay apart', () => {
    const text = lines(
      { timestamp: '2026-07-14T09:30:00Z', direction: 'outgoing', sessionId: 's-1', message: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { clientInfo: { name: 'desk-agent' } } } },
      { timestamp: '2026-07-14T09:30:01Z', direction: 'outgoing', sessionId: 's-1', message: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { q: 'refunds' } } } },
      { timestamp: '2026-07-14T09:30:02Z', direction: 'outgoing', headers: { 'mcp-session-id': 's-2' }, message: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { q: 'orders' } } } },
      { timestamp: 1784021403000, direction: 'incoming', sessionId: 's-1', message: { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'found 3' }] } } },
      { timestamp: '2026-07-14T09:30:04Z', direction: 'incoming', headers: { 'Mcp-Session-Id': 's-2' }, message: { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'found 9' }, { type: 'image', data: 'AAAA', mimeType: 'image/png' }] } } },
    );
    const result = importMcp(text, 'proxy.jsonl');
    expect(result.detection?.reason).toContain('wrapping');
    const [first, second] = calls(result.events);
    expect(first).toMatchObject({ session: 's-1', agent: 'desk-agent', args: { q: 'refunds' }, result: 'found 3', time: Date.UTC(2026, 6, 14, 9, 30, 1) });
    expect(second).toMatchObject({ session: 's-2', agent: 'agent', args: { q: 'orders' }, result: 'found 9', time: Date.UTC(2026, 6, 14, 9, 30, 2) });
    expect(result.sessions.map((session) => session.id)).toEqual(['s-1', 's-2']);
    expect(result.diagnostics).toEqual([]);
  });

  test('bare messages one per line pair by id, a number and its text alike', () => {
    const text = lines(
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'read_file', arguments: '{"path": "a.txt"}' } },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } },
      { jsonrpc: '2.0', id: 8, method: 'ping' },
      { jsonrpc: '2.0', id: 8, result: {} },
      { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'resource', resource: { uri: 'file:///a.txt', text: 'alpha' } }] } },
    );
    const result = importMcp(text, 'bare.jsonl');
    expect(calls(result.events)).toMatchObject([{ tool: 'read_file', args: { path: 'a.txt' }, callId: '7', result: 'alpha' }]);
    expect(result.diagnostics).toEqual([]);
  });

  test('a JSON-RPC batch on one line is read message by message', () => {
    const batch = [
      { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'x' } },
      { jsonrpc: '2.0', id: 'a', result: { content: [], structuredContent: [1, 2] } },
    ];
    const result = importMcp(`${JSON.stringify(batch)}\n`, 'batch.jsonl');
    expect(calls(result.events)).toMatchObject([{ tool: 'x', args: {}, result: [1, 2] }]);
  });
});

describe('bad input', () => {
  test('wrong types and missing fields skip the call, with the code, line and path', () => {
    const text = lines(
      { jsonrpc: '2.0', id: 1, method: 'tools/call' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: 'delete everything' },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 42 } },
      { jsonrpc: '2.0', id: 4, method: 17 },
      { jsonrpc: '2.0', id: 5 },
      42,
      { unrelated: true },
    );
    const result = importMcp(text, 'bad.jsonl');
    expect(result.format).toBe('mcp');
    expect(calls(result.events)).toEqual([]);
    expect(where(result)).toEqual(['GH4108 1 $', 'GH4107 2 $.params', 'GH4107 3 $.params.name', 'GH4107 4 $.method', 'GH4108 5 $', 'GH4107 6 $', 'GH4107 7 $']);
  });

  test('arguments that are invalid JSON text or not an object are kept raw (GH4112)', () => {
    const text = lines(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'run', arguments: '{"cmd": "ls",' } },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'run', arguments: ['ls', '-la'] } },
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'ok' }] } },
      { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'ok' }] } },
    );
    const result = importMcp(text, 'args.jsonl');
    expect(calls(result.events).map((call) => [call.args, call.argsRaw])).toEqual([
      [{}, '{"cmd": "ls",'],
      [{}, '["ls","-la"]'],
    ]);
    expect(where(result)).toEqual(['GH4112 1 $.params.arguments', 'GH4112 2 $.params.arguments']);
  });

  test('an unpaired call, an orphan result and a duplicate id are each reported', () => {
    const text = lines(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'first' } },
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'again' } },
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'done' }] } },
      { jsonrpc: '2.0', id: 99, error: { code: -32603, message: 'internal error' } },
    );
    const result = importMcp(text, 'pairs.jsonl');
    const [first, again] = calls(result.events);
    expect(first).toMatchObject({ tool: 'first', unpaired: true });
    expect(again).toMatchObject({ tool: 'again', result: 'done' });
    expect(where(result).sort()).toEqual(['GH4109 2 $', 'GH4110 1 $', 'GH4111 4 $'].sort());
  });

  test('`__proto__` in arguments stays plain data (GH4113) and touches no prototype', () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"__proto__":{"polluted":true},"a":1}}}';
    const result = importMcp(text, 'proto.json');
    const [call] = calls(result.events);
    expect(Object.getPrototypeOf(call!.args)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(call!.args, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(codesOf(result)).toContain('GH4113');
  });

  test('an unreadable wrapper timestamp is reported (GH4116) and the call gets a synthetic time', () => {
    const text = lines({ timestamp: '14/07/2026 09:30', message: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 't' } } });
    const result = importMcp(text, 'time.jsonl');
    expect(where(result)).toContain('GH4116 1 $.timestamp');
    expect(result.sessions[0]!.clock).toBe('synthetic');
  });

  test('other methods are noted once per method (GH4114); pings and notifications say nothing', () => {
    const text = lines(
      { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'file:///a' } },
      { jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'file:///b' } },
      { jsonrpc: '2.0', id: 3, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } },
    );
    const result = importMcp(text, 'other.jsonl');
    expect(where(result)).toEqual(['GH4114 1 $']);
  });

  test('an input_required result is interim: the call keeps waiting and is flagged unpaired', () => {
    const text = lines(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'book_flight', arguments: { to: 'LIS' } } },
      { jsonrpc: '2.0', id: 1, result: { resultType: 'input_required', inputRequests: {} } },
    );
    const result = importMcp(text, 'interim.jsonl');
    expect(calls(result.events)).toMatchObject([{ tool: 'book_flight', unpaired: true }]);
    expect(codesOf(result)).toEqual(['GH4110']);
  });

  test('a cassette interaction that is not an object is skipped with its path', () => {
    const text = JSON.stringify({ version: '1.0', metadata: {}, interactions: ['oops', { type: 'jsonrpc_request', request: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 't' } }, response: { jsonrpc: '2.0', id: 1, result: { content: [] } } }] });
    const result = importMcp(text, 'cassette.json');
    expect(where(result)).toEqual(['GH4107 1 $.interactions[0]']);
    expect(calls(result.events)).toMatchObject([{ tool: 't' }]);
    expect(result.sessions[0]!.clock).toBe('synthetic');
  });
});

test('the reader never throws, whatever JSON it is given', () => {
  assertReaderNeverThrows(mcpImporter, ['jsonrpc', 'id', 'method', 'params', 'result', 'error', 'name', 'arguments', 'content', 'isError', 'structuredContent', 'resultType', 'tools', 'inputSchema', 'interactions', 'metadata', 'recorded_at', 'latency_ms', 'request', 'response', 'message', 'timestamp', 'headers', '_meta', 'clientInfo', 'code', 'text', 'type']);
});
