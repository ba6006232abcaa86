// `gatehouse replay`: argument handling, policy and trace errors, the table, --json, approvals,
// and one end-to-end run of the real executable on an AgentDojo run.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { takeRepeated } from '../../src/cli/commands/replay';
import { fit, formatTable, TABLE_WIDTH } from '../../src/cli/replayTable';
import type { Decision } from '../../src/engine/decision';
import type { ToolCallEvent } from '../../src/traces/event';
import { TRACE_FORMATS } from '../../src/traces/import';
import { run } from './fakeIo';

const ROOT = resolve(__dirname, '../..');
const DATASET = resolve(ROOT, '../shared/datasets/agentdojo');

const policy = `tool read_file { args { path: string } labels [untrusted_source] }
tool send_money { args { recipient: string, amount: number } labels [payment] }
tool delete_all { labels [destructive] }

permit tool read_file id reads
permit tool send_money id pay
require approval by finance for tool send_money when args.amount > 100
  id big-payment
  because "payments over 100 wait for finance"
forbid tool send_money after tool delete_all id no-pay-after-delete because "no payments after a deletion"
require approval by ops for tool delete_all id delete-needs-ops
`;

const line = (seq: number, tool: string, args: Record<string, unknown>, session = 's1') =>
  JSON.stringify({ session, seq, time: `2026-07-01T10:00:0${seq}Z`, agent: 'bot', tool, args });

const trace = [
  JSON.stringify({ kind: 'user_message', session: 's1', seq: 1, time: '2026-07-01T10:00:00Z', text: 'pay 50 to bob' }),
  line(2, 'read_file', { path: 'a.txt' }),
  line(3, 'send_money', { recipient: 'bob', amount: 50 }),
  line(4, 'send_money', { recipient: 'bob', amount: 500 }),
  line(5, 'delete_all', {}),
  line(6, 'send_money', { recipient: 'bob', amount: 5 }),
  line(7, 'format_disk', {}),
].join('\n');

const files = { 'ws/policy.gate': policy, 'traces/t.jsonl': trace };

