// OpenAI Responses import: the example of TRACE-FORMATS.md §2.2, Response objects and request
// bodies, MCP approvals, built-in tool items, sessions, and bad input, through the real driver.
// (The shared fixtures hold no Responses file; the detection of every fixture is checked in
// openaiChat.test.ts.)
import { describe, expect, test } from 'vitest';
import { parseJsonTree, type JsonNode } from '../../../src/language/catalog/jsonTree';
import { importTextWith } from '../../../src/traces/import/driver';
import { openaiResponsesImporter } from '../../../src/traces/import/formats/openaiResponses';
import { IMPORTERS, type ImportOptions, type ImportResult } from '../../../src/traces/import';
import { toolCalls as calls, where } from '../support';


function run(text: string, options: Partial<ImportOptions> = {}): ImportResult {
  return importTextWith(text, { file: 'responses.json', ...options }, IMPORTERS);
}


function parse(text: string): JsonNode {
  const parsed = parseJsonTree(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('the example of TRACE-FORMATS.md §2.2', () => {
  const example = `[
  {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Refund order A-1042 and clean up the old config."}]},
  {"type": "function_call", "id": "fc_68a1c3e9b0d2", "call_id": "call_8ZpWc2hN3d", "name": "issue_refund", "arguments": "{\\"order_id\\":\\"A-1042\\",\\"amount\\":49.0}", "status": "completed"},
  {"type": "function_call_output", "call_id": "call_8ZpWc2hN3d", "output": "{\\"refund_id\\":\\"rf_881\\",\\"status\\":\\"queued\\"}"},
  {"type": "mcp_call", "id": "mcp_68a1c3f2aa41", "server_label": "github", "name": "delete_file", "arguments": "{\\"owner\\":\\"acme\\",\\"repo\\":\\"billing\\",\\"path\\":\\"config/old.yaml\\",\\"message\\":\\"cleanup\\",\\"branch\\":\\"main\\"}", "output": null, "error": {"type": "mcp_tool_execution_error", "content": [{"type": "text", "text": "Branch main is protected"}]}, "status": "failed"}
]`;

  test('is detected as openai-responses and gives the user request, the function call with its output and the failed MCP call', () => {
    const result = run(example, { file: 'items.json' });
    expect(result.format).toBe('openai-responses');
    expect(result.detection?.reason).toContain('function_call');
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => event.kind)).toEqual(['user_message', 'tool_call', 'tool_call']);
    expect(result.events[0]).toMatchObject({ text: 'Refund order A-1042 and clean up the old config.', source: { line: 2, path: '$[0]' } });
    const [refund, deletion] = calls(result.events);
    expect(refund).toMatchObject({ tool: 'issue_refund', callId: 'call_8ZpWc2hN3d', args: { order_id: 'A-1042', amount: 49 }, result: '{"refund_id":"rf_881","status":"queued"}' });
    expect(refund!.error).toBeUndefined();
    expect(deletion).toMatchObject({
      tool: 'delete_file',
      server: 'github',
      callId: 'mcp_68a1c3f2aa41',
      args: { owner: 'acme', repo: 'billing', path: 'config/old.yaml', message: 'cleanup', branch: 'main' },
      error: 'Branch main is protected',
      source: { file: 'items.json', line: 5, path: '$[3]' },
    });
    expect(deletion!.result).toBeUndefined();
    expect(result.sessions).toEqual([{ id: 'items.json', events: 3, toolCalls: 2, errors: 1, unpaired: 0, clock: 'synthetic' }]);
  });
});

