// OpenTelemetry traces (OTLP/JSON and its variants) → events: the real fixtures, the example of
// TRACE-FORMATS.md §1.7, the file exporter's JSON Lines, the legacy conventions, and bad input.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseJsonTree } from '../../../src/language/catalog/jsonTree';
import type { ToolCallEvent } from '../../../src/traces/event';
import { importTextWith } from '../../../src/traces/import/driver';
import { IMPORTERS, type ImportResult, type TraceFormat } from '../../../src/traces/import';
import { otlpImporter } from '../../../src/traces/import/formats/otlp';
import { toolCalls as calls } from '../support';

const FIXTURES = resolve(process.cwd(), '../shared/datasets/trace-fixtures');

const importOtlp = (text: string, file = 'trace.json', format: TraceFormat | 'auto' = 'auto') => importTextWith(text, { file, format }, IMPORTERS);
const fixture = (path: string) => importOtlp(readFileSync(resolve(FIXTURES, path), 'utf8'), path);
/** Diagnostics as `code line path`. */
const codes = (result: ImportResult) => result.diagnostics.map((d) => `${d.code} ${d.line ?? '-'} ${d.path ?? '-'}`);

// Small OTLP builders for the hand-written cases.
type AnyValue = Record<string, unknown>;
const str = (stringValue: string): AnyValue => ({ stringValue });
const attrs = (values: Record<string, AnyValue>) => Object.entries(values).map(([key, value]) => ({ key, value }));
const tracesData = (spans: unknown[], resource: Record<string, AnyValue> = { 'service.name': str('svc') }) => ({
  resourceSpans: [{ resource: { attributes: attrs(resource) }, scopeSpans: [{ scope: { name: 'test' }, spans }] }],
});
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const toolSpan = (spanId: string, tool: string, start: string, extra: Record<string, AnyValue> = {}, more: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId,
  name: `execute_tool ${tool}`,
  kind: 1,
  startTimeUnixNano: start,
  attributes: attrs({ 'gen_ai.operation.name': str('execute_tool'), 'gen_ai.tool.name': str(tool), ...extra }),
  ...more,
});
const lines = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n';

describe('the real OTLP fixtures', () => {
  test('benchflow (protobuf JSON: base64 ids, enum names, spans out of order) has its 2 execute_tool calls', () => {
    const result = fixture('otlp/benchflow.producer_payload.otlp.json');
    expect(result.format).toBe('otlp');
    expect(result.diagnostics).toEqual([]);
    const [readFile, writeFile, ...rest] = calls(result.events);
    expect(rest).toEqual([]);
    // read_file: OK, kvlist arguments (intValue "200" is the number 200), a string result.
    expect(readFile).toMatchObject({ tool: 'read_file', callId: 'toolu_01A', args: { path: '/repo/README.md', limit: 200 }, result: '# benchflow\n' });
    expect(readFile!.error).toBeUndefined();
    expect(readFile!.time).toBe(1755500001950);
    // write_file: STATUS_CODE_ERROR with the status message; no arguments or result.
    expect(writeFile).toMatchObject({ tool: 'write_file', callId: 'toolu_01B', args: {}, error: 'read-only filesystem' });
    expect(writeFile!.result).toBeUndefined();
    expect(writeFile!.time).toBe(1755500002200);
    // The spans name no agent or conversation: both come from the invoke_agent root, reached
    // through base64 parent ids.
    for (const call of [readFile!, writeFile!]) expect(call).toMatchObject({ agent: 'solver', session: 'conv-7731' });
    expect(result.stats).toMatchObject({ toolCalls: 2, errors: 1, unpaired: 0, skipped: 0 });
  });

  test('benchflow: the chat span gives the user request, before the tool calls', () => {
    const { events } = fixture('otlp/benchflow.producer_payload.otlp.json');
    expect(events.map((event) => event.kind)).toEqual(['user_message', 'tool_call', 'tool_call']);
    expect(events[0]).toMatchObject({ text: 'list the files', session: 'conv-7731', time: 1755500000010 });
  });

  test('the opentelemetry-proto example (no gen_ai) is OTLP with no tool calls and no diagnostics', () => {
    const result = fixture('otlp/opentelemetry-proto.trace.json');
    expect(result.format).toBe('otlp');
    expect(result.events).toEqual([]);
    expect(result.diagnostics).toEqual([]);
  });
});