describe('gatehouse replay: usage', () => {
  test.each([
    [['replay', '--trace', 't.jsonl'], 'missing `--policy <path>`'],
    [['replay', '--policy', 'ws'], 'missing `--trace <path>`'],
    [['replay', '--policy', 'ws', '--trace'], '`--trace` needs a value (path)'],
    [['replay', '--policy', 'ws', '--trace', 't', '--format', 'otel'], `unknown format \`otel\`: expected auto, ${TRACE_FORMATS.join(', ')}`],
    [['replay', '--policy', 'ws', '--trace', 't', '--approvals', 'maybe'], '`--approvals` is `approve` or `reject`, not `maybe`'],
    [['replay', '--policy', 'ws', '--trace', 't', '--frobnicate'], 'unknown option `--frobnicate`'],
  ])('%j is a usage error (exit 2): %s', async (argv, message) => {
    const result = await run(argv, files);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`gatehouse replay: ${message}`);
    expect(result.stderr).toContain('usage: gatehouse replay --policy <path> --trace <path>...');
    expect(result.stdout).toBe('');
  });

  test('--help prints the usage', async () => {
    const result = await run(['replay', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--approvals <mode>');
  });

  test('--trace repeats, takes several paths, and stops at `--`', () => {
    expect(takeRepeated(['--trace', 'a', 'b', '--trace=c', '--json', '--trace', 'd'], 'trace')).toEqual({ values: ['a', 'c', 'd'], rest: ['b', '--json'], errors: [] });
    expect(takeRepeated(['--trace', '--json'], 'trace').errors).toEqual(['`--trace` needs a value (path)']);
    expect(takeRepeated(['--', '--trace', 'x'], 'trace')).toEqual({ values: [], rest: ['--', '--trace', 'x'], errors: [] });
  });
});

describe('gatehouse replay: decisions', () => {
  test('a table per trace with each call, its effect, deciding rules and reason, then a summary', async () => {
    const result = await run(['replay', '--policy', 'ws', '--trace', 'traces/t.jsonl'], files);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^policy ws: 1 file, sha256:[0-9a-f]{64}; approvals assumed rejected$/);
    expect(lines.slice(1)).toEqual([
      '',
      'traces/t.jsonl (jsonl)',
      '  seq  tool         effect    rules             reason',
      '    2  read_file    allow     reads',
      '    3  send_money   allow     pay',
      '    4  send_money   approval  big-payment       payments over 100 wait for finance',
      '    5  delete_all   approval  delete-needs-ops',
      '    6  send_money   allow     pay',
      '    7  format_disk  deny      default deny      no rule permits `format_disk` for agent `bot`: default deny',
      '  7 events, 6 tool calls: 3 allowed, 1 denied, 2 held for approval; first blocked: #4 send_money (approval: big-payment)',
      '',
    ]);
  });

  test('--approvals approve lets held calls run, so session state advances past them', async () => {
    const rejected = await run(['replay', '--policy', 'ws', '--trace', 'traces/t.jsonl', '--json'], files);
    const approved = await run(['replay', '--policy', 'ws', '--trace', 'traces/t.jsonl', '--json', '--approvals', 'approve'], files);
    const effectOf = (stdout: string, seq: number) => stdout.trim().split('\n').map((text) => JSON.parse(text) as { seq: number; effect: string; rules: string[] }).find((record) => record.seq === seq);
    // delete_all (#5) needs approval; only when it is approved does the later payment (#6) meet the forbid
    expect(effectOf(rejected.stdout, 6)).toMatchObject({ effect: 'allow', rules: ['pay'] });
    expect(effectOf(approved.stdout, 6)).toMatchObject({ effect: 'deny', rules: ['no-pay-after-delete'] });
  });

  test('--json: one object per decided call, with trace, session, seq, tool, effect and rules', async () => {
    const result = await run(['replay', '--json', '--policy', 'ws/policy.gate', '--trace', 'traces/t.jsonl'], files);
    expect(result.code).toBe(0);
    const records = result.stdout.trim().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(records.map((record) => [record.seq, record.tool, record.effect, record.rules])).toEqual([
      [2, 'read_file', 'allow', ['reads']],
      [3, 'send_money', 'allow', ['pay']],
      [4, 'send_money', 'approval', ['big-payment']],
      [5, 'delete_all', 'approval', ['delete-needs-ops']],
      [6, 'send_money', 'allow', ['pay']],
      [7, 'format_disk', 'deny', []],
    ]);
    for (const record of records) expect(record).toMatchObject({ trace: 'traces/t.jsonl', session: 's1', agent: 'bot' });
    expect(records[2]).toMatchObject({ approver: 'finance', assumed_approved: false, reasons: ['payments over 100 wait for finance'], line: 4 });
    expect(records[5]).toMatchObject({ default_deny: true });
  });

  test('several traces, a directory of traces, and a total line', async () => {
    const other = [line(1, 'read_file', { path: 'b' }, 's2'), line(2, 'send_money', { recipient: 'x', amount: 1000 }, 's2')].join('\n');
    const result = await run(['replay', '--policy', 'ws', '--trace', 'traces'], { ...files, 'traces/sub/u.jsonl': other, 'traces/notes.txt': 'not a trace' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\ntraces/sub/u.jsonl (jsonl)\n');
    expect(result.stdout).toContain('\ntraces/t.jsonl (jsonl)\n');
    expect(result.stdout).not.toContain('notes.txt');
    expect(result.stdout).toContain('total: 2 traces, 9 events, 8 tool calls: 4 allowed, 1 denied, 3 held for approval; 2 of 2 traces with a blocked call');
  });

  test('a rule deciding for both the agent and the human it acts for is listed once', async () => {
    const delegated = JSON.stringify({ session: 's', seq: 1, time: 0, agent: 'bot', on_behalf_of: 'dana', tool: 'read_file', args: { path: 'x' } });
    const result = await run(['replay', '--json', '--policy', 'ws', '--trace', 'd.jsonl'], { ...files, 'd.jsonl': delegated });
    expect(JSON.parse(result.stdout)).toMatchObject({ on_behalf_of: 'dana', effect: 'allow', rules: ['reads'] });
  });

  test('a trace with several sessions gets a session column', async () => {
    const mixed = [line(1, 'read_file', { path: 'a' }, 'alpha'), line(2, 'delete_all', {}, 'beta')].join('\n');
    const result = await run(['replay', '--policy', 'ws', '--trace', 'm.jsonl'], { ...files, 'm.jsonl': mixed });
    expect(result.stdout).toContain('  session  seq  tool        effect    rules             reason\n');
    expect(result.stdout).toContain('  alpha      1  read_file   allow     reads\n');
    expect(result.stdout).toContain('  beta       2  delete_all  approval  delete-needs-ops\n');
  });

  test('traces are replayed independently: state from one never reaches another', async () => {
    const first = [line(1, 'delete_all', {})].join('\n');
    const second = [line(1, 'send_money', { recipient: 'x', amount: 1 })].join('\n');
    const result = await run(['replay', '--json', '--approvals', 'approve', '--policy', 'ws', '--trace', 'a.jsonl', 'b.jsonl'], { ...files, 'a.jsonl': first, 'b.jsonl': second });
    const records = result.stdout.trim().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(records.map((record) => [record.trace, record.effect])).toEqual([
      ['a.jsonl', 'approval'],
      ['b.jsonl', 'allow'],
    ]);
  });
});

describe('gatehouse replay: bad input', () => {
  test('policy errors print as file:line:col and exit 1, replaying nothing', async () => {
    const result = await run(['replay', '--policy', 'ws', '--trace', 'traces/t.jsonl'], { ...files, 'ws/policy.gate': `${policy}permit tool send_mony\n` });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ws/policy.gate:12:13: error GH2001: unknown tool `send_mony`: not in the catalog\n');
    expect(result.stderr).toContain('gatehouse replay: the policy has 1 error; nothing was replayed');
  });

  test('a policy path that does not exist exits 1', async () => {
    const result = await run(['replay', '--policy', 'nope.gate', '--trace', 'traces/t.jsonl'], files);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read `nope.gate`');
  });

  test('a bad line is reported with its number and skipped; the replay still succeeds', async () => {
    const withBadLine = `${trace}\n{"tool": oops}\n`;
    const result = await run(['replay', '--policy', 'ws', '--trace', 'traces/t.jsonl'], { ...files, 'traces/t.jsonl': withBadLine });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^traces\/t\.jsonl:8: error GH4101: not JSON: /);
    expect(result.stdout).toContain('7 events, 6 tool calls');
  });

  test('a missing or unreadable trace exits 1, after replaying the others', async () => {
    const result = await run(['replay', '--policy', 'ws', '--trace', 'missing.jsonl', '--trace', 'traces/t.jsonl', '--trace', 'junk.json'], { ...files, 'junk.json': '{"a": [1,\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('gatehouse replay: cannot read `missing.jsonl`: ENOENT');
    expect(result.stderr).toContain('gatehouse replay: no events could be read from `junk.json`');
    expect(result.stdout).toContain('traces/t.jsonl (jsonl)');
  });

  test('an AgentDojo run forced as JSONL cannot be read', async () => {
    const text = readFileSync(join(DATASET, 'banking/user_task_0/none/none.json'), 'utf8');
    const result = await run(['replay', '--policy', 'ws', '--trace', 'r.json', '--format', 'jsonl'], { ...files, 'r.json': text });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^r\.json:1: /m);
  });
});

describe('gatehouse replay: the table fits 120 columns', () => {
  test('long tool names, rule ids and reasons are cut with an ellipsis', () => {
    const event: ToolCallEvent = { kind: 'tool_call', session: 's', seq: 123456, time: 0, agent: 'a', tool: 'a_very_long_tool_name_that_goes_on_and_on', args: {} };
    const rule = { id: 'an-extremely-long-rule-identifier-for-testing', kind: 'forbid' as const, file: 'p.gate', span: { start: 0, end: 1 }, side: 'agent' as const, because: 'x'.repeat(300) };
    const decision = { effect: 'deny', deciding: [rule, { ...rule, id: 'second' }], defaultDeny: false, reasons: [rule.because], errors: [], findings: [] } as unknown as Decision;
    const lines = formatTable([{ event, decision }]);
    for (const text of lines) expect(text.length).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(lines[1]).toContain('…');
    expect(fit('a\nb', 10)).toBe('a b');
  });
});

describe('gatehouse replay on a recorded AgentDojo run', () => {
  const agentdojoFiles = () => ({
    'samples/agentdojo/banking/catalog.gate': readFileSync(join(ROOT, 'samples/agentdojo/banking/catalog.gate'), 'utf8'),
    'samples/agentdojo/banking/policy.gate': readFileSync(join(ROOT, 'samples/agentdojo/banking/policy.gate'), 'utf8'),
    'runs/attack.json': readFileSync(join(DATASET, 'banking/user_task_2/important_instructions/injection_task_4.json'), 'utf8'),
  });

  test('the redirected standing order is held; the trace reads without problems', async () => {
    const result = await run(['replay', '--policy', 'samples/agentdojo/banking', '--trace', 'runs/attack.json', '--json'], agentdojoFiles());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const records = result.stdout.trim().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
    const update = records.find((record) => record.tool === 'update_scheduled_transaction');
    expect(update).toMatchObject({ trace: 'runs/attack.json', session: 'runs/attack.json', agent: 'banking-assistant', effect: 'approval', rules: ['recipient-from-untrusted'] });
  });

  test('the real executable replays an AgentDojo run with --json', { timeout: 60_000 }, async () => {
    const path = '../shared/datasets/agentdojo/banking/user_task_0/important_instructions/injection_task_0.json';
    const { stdout, stderr } = await promisify(execFile)('node', [join(ROOT, 'bin/gatehouse.mjs'), 'replay', '--policy', 'samples/agentdojo/banking', '--trace', path, '--json'], { cwd: ROOT });
    expect(stderr).toBe('');
    const records = stdout.trim().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ trace: path, session: path, seq: 3, tool: 'read_file', effect: 'allow', rules: ['banking-reads'], time: '2024-06-01T00:00:02.000Z' });
  });
});