describe('Response objects and request bodies', () => {
  const response = `{"id": "resp_1", "object": "response", "created_at": 1741290958, "model": "gpt-4.1",
 "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}],
 "output": [
  {"type": "reasoning", "id": "rs_1", "summary": []},
  {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed", "content": [{"type": "output_text", "text": "Let me check.", "annotations": []}]},
  {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}", "status": "completed"}
 ]}`;

  test('a Response: its output items at `created_at`, its tools as definitions, reasoning silently skipped', () => {
    const result = run(response);
    expect(result.format).toBe('openai-responses');
    expect(result.detection?.confidence).toBe(1);
    expect(result.events.map((event) => [event.kind, event.time])).toEqual([
      ['agent_message', 1741290958000],
      ['tool_call', 1741290958000],
    ]);
    expect(calls(result.events)[0]).toMatchObject({ tool: 'get_weather', args: { city: 'Paris' }, callId: 'call_1', unpaired: true });
    expect(where(result)).toEqual(['GH4110 6 $.output[2]']);
    expect(result.tools).toEqual([{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }]);
    // With no conversation and no previous response, a lone Response is the file's session.
    expect(result.sessions.map((session) => [session.id, session.clock])).toEqual([['responses.json', 'recorded']]);
  });

  test('JSON Lines of a Response then the request that answers it (by `previous_response_id`) pair in one session', () => {
    const request = '{"model": "gpt-4.1", "previous_response_id": "resp_1", "input": [{"type": "function_call_output", "call_id": "call_1", "output": "18C and sunny"}]}';
    const result = run(`${response.replace(/\n/g, '')}\n${request}`, { file: 'log.jsonl' });
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)[0]).toMatchObject({ callId: 'call_1', result: '18C and sunny' });
    expect(calls(result.events)[0]!.unpaired).toBeUndefined();
    expect(result.sessions.map((session) => session.id)).toEqual(['log.jsonl']);
  });

  test('`conversation` names the session; a `previous_response_id` chain keeps it; an unknown previous response names its own', () => {
    const lines = [
      '{"id":"resp_a","object":"response","conversation":{"id":"conv_9"},"output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"a"}]}]}',
      '{"id":"resp_b","object":"response","previous_response_id":"resp_a","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"b"}]}]}',
      '{"model":"m","previous_response_id":"resp_b","input":"and then?"}',
      '{"id":"resp_x","object":"response","previous_response_id":"resp_elsewhere","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"x"}]}]}',
      '{"model":"m","conversation":"conv_2","input":[{"role":"user","content":"hello"}]}',
    ].join('\n');
    const result = run(lines, { file: 'chain.jsonl' });
    expect(result.diagnostics).toEqual([]);
    expect(result.events.map((event) => [event.session, event.kind === 'tool_call' ? '' : event.text])).toEqual([
      ['conv_9', 'a'],
      ['conv_9', 'b'],
      ['conv_9', 'and then?'],
      ['resp_elsewhere', 'x'],
      ['conv_2', 'hello'],
    ]);
  });

  test('a request body: instructions and system items skipped, `input` text and user items are user messages', () => {
    const result = run('{"model": "gpt-4.1", "instructions": "be nice", "tools": [{"type": "mcp", "server_label": "gh"}], "input": "What is in my calendar?"}');
    expect(result.format).toBe('openai-responses');
    expect(result.events).toMatchObject([{ kind: 'user_message', text: 'What is in my calendar?', source: { path: '$.input' } }]);
    expect(result.tools).toEqual([{ type: 'mcp', server_label: 'gh' }]);
    const items = run('{"model":"m","input":[{"role":"system","content":"rules"},{"role":"developer","content":"more"},{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"},{"type":"input_image","image_url":"x"}]}]}');
    expect(items.events).toMatchObject([{ kind: 'user_message', text: 'hi' }]);
  });

  test('an input-item list `{object: "list", data}` and JSON Lines of single items are read', () => {
    const list = run('{"object":"list","data":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"ok"}],"has_more":false}');
    expect(list.format).toBe('openai-responses');
    expect(calls(list.events)).toMatchObject([{ tool: 'f', result: 'ok' }]);
    const lines = run('{"type":"function_call","call_id":"c","name":"f","arguments":"{}"}\n{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"part one"},{"type":"input_image","image_url":"u"},{"type":"input_text","text":"part two"}]}', { file: 'items.jsonl' });
    expect(lines.format).toBe('openai-responses');
    expect(calls(lines.events)).toMatchObject([{ tool: 'f', result: 'part one\npart two' }]);
  });
});