describe('detection', () => {
  const firstValue = (path: string) => {
    const text = readFileSync(resolve(FIXTURES, path), 'utf8');
    const parsed = parseJsonTree(path.endsWith('.jsonl') ? text.split('\n')[0]! : text);
    if (!parsed.ok) throw new Error(path);
    return { value: parsed.value, shape: path.endsWith('.jsonl') ? ('lines' as const) : ('document' as const) };
  };
  const all = readdirSync(FIXTURES).flatMap((dir) => (dir.endsWith('.md') ? [] : readdirSync(resolve(FIXTURES, dir)).map((file) => `${dir}/${file}`)));

  test('the OTLP detector claims both OTLP fixtures and no other fixture', () => {
    for (const path of all) {
      const { value, shape } = firstValue(path);
      const claim = otlpImporter.detect(value, shape);
      if (path.startsWith('otlp/')) expect(claim?.confidence, path).toBeGreaterThanOrEqual(0.9);
      else expect(claim, path).toBeUndefined();
    }
  });

  test('detection says which field it saw', () => {
    expect(fixture('otlp/opentelemetry-proto.trace.json').detection?.reason).toContain('resourceSpans');
  });
});

// TRACE-FORMATS.md §1.7, as written there.
const SPEC_EXAMPLE = `{
  "resourceSpans": [{
    "resource": {"attributes": [
      {"key": "service.name", "value": {"stringValue": "billing-agent"}},
      {"key": "deployment.environment.name", "value": {"stringValue": "staging"}}
    ]},
    "scopeSpans": [{
      "scope": {"name": "opentelemetry.instrumentation.openai_agents", "version": "0.3.0"},
      "spans": [
        {
          "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
          "spanId": "00f067aa0ba902b7",
          "name": "invoke_agent Billing Assistant",
          "kind": 1,
          "startTimeUnixNano": "1784021400000000000",
          "endTimeUnixNano": "1784021406000000000",
          "attributes": [
            {"key": "gen_ai.operation.name", "value": {"stringValue": "invoke_agent"}},
            {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
            {"key": "gen_ai.agent.name", "value": {"stringValue": "Billing Assistant"}},
            {"key": "gen_ai.conversation.id", "value": {"stringValue": "conv_7f3a91c2"}},
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4.1"}}
          ],
          "status": {}
        },
        {
          "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
          "spanId": "a1b2c3d4e5f60718",
          "parentSpanId": "00f067aa0ba902b7",
          "name": "execute_tool issue_refund",
          "kind": 1,
          "startTimeUnixNano": "1784021402950000000",
          "endTimeUnixNano": "1784021403410000000",
          "attributes": [
            {"key": "gen_ai.operation.name", "value": {"stringValue": "execute_tool"}},
            {"key": "gen_ai.tool.name", "value": {"stringValue": "issue_refund"}},
            {"key": "gen_ai.tool.call.id", "value": {"stringValue": "call_8ZpWc2hN3d"}},
            {"key": "gen_ai.tool.type", "value": {"stringValue": "function"}},
            {"key": "gen_ai.agent.name", "value": {"stringValue": "Billing Assistant"}},
            {"key": "gen_ai.tool.call.arguments", "value": {"stringValue": "{\\"order_id\\":\\"A-1042\\",\\"amount\\":49.0}"}},
            {"key": "gen_ai.tool.call.result", "value": {"stringValue": "{\\"refund_id\\":\\"rf_881\\",\\"status\\":\\"queued\\"}"}}
          ],
          "status": {}
        },
        {
          "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
          "spanId": "b7c8d9e0f1a2b3c4",
          "parentSpanId": "00f067aa0ba902b7",
          "name": "tools/call delete_file",
          "kind": 3,
          "startTimeUnixNano": "1784021403500000000",
          "endTimeUnixNano": "1784021403880000000",
          "attributes": [
            {"key": "mcp.method.name", "value": {"stringValue": "tools/call"}},
            {"key": "gen_ai.operation.name", "value": {"stringValue": "execute_tool"}},
            {"key": "gen_ai.tool.name", "value": {"stringValue": "delete_file"}},
            {"key": "jsonrpc.request.id", "value": {"stringValue": "7"}},
            {"key": "mcp.protocol.version", "value": {"stringValue": "2025-11-25"}},
            {"key": "mcp.session.id", "value": {"stringValue": "191c4850af6c49e08843a3f6c80e5046"}},
            {"key": "network.transport", "value": {"stringValue": "pipe"}},
            {"key": "gen_ai.tool.call.arguments", "value": {"kvlistValue": {"values": [
              {"key": "owner", "value": {"stringValue": "acme"}},
              {"key": "repo", "value": {"stringValue": "billing"}},
              {"key": "path", "value": {"stringValue": "config/prod.yaml"}},
              {"key": "branch", "value": {"stringValue": "main"}}
            ]}}},
            {"key": "error.type", "value": {"stringValue": "tool_error"}}
          ],
          "status": {"code": 2, "message": "Branch main is protected"}
        }
      ]
    }]
  }]
}`;

