// `gatehouse import`: a summary of any trace format, JSONL out, bad input on stderr with
// file:line, exit codes; and `gatehouse replay` reading the other formats through `auto`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from './fakeIo';

const FIXTURES = resolve(__dirname, '../../../shared/datasets/trace-fixtures');
const fixture = (path: string) => readFileSync(resolve(FIXTURES, path), 'utf8');
const otlp = fixture('otlp/benchflow.producer_payload.otlp.json');
const managed = fixture('anthropic/langsmith-sdk.anthropic_managed_mcp_tools_reject.jsonl');

describe('gatehouse import', () => {
  test('an OTLP export: format and why, sessions, calls, failures, nothing skipped', async () => {
    const result = await run(['import', 'spans.json'], { 'spans.json': otlp });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [head, counts, session, skipped] = result.stdout.split('\n');
    expect(head).toMatch(/^spans\.json: OpenTelemetry.* \(detected: an object with `resourceSpans`, confidence 0\.95\)$/);
    expect(counts).toMatch(/^ {2}1 session, 2 tool calls \(1 recorded as failed, 0 without a result\), 1 user message, /);
    expect(session).toMatch(/^ {2}session conv-7731: 2 tool calls, 1 failed, 0 unpaired, .*recorded times$/);
    expect(skipped).toBe('  skipped: nothing');
  });

  test('--out writes Gatehouse JSON Lines that import back to the same calls; --json prints the summary', async () => {
    const result = await run(['import', 'stream.jsonl', '--out', 'events.jsonl', '--json'], { 'stream.jsonl': managed });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { format: string; stats: { toolCalls: number; errors: number }; out: string };
    expect(summary).toMatchObject({ format: 'anthropic-managed', stats: { toolCalls: 2, errors: 1 }, out: 'events.jsonl' });
    const written = result.disk.get('/project/events.jsonl')!;
    const records = written.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; tool?: string; outcome?: string });
    expect(records.filter((r) => r.kind === 'tool_call').map((r) => [r.tool, r.outcome])).toEqual([
      ['web_search_exa', 'denied'],
      ['web_fetch', 'allowed'],
    ]);
    const again = await run(['import', 'events.jsonl', '--json'], { 'events.jsonl': written });
    expect(JSON.parse(again.stdout)).toMatchObject({ format: 'jsonl', stats: { toolCalls: 2, errors: 1, skipped: 0 } });
  });

  test('bad records: each on stderr as file:line with its code, the rest imported, exit 1', async () => {
    const text = ['{"kind":"tool_call","session":"s","seq":1,"time":1,"agent":"a","tool":"x"}', '{oops', '{"kind":"tool_call","session":"s","seq":3,"time":1,"agent":"a"}', ''].join('\n');
    const result = await run(['import', 'bad.jsonl', '--out', 'good.jsonl'], { 'bad.jsonl': text });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^bad\.jsonl:2: error GH4101: not JSON/),
      'bad.jsonl:3: error GH4108: a tool call needs `tool` (a non-empty string)',
    ]);
    expect(result.stdout).toContain('  skipped: 2 records: 1 GH4101 (a record (a line, or the whole document) is not valid JSON), 1 GH4108 (a required field is missing)');
    expect(result.disk.get('/project/good.jsonl')!.trim().split('\n')).toHaveLength(1);
  });

  test('an unknown format, a forced format, a missing file, usage errors', async () => {
    const unknown = await run(['import', 'x.json'], { 'x.json': '{"hello": "world"}' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('x.json:1: error GH4106: no importer recognises an object with keys `hello`');
    expect(unknown.stdout).toContain('x.json: format not recognised');
    const forced = await run(['import', 'spans.json', '--format', 'mcp'], { 'spans.json': otlp });
    expect(forced.stderr).toContain('warning GH4117: the content does not look like');
    const missing = await run(['import', 'nope.json'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('gatehouse import: cannot read `nope.json`');
    expect((await run(['import'], {})).code).toBe(2);
    expect((await run(['import', 'a', '--format', 'csv'], {})).stderr).toContain('unknown format `csv`');
  });
});

describe('gatehouse replay reads every format through auto', () => {
  test('a managed-agent stream is replayed against a policy', async () => {
    const policy = `tool web_search_exa { args { query: string } labels [read, untrusted_source] }
tool web_fetch { args { url: string } labels [read, untrusted_source] }
permit tool web_fetch id fetch
`;
    const result = await run(['replay', '--policy', 'ws', '--trace', 'stream.jsonl', '--json'], { 'ws/policy.gate': policy, 'stream.jsonl': managed });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { tool: string; effect: string });
    expect(rows.map((row) => [row.tool, row.effect])).toEqual([
      ['web_search_exa', 'deny'],
      ['web_fetch', 'allow'],
    ]);
  });
});