describe('MCP items', () => {
  const approvalRequest = '{"type":"mcp_approval_request","id":"mcpr_1","server_label":"github","name":"delete_repo","arguments":"{\\"repo\\":\\"billing\\"}"}';

  test('an approved request, then the call that ran: one tool call, outcome allowed, with the result', () => {
    const result = run(`[${approvalRequest},
{"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":true},
{"type":"mcp_call","id":"mcp_2","approval_request_id":"mcpr_1","server_label":"github","name":"delete_repo","arguments":"{\\"repo\\":\\"billing\\"}","output":"deleted","status":"completed"}]`);
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([{ tool: 'delete_repo', server: 'github', args: { repo: 'billing' }, outcome: 'allowed', result: 'deleted', callId: 'mcp_2', source: { path: '$[0]' } }]);
  });

  test('a denied request is one tool call with outcome denied and no result', () => {
    const result = run(`[${approvalRequest}, {"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":false,"reason":"no"}]`);
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events)).toMatchObject([{ tool: 'delete_repo', outcome: 'denied', callId: 'mcpr_1' }]);
    expect(calls(result.events)[0]!.result).toBeUndefined();
  });

  test('a request never answered is flagged unpaired (GH4110); a response to an unknown request is an orphan (GH4111)', () => {
    const result = run(`[${approvalRequest},\n{"type":"mcp_approval_response","approval_request_id":"mcpr_other","approve":true}]`);
    expect(where(result)).toEqual(['GH4110 1 $[0]', 'GH4111 2 $[1]']);
    expect(calls(result.events)[0]).toMatchObject({ unpaired: true });
    expect(calls(result.events)[0]!.outcome).toBeUndefined();
  });

  test('a call that names an approval not in the file was approved; text errors and failed status are errors', () => {
    const result = run(`[{"type":"mcp_call","id":"m1","approval_request_id":"mcpr_9","server_label":"s","name":"a","arguments":"{}","output":"ok"},
{"type":"mcp_call","id":"m2","server_label":"s","name":"b","arguments":"{}","error":"tool crashed"},
{"type":"mcp_call","id":"m3","server_label":"s","name":"c","arguments":"{}","status":"failed"},
{"type":"mcp_call","id":"m4","server_label":"s","name":"d","arguments":"{}","error":{"type":"http_error","code":502,"message":"Bad gateway"}}]`);
    expect(calls(result.events).map((call) => [call.tool, call.outcome, call.result, call.error])).toEqual([
      ['a', 'allowed', 'ok', undefined],
      ['b', undefined, undefined, 'tool crashed'],
      ['c', undefined, undefined, 'the MCP call failed'],
      ['d', undefined, undefined, 'Bad gateway'],
    ]);
    expect(result.stats.errors).toBe(3);
  });

  test('`mcp_list_tools` gives the tool definitions as recorded', () => {
    const result = run('[{"type":"mcp_list_tools","id":"mcpl_1","server_label":"github","tools":[{"name":"delete_repo","input_schema":{},"annotations":{"destructiveHint":true}}]}]');
    expect(result.tools).toEqual([{ name: 'delete_repo', input_schema: {}, annotations: { destructiveHint: true } }]);
    expect(result.events).toEqual([]);
  });
});