describe('the TRACE-FORMATS.md §1.7 example', () => {
  test('a function tool with JSON-text arguments and an MCP call that failed', () => {
    const result = importOtlp(SPEC_EXAMPLE);
    expect(result.format).toBe('otlp');
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([
      {
        tool: 'issue_refund',
        callId: 'call_8ZpWc2hN3d',
        args: { order_id: 'A-1042', amount: 49 },
        result: '{"refund_id":"rf_881","status":"queued"}',
        agent: 'Billing Assistant',
        session: 'conv_7f3a91c2',
        time: 1784021402950,
        source: { line: 26, path: '$.resourceSpans[0].scopeSpans[0].spans[1]' },
      },
      {
        tool: 'delete_file',
        callId: '7',
        args: { owner: 'acme', repo: 'billing', path: 'config/prod.yaml', branch: 'main' },
        error: 'Branch main is protected',
        // The conversation id of the agent span outranks the MCP session id.
        session: 'conv_7f3a91c2',
        agent: 'Billing Assistant',
        time: 1784021403500,
      },
    ]);
    expect(calls(result.events)[1]!.result).toBeUndefined();
  });
});

describe('OTLP/JSON variants', () => {
  test('the file exporter writes JSON Lines out of order: spans are ordered by start and parents found across lines', () => {
    const text = lines(
      tracesData([toolSpan('0000000000000003', 'second', '1700000002000000000', {}, { parentSpanId: '0000000000000001' })]),
      tracesData([toolSpan('0000000000000002', 'first', '1700000001000000000', {}, { parentSpanId: '0000000000000001' })]),
      tracesData([{ traceId: TRACE, spanId: '0000000000000001', name: 'invoke_agent Planner', startTimeUnixNano: '1700000000000000000', attributes: attrs({ 'gen_ai.operation.name': str('invoke_agent') }) }]),
    );
    const result = importOtlp(text, 'spans.jsonl');
    expect(result.format).toBe('otlp');
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([
      { tool: 'first', agent: 'Planner', session: TRACE, time: 1700000001000, source: { line: 2 } },
      { tool: 'second', agent: 'Planner', session: TRACE, time: 1700000002000, source: { line: 1 } },
    ]);
  });

  test('without a conversation or agent: one session per trace id, the agent is the service', () => {
    const other = '11111111111111111111111111111111';
    const text = lines(tracesData([toolSpan('00000000000000a1', 'a', '1700000000000000000'), { ...toolSpan('00000000000000b1', 'b', '1700000001000000000'), traceId: other }], { 'service.name': str('billing-svc') }));
    const result = importOtlp(text);
    expect(calls(result.events)).toMatchObject([
      { tool: 'a', session: TRACE, agent: 'billing-svc' },
      { tool: 'b', session: other, agent: 'billing-svc' },
    ]);
    expect(result.sessions.map((session) => session.id)).toEqual([TRACE, other]);
  });

  test('times as numbers, upper-case hex ids and `0x` ids all work', () => {
    const span = { ...toolSpan('00000000000000A1', 'a', '0'), traceId: TRACE.toUpperCase(), startTimeUnixNano: 1700000000123000000 };
    const agent = { traceId: TRACE, spanId: '00000000000000ff', name: 'invoke_agent Upper', startTimeUnixNano: 1 };
    const result = importOtlp(lines(tracesData([{ ...span, parentSpanId: '00000000000000FF' }, agent])));
    expect(calls(result.events)).toMatchObject([{ tool: 'a', agent: 'Upper', time: 1700000000123, session: TRACE }]);
  });

  test('every AnyValue kind decodes: bool, int (exact, or text beyond 2^53), double, array, kvlist, bytes, empty', () => {
    const args = {
      kvlistValue: {
        values: [
          { key: 'flag', value: { boolValue: false } },
          { key: 'count', value: { intValue: '42' } },
          { key: 'huge', value: { intValue: '9007199254740993' } },
          { key: 'ratio', value: { doubleValue: 0.25 } },
          { key: 'nan', value: { doubleValue: 'NaN' } },
          { key: 'list', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 7 }] } } },
          { key: 'empty_list', value: { arrayValue: {} } },
          { key: 'nested', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
          { key: 'blob', value: { bytesValue: 'aGVsbG8=' } },
          { key: 'nothing', value: {} },
        ],
      },
    };
    const result = importOtlp(lines(tracesData([toolSpan('00000000000000a1', 'probe', '1', { 'gen_ai.tool.call.arguments': args })])));
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)[0]!.args).toEqual({
      flag: false,
      count: 42,
      huge: '9007199254740993',
      ratio: 0.25,
      nan: 'NaN',
      list: ['x', 7],
      empty_list: [],
      nested: { k: 'v' },
      blob: 'aGVsbG8=',
      nothing: null,
    });
  });

  test('a structured result is kept as its plain value', () => {
    const result = importOtlp(lines(tracesData([toolSpan('00000000000000a1', 'probe', '1', { 'gen_ai.tool.call.result': { kvlistValue: { values: [{ key: 'ok', value: { boolValue: true } }] } } })])));
    expect(calls(result.events)[0]!.result).toEqual({ ok: true });
  });

  test('an MCP server span under its client span is one call, completed by the inner span', () => {
    const client = { traceId: TRACE, spanId: '00000000000000c1', name: 'tools/call search', kind: 3, startTimeUnixNano: '10', attributes: attrs({ 'mcp.method.name': str('tools/call'), 'gen_ai.tool.name': str('search'), 'jsonrpc.request.id': { intValue: '3' } }) };
    const server = { ...client, spanId: '00000000000000c2', parentSpanId: '00000000000000c1', kind: 2, startTimeUnixNano: '20', attributes: [...client.attributes, ...attrs({ 'gen_ai.tool.call.result': str('found'), 'mcp.session.id': str('mcp-s1') })] };
    const result = importOtlp(lines(tracesData([server, client])));
    expect(calls(result.events)).toMatchObject([{ tool: 'search', callId: '3', result: 'found' }]);
  });

  test('a call to a different tool inside a tool span is its own call (agent as a tool)', () => {
    const outer = toolSpan('00000000000000d1', 'research', '10');
    const inner = { ...toolSpan('00000000000000d2', 'web_search', '20'), parentSpanId: '00000000000000d1' };
    expect(calls(importOtlp(lines(tracesData([outer, inner]))).events).map((call) => call.tool)).toEqual(['research', 'web_search']);
  });

  test('a span only named `execute_tool X` or `tools/call X` is a tool call; error.type alone marks it failed', () => {
    const named = { traceId: TRACE, spanId: '00000000000000e1', name: 'execute_tool lookup', startTimeUnixNano: '1' };
    const mcp = { traceId: TRACE, spanId: '00000000000000e2', name: 'tools/call fetch', startTimeUnixNano: '2', attributes: attrs({ 'error.type': str('-32602') }) };
    expect(calls(importOtlp(lines(tracesData([named, mcp]))).events)).toMatchObject([{ tool: 'lookup' }, { tool: 'fetch', error: '-32602' }]);
  });

  test('an ERROR span without a message takes its exception event, else error.type', () => {
    const withEvent = toolSpan('00000000000000f1', 'a', '1', {}, { status: { code: 2 }, events: [{ name: 'exception', attributes: attrs({ 'exception.message': str('boom') }) }] });
    const withType = toolSpan('00000000000000f2', 'b', '2', { 'error.type': str('TimeoutError') }, { status: { code: 'STATUS_CODE_ERROR' } });
    expect(calls(importOtlp(lines(tracesData([withEvent, withType]))).events).map((call) => call.error)).toEqual(['boom', 'TimeoutError']);
  });

  test('legacy conventions: OpenInference TOOL, Traceloop tool and Claude Code tool spans', () => {
    const span = (spanId: string, name: string, start: string, values: Record<string, AnyValue>) => ({ traceId: TRACE, spanId, name, startTimeUnixNano: start, attributes: attrs(values) });
    const result = importOtlp(
      lines(
        tracesData([
          span('0000000000000011', 'get_weather', '1', { 'openinference.span.kind': str('TOOL'), 'input.value': str('{"city":"Oslo"}'), 'output.value': str('cold'), 'session.id': str('s-oi'), 'agent.name': str('oi-agent') }),
          span('0000000000000012', 'lookup.tool', '2', { 'traceloop.span.kind': str('tool'), 'traceloop.entity.name': str('lookup'), 'traceloop.entity.input': str('{"args": [], "kwargs": {"q": "x"}}'), 'traceloop.entity.output': str('"y"') }),
          span('0000000000000013', 'claude_code.tool', '3', { tool_name: str('Bash'), tool_use_id: str('toolu_9'), agent_id: str('sub-1') }),
        ]),
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([
      { tool: 'get_weather', args: { city: 'Oslo' }, result: 'cold', session: 's-oi', agent: 'oi-agent' },
      { tool: 'lookup', args: { q: 'x' }, result: '"y"', session: TRACE },
      { tool: 'Bash', callId: 'toolu_9', agent: 'sub-1' },
    ]);
  });

  test('gen_ai messages as structured values: each user message once, though every chat span repeats the history', () => {
    const message = (role: string, text: string) => ({ kvlistValue: { values: [{ key: 'role', value: str(role) }, { key: 'parts', value: { arrayValue: { values: [{ kvlistValue: { values: [{ key: 'type', value: str('text') }, { key: 'content', value: str(text) }] } }] } } }] } });
    const chat = (spanId: string, start: string, history: AnyValue[]) => ({ traceId: TRACE, spanId, name: 'chat m', startTimeUnixNano: start, attributes: attrs({ 'gen_ai.operation.name': str('chat'), 'gen_ai.input.messages': { arrayValue: { values: history } } }) });
    const first = chat('0000000000000021', '1', [message('system', 'be brief'), message('user', 'hi')]);
    const second = chat('0000000000000022', '3', [message('system', 'be brief'), message('user', 'hi'), message('assistant', 'hello'), message('user', 'hi')]);
    const result = importOtlp(lines(tracesData([first, toolSpan('0000000000000023', 'x', '2'), second])));
    expect(result.events.map((event) => [event.kind, 'text' in event ? event.text : (event as ToolCallEvent).tool])).toEqual([
      ['user_message', 'hi'],
      ['tool_call', 'x'],
      ['agent_message', 'hello'],
      ['user_message', 'hi'],
    ]);
  });

  test('the console exporter (Python SDK) spans, one per line', () => {
    const span = (spanId: string, name: string, parent: string | null, start: string, attributes: Record<string, unknown>, status: Record<string, string> = { status_code: 'UNSET' }) =>
      JSON.stringify({ name, context: { trace_id: `0x${TRACE}`, span_id: `0x${spanId}`, trace_state: '[]' }, kind: 'SpanKind.INTERNAL', parent_id: parent, start_time: start, end_time: start, status, attributes, events: [], links: [], resource: { attributes: { 'service.name': 'console-svc' }, schema_url: '' } });
    const text = [
      span('00000000000000a2', 'execute_tool read', '0x00000000000000a1', '2026-07-01T10:00:01.500000Z', { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'read', 'gen_ai.tool.call.arguments': '{"path":"a.txt"}' }, { status_code: 'ERROR', description: 'ENOENT' }),
      span('00000000000000a1', 'invoke_agent reader', null, '2026-07-01T10:00:00Z', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'reader' }),
    ].join('\n');
    const result = importOtlp(text, 'console.jsonl');
    expect(result.format).toBe('otlp');
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([{ tool: 'read', args: { path: 'a.txt' }, error: 'ENOENT', agent: 'reader', session: TRACE, time: Date.UTC(2026, 6, 1, 10, 0, 1, 500) }]);
  });

  test('a Jaeger JSON export', () => {
    const jaeger = {
      data: [
        {
          traceID: TRACE,
          spans: [
            { traceID: TRACE, spanID: 'b1', operationName: 'execute_tool send_email', references: [{ refType: 'CHILD_OF', traceID: TRACE, spanID: 'a1' }], startTime: 1700000000500000, duration: 1000, processID: 'p1', tags: [{ key: 'gen_ai.operation.name', type: 'string', value: 'execute_tool' }, { key: 'gen_ai.tool.name', type: 'string', value: 'send_email' }, { key: 'otel.status_code', type: 'string', value: 'ERROR' }, { key: 'otel.status_description', type: 'string', value: 'quota' }], logs: [] },
            { traceID: TRACE, spanID: 'a1', operationName: 'invoke_agent mailer', references: [], startTime: 1700000000000000, duration: 9000, processID: 'p1', tags: [] },
          ],
          processes: { p1: { serviceName: 'mail-svc', tags: [] } },
        },
      ],
    };
    const result = importOtlp(JSON.stringify(jaeger, null, 1));
    expect(result.format).toBe('otlp');
    expect(calls(result.events)).toMatchObject([{ tool: 'send_email', error: 'quota', agent: 'mailer', session: TRACE, time: 1700000000500 }]);
  });
});