describe('built-in and client tools', () => {
  test('shell, local shell and apply-patch calls are named by type with their action as arguments, paired with their outputs', () => {
    const result = run(`[
{"type":"local_shell_call","id":"lsh_1","call_id":"call_ls","status":"completed","action":{"type":"exec","command":["ls","-la"],"env":{}}},
{"type":"local_shell_call_output","id":"call_ls","output":"{\\"stdout\\":\\"a b\\"}"},
{"type":"shell_call","call_id":"call_sh","action":{"commands":["cat /etc/passwd"],"timeout_ms":1000}},
{"type":"shell_call_output","call_id":"call_sh","output":[{"stdout":"","stderr":"Permission denied","outcome":{"type":"exit","exit_code":1}}]},
{"type":"apply_patch_call","call_id":"call_ap","status":"completed","operation":{"type":"delete_file","path":"src/a.ts"}},
{"type":"apply_patch_call_output","call_id":"call_ap","status":"failed","output":"file not found"},
{"type":"computer_call","call_id":"call_cu","action":{"type":"click","x":1,"y":2}},
{"type":"computer_call_output","call_id":"call_cu","output":{"type":"computer_screenshot","image_url":"data:x"}}
]`);
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events).map((call) => [call.tool, call.callId, call.args, call.result, call.error])).toEqual([
      ['local_shell_call', 'call_ls', { type: 'exec', command: ['ls', '-la'], env: {} }, '{"stdout":"a b"}', undefined],
      ['shell_call', 'call_sh', { commands: ['cat /etc/passwd'], timeout_ms: 1000 }, [{ stdout: '', stderr: 'Permission denied', outcome: { type: 'exit', exit_code: 1 } }], 'exit code 1: Permission denied'],
      ['apply_patch_call', 'call_ap', { type: 'delete_file', path: 'src/a.ts' }, 'file not found', 'file not found'],
      ['computer_call', 'call_cu', { type: 'click', x: 1, y: 2 }, { type: 'computer_screenshot', image_url: 'data:x' }, undefined],
    ]);
  });

  test('a custom tool call keeps its input raw; hosted calls (web search, file search, code) carry their result inline', () => {
    const result = run(`[
{"type":"custom_tool_call","call_id":"ct","name":"sql","input":"DROP TABLE users"},
{"type":"custom_tool_call_output","call_id":"ct","output":"done"},
{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"acme refunds"}},
{"type":"file_search_call","id":"fs_1","status":"completed","queries":["refund policy"],"results":[{"file_id":"f1","text":"30 days"}]},
{"type":"code_interpreter_call","id":"ci_1","status":"failed","code":"print(1)","container_id":"cntr_1","outputs":null},
{"type":"image_generation_call","id":"ig_1","status":"completed","result":"aGVsbG8="}
]`);
    expect(result.diagnostics).toEqual([]);
    expect(calls(result.events).map((call) => [call.tool, call.args, call.argsRaw, call.result, call.error, call.unpaired])).toEqual([
      ['sql', {}, 'DROP TABLE users', 'done', undefined, undefined],
      ['web_search_call', { type: 'search', query: 'acme refunds' }, undefined, undefined, undefined, undefined],
      ['file_search_call', { queries: ['refund policy'] }, undefined, [{ file_id: 'f1', text: '30 days' }], undefined, undefined],
      ['code_interpreter_call', { code: 'print(1)', container_id: 'cntr_1' }, undefined, undefined, 'the `code_interpreter_call` failed', undefined],
    ]);
  });

  test('an item type it does not know is skipped with GH4114', () => {
    const result = run('[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},\n{"type":"hologram_call","id":"h"}]');
    expect(where(result)).toEqual(['GH4110 1 $[0]', 'GH4114 2 $[1]']);
  });
});

describe('detection', () => {
  test('Responses shapes are claimed, with confidence by how sure the markers are', () => {
    expect(openaiResponsesImporter.detect(parse('{"object":"response","output":[]}'), 'document')?.confidence).toBe(1);
    expect(openaiResponsesImporter.detect(parse('[{"type":"function_call_output","call_id":"c","output":"x"}]'), 'document')?.confidence).toBe(0.9);
    expect(openaiResponsesImporter.detect(parse('{"type":"mcp_call","id":"m"}'), 'lines')?.confidence).toBe(0.85);
    expect(openaiResponsesImporter.detect(parse('[{"role":"user","content":[{"type":"input_text","text":"hi"}]}]'), 'document')?.confidence).toBe(0.8);
  });

  test('chat messages, Anthropic requests, embeddings requests and Agents SDK exports are not claimed', () => {
    expect(openaiResponsesImporter.detect(parse('{"model":"m","messages":[{"role":"user","content":"hi"}]}'), 'document')).toBeUndefined();
    expect(openaiResponsesImporter.detect(parse('[{"role":"tool","tool_call_id":"x","content":"y"},{"role":"user","content":"hi","name":"u","type":"x"}]'), 'document')).toBeUndefined();
    expect(openaiResponsesImporter.detect(parse('{"model":"text-embedding-3-small","input":["a","b"]}'), 'document')).toBeUndefined();
    expect(openaiResponsesImporter.detect(parse('{"model":"text-embedding-3-small","input":"a"}'), 'document')).toBeUndefined();
    expect(openaiResponsesImporter.detect(parse('{"data":[{"object":"trace","id":"trace_1"}]}'), 'document')).toBeUndefined();
    expect(openaiResponsesImporter.detect(parse('{"type":"assistant","message":{"role":"assistant","content":[]}}'), 'lines')).toBeUndefined();
  });
});

describe('bad input', () => {
  test('invalid JSON arguments are kept raw (GH4112)', () => {
    const result = run('[\n{"type":"function_call","call_id":"c","name":"f","arguments":"{\\"a\\":"},\n{"type":"function_call_output","call_id":"c","output":"x"}]');
    expect(where(result)).toEqual(['GH4112 2 $[0].arguments']);
    expect(calls(result.events)).toMatchObject([{ args: {}, argsRaw: '{"a":', result: 'x' }]);
  });

  test('an output for an unknown call is an orphan (GH4111); a reused call id is a duplicate (GH4109)', () => {
    const result = run(`[
{"type":"function_call_output","call_id":"nobody","output":"x"},
{"type":"function_call","call_id":"c","name":"first","arguments":"{}"},
{"type":"function_call","call_id":"c","name":"second","arguments":"{}"},
{"type":"function_call_output","call_id":"c","output":"y"}]`);
    expect(where(result)).toEqual(['GH4111 2 $[0]', 'GH4110 3 $[1]', 'GH4109 4 $[2]']);
    expect(calls(result.events).map((call) => [call.tool, call.result])).toEqual([
      ['first', undefined],
      ['second', 'y'],
    ]);
  });

  test('missing and mistyped fields are reported where they are', () => {
    const result = run(`[
{"type":"function_call","call_id":"c","arguments":"{}"},
{"type":"function_call","name":"no_call_id","arguments":"{}"},
{"type":"function_call_output","output":"x"},
{"type":7},
"text",
{"role":"critic","content":"x"},
{"type":"mcp_approval_response","approval_request_id":"r","approve":"yes"},
{"type":"shell_call","call_id":"s","action":"ls"}
]`);
    expect(where(result)).toEqual([
      'GH4108 2 $[0].name',
      'GH4108 3 $[1].call_id',
      'GH4108 4 $[2].call_id',
      'GH4107 5 $[3].type',
      'GH4107 6 $[4]',
      'GH4107 7 $[5].role',
      'GH4107 8 $[6].approve',
      'GH4112 9 $[7].action',
      'GH4110 9 $[7]',
    ]);
    expect(calls(result.events).map((call) => [call.tool, call.argsRaw])).toEqual([
      ['no_call_id', undefined],
      ['shell_call', '"ls"'],
    ]);
  });

  test('a Response with a bad `output` or `created_at`, and a value of no Responses shape, are reported', () => {
    expect(where(run('{"object":"response","created_at":"noon",\n"output":{}}'))).toEqual(['GH4116 1 $.created_at', 'GH4107 2 $.output']);
    expect(where(run('{"hello":"world"}', { format: 'openai-responses' }))).toEqual(['GH4117 1 -', 'GH4107 1 $']);
  });

  test('`__proto__` keys in arguments and actions stay plain data (GH4113)', () => {
    const result = run('[{"type":"function_call","call_id":"c","name":"f","arguments":"{\\"__proto__\\":{\\"x\\":1}}"},\n{"type":"shell_call","call_id":"s","action":{"__proto__":{"x":1}}}]');
    expect(where(result).filter((d) => d.startsWith('GH4113'))).toEqual(['GH4113 1 $[0].arguments', 'GH4113 2 $[1].action.__proto__']);
    for (const call of calls(result.events)) {
      expect(Object.getPrototypeOf(call.args)).toBe(Object.prototype);
      expect(Object.hasOwn(call.args, '__proto__')).toBe(true);
    }
  });
});