describe('bad input', () => {
  test('a line that is not an object, a resourceSpans that is not an array, and OTLP logs are skipped with their line', () => {
    const text = lines('hello', { resourceSpans: {} }, { resourceLogs: [] }, tracesData([toolSpan('00000000000000a1', 'ok', '1')]));
    const result = importOtlp(text, 'mixed.jsonl', 'otlp');
    // GH4117: the first line does not look like OTLP, and the file is read as OTLP as asked.
    expect(codes(result)).toEqual(['GH4117 1 -', 'GH4107 1 $', 'GH4107 2 $.resourceSpans', 'GH4114 3 $']);
    expect(calls(result.events).map((call) => call.tool)).toEqual(['ok']);
  });

  test('a span that is not an object, one without ids, one with a bad time: located diagnostics, good spans kept', () => {
    const noIds = { name: 'execute_tool lonely', startTimeUnixNano: '5' };
    const badTime = toolSpan('00000000000000a2', 'late', 'yesterday');
    const result = importOtlp(lines(tracesData(['oops', noIds, badTime])), 't.jsonl');
    const at = '$.resourceSpans[0].scopeSpans[0].spans';
    expect(codes(result)).toEqual([`GH4107 1 ${at}[0]`, `GH4108 1 ${at}[1].traceId`, `GH4108 1 ${at}[1].spanId`, `GH4116 1 ${at}[2].startTimeUnixNano`]);
    expect(calls(result.events).map((call) => call.tool)).toEqual(['lonely', 'late']);
  });

  test('invalid JSON arguments are kept raw (GH4112) at the attribute value', () => {
    const result = importOtlp(lines(tracesData([toolSpan('00000000000000a1', 'x', '1', { 'gen_ai.tool.call.arguments': str('{"path": ') })])));
    expect(codes(result)).toEqual(['GH4112 1 $.resourceSpans[0].scopeSpans[0].spans[0].attributes[2].value']);
    expect(calls(result.events)[0]).toMatchObject({ args: {}, argsRaw: '{"path": ' });
  });

  test('arguments that are an array are kept raw as JSON text (GH4112)', () => {
    const result = importOtlp(lines(tracesData([toolSpan('00000000000000a1', 'x', '1', { 'gen_ai.tool.call.arguments': { arrayValue: { values: [{ intValue: '1' }] } } })])));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GH4112']);
    expect(calls(result.events)[0]).toMatchObject({ args: {}, argsRaw: '[1]' });
  });

  test('a tool span that names no tool is skipped (GH4108)', () => {
    const span = { traceId: TRACE, spanId: '00000000000000a1', name: 'tool', startTimeUnixNano: '1', attributes: attrs({ 'gen_ai.operation.name': str('execute_tool') }) };
    const result = importOtlp(lines(tracesData([span])));
    expect(codes(result)).toEqual(['GH4108 1 $.resourceSpans[0].scopeSpans[0].spans[0]']);
    expect(result.stats.skipped).toBe(1);
    expect(result.events).toEqual([]);
  });

  test('bad attributes (no key, unknown AnyValue field, wrong value type) are ignored with GH4107', () => {
    const span = { ...toolSpan('00000000000000a1', 'x', '1'), attributes: [...attrs({ 'gen_ai.tool.name': str('x') }), { value: str('no key') }, { key: 'a', value: { fooValue: 1 } }, { key: 'b', value: { boolValue: 'yes' } }] };
    const result = importOtlp(lines(tracesData([span])));
    const at = '$.resourceSpans[0].scopeSpans[0].spans[0].attributes';
    expect(codes(result)).toEqual([`GH4108 1 ${at}[1]`, `GH4107 1 ${at}[2].value`, `GH4107 1 ${at}[3].value`]);
    expect(calls(result.events)).toHaveLength(1);
  });

  test('`__proto__` in arguments, structured or JSON text, stays plain data (GH4113)', () => {
    const kv = { kvlistValue: { values: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }] } };
    const result = importOtlp(lines(tracesData([toolSpan('00000000000000a1', 'x', '1', { 'gen_ai.tool.call.arguments': kv }), toolSpan('00000000000000a2', 'y', '2', { 'gen_ai.tool.call.arguments': str('{"__proto__": {"polluted": true}}') })])));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GH4113', 'GH4113']);
    for (const call of calls(result.events)) {
      expect(Object.getPrototypeOf(call.args)).toBe(Object.prototype);
      expect(Object.getOwnPropertyNames(call.args)).toEqual(['__proto__']);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a span id used twice in one trace is reported (GH4109)', () => {
    const result = importOtlp(lines(tracesData([toolSpan('00000000000000a1', 'x', '1'), toolSpan('00000000000000a1', 'y', '2')])));
    expect(codes(result)).toEqual(['GH4109 1 $.resourceSpans[0].scopeSpans[0].spans[1]']);
  });

  test('calls never await separate results: no call is flagged unpaired, even with an id and no result', () => {
    const result = importOtlp(lines(tracesData([toolSpan('00000000000000a1', 'x', '1', { 'gen_ai.tool.call.id': str('call_1') })])));
    expect(result.stats.unpaired).toBe(0);
    expect(calls(result.events)[0]!.unpaired).toBeUndefined();
  });

  test('a line that is not JSON is skipped by line; the rest is read', () => {
    const text = lines(tracesData([toolSpan('00000000000000a1', 'x', '1')])) + '{"resourceSpans": [\n';
    const result = importOtlp(text, 'broken.jsonl');
    expect(codes(result)).toEqual(['GH4101 2 -']);
    expect(calls(result.events)).toHaveLength(1);
  });
});
