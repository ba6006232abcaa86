// Keeps the `engine` benchmark's workloads honest before any timing: the generator is
// deterministic, the `.gate` rendering checks clean, and Cedar (through cedar-wasm, with the
// rendering in bench/engineWorkload/cedar.ts) decides 2,000 requests exactly as a small,
// independent reading of the abstract model written here. The bench's floor evaluator must agree
// too. The replay policy checks clean and its trace is deterministic JSON Lines the reader reads.

import { describe, expect, it } from 'vitest';
import { CedarRunner } from '../../bench/cedar/cedarRunner';
import { CedarEncoder, renderCedarPolicies } from '../../bench/engineWorkload/cedar';
import { toToolCallEvents } from '../../bench/engineWorkload/events';
import { FloorEvaluator } from '../../bench/engineWorkload/floor';
import { GATE_FILE, renderGate } from '../../bench/engineWorkload/gate';
import { generateModel, generateRequests } from '../../bench/engineWorkload/generate';
import { generateReplayTrace, replayPolicy } from '../../bench/engineWorkload/replay';
import type { ConditionModel, RequestModel, RuleModel, WorkloadModel } from '../../bench/engineWorkload/model';
import { checkWorkspace } from '../../src/language/workspace';
import { importText } from '../../src/traces/import';

/** Default deny; a matching forbid wins; else a matching permit allows. */
function decide(model: WorkloadModel, request: RequestModel): 'allow' | 'deny' {
  const agent = model.agents.find((candidate) => candidate.id === request.agent);
  const group = model.tools.find((tool) => tool.name === request.tool)?.group;
  const matching = model.rules.filter((rule) => appliesTo(rule, agent) && targets(rule, request.tool, group) && rule.conditions.every((condition) => holds(condition, request)));
  if (matching.some((rule) => rule.effect === 'forbid')) return 'deny';
  return matching.some((rule) => rule.effect === 'permit') ? 'allow' : 'deny';
}

function appliesTo(rule: RuleModel, agent: WorkloadModel['agents'][number] | undefined): boolean {
  if (rule.block !== undefined && !agent?.roles.includes(rule.block)) return false;
  const principal = rule.principal;
  if (!principal) return true;
  if (!agent) return false;
  if (principal.kind === 'agent') return principal.agents.includes(agent.id);
  if (principal.kind === 'role') return agent.roles.some((role) => principal.roles.includes(role));
  return principal.tiers.includes(agent.tier);
}

function targets(rule: RuleModel, tool: string, group: string | undefined): boolean {
  const target = rule.target;
  return target.kind === 'any' || (target.kind === 'group' && target.group === group) || (target.kind === 'tools' && target.tools.includes(tool));
}

function holds(condition: ConditionModel, request: RequestModel): boolean {
  switch (condition.kind) {
    case 'amount':
      return { '<': request.amount < condition.value, '<=': request.amount <= condition.value, '>': request.amount > condition.value, '>=': request.amount >= condition.value }[condition.op];
    case 'hour':
      return condition.from < condition.to ? request.hour >= condition.from && request.hour < condition.to : request.hour >= condition.from || request.hour < condition.to;
    case 'recipient':
    case 'path': {
      const pattern = new RegExp(`^${condition.pattern.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 's');
      return pattern.test(request[condition.kind]) !== condition.negate;
    }
  }
}

describe('the engine benchmark workload', () => {
  const model = generateModel();
  const requests = generateRequests(model, 2_000);

  it('is the same for the same seed, and another for another seed', () => {
    expect(generateModel()).toEqual(model);
    expect(generateRequests(model, 2_000)).toEqual(requests);
    expect(generateModel(7).rules).not.toEqual(model.rules);
    expect(generateRequests(model, 2_000, 7)).not.toEqual(requests);
  });

  it('has the shape the issue asks for', () => {
    expect(model.agents).toHaveLength(20);
    expect(model.roles).toHaveLength(10);
    expect(model.tools).toHaveLength(200);
    expect(model.groups).toHaveLength(10);
    expect(model.rules.length).toBeGreaterThanOrEqual(280);
    expect(model.rules.length).toBeLessThanOrEqual(320);
    const conditions = model.rules.flatMap((rule) => rule.conditions);
    for (const kind of ['amount', 'hour', 'recipient', 'path']) expect(conditions.some((condition) => condition.kind === kind), kind).toBe(true);
    expect(conditions.some((condition) => condition.kind === 'hour' && condition.from > condition.to)).toBe(true);
    expect(model.rules.some((rule) => rule.effect === 'forbid')).toBe(true);
    expect(model.rules.some((rule) => rule.block !== undefined)).toBe(true);
    for (const kind of ['agent', 'role', 'tier']) expect(model.rules.some((rule) => rule.principal?.kind === kind), kind).toBe(true);
    expect(requests.every((request) => Number.isInteger(request.amount) && request.hour === new Date(request.time).getUTCHours())).toBe(true);
  });

  it('renders to a .gate file that checks with no diagnostics', () => {
    const files = renderGate(model);
    expect([...files.keys()]).toEqual([GATE_FILE]);
    const text = files.get(GATE_FILE)!;
    expect(text).toContain('timezone "UTC"');
    expect(text).toContain('time.hour');
    const { diagnostics } = checkWorkspace(files);
    expect(diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('decides in Cedar exactly as the model says, on 2,000 requests with a mix of effects', () => {
    const cedar = CedarRunner.prepare(renderCedarPolicies(model), 'engine-workload-test');
    const encoder = new CedarEncoder(model);
    const expected = requests.map((request) => decide(model, request));
    const answers = requests.map((request) => cedar.answer(encoder.encode(request)));
    expect(answers.flatMap((answer) => answer.errors)).toEqual([]);
    const disagreements = requests.flatMap((request, i) => (answers[i]!.decision === expected[i] ? [] : [{ request, cedar: answers[i], model: expected[i] }]));
    expect(disagreements.slice(0, 3)).toEqual([]);
    const allowed = expected.filter((effect) => effect === 'allow').length;
    expect(allowed / requests.length).toBeGreaterThan(0.2);
    expect(allowed / requests.length).toBeLessThan(0.7);
    // Forbids decide a fair share of the denials, not only the default deny.
    expect(answers.filter((answer) => answer.decision === 'deny' && answer.reasons.length > 0).length).toBeGreaterThan(requests.length * 0.1);
  });

  it('has a floor evaluator that agrees with the model', () => {
    const floor = new FloorEvaluator(model);
    const events = toToolCallEvents(requests);
    const disagreements = requests.filter((request, i) => (floor.allows(events[i]!) ? 'allow' : 'deny') !== decide(model, request));
    expect(disagreements.slice(0, 3)).toEqual([]);
  });
});

describe('the engine benchmark replay workload', () => {
  const trace = generateReplayTrace({ events: 3_000, sessions: 30, chunkLines: 1_000 });

  it('has a policy that checks with no diagnostics, with flow, provenance and rate-limit rules', () => {
    const files = replayPolicy();
    const text = [...files.values()].join('\n');
    for (const construct of [' after label untrusted_source', ' from label untrusted_source', 'limit ', ' per agent']) expect(text).toContain(construct);
    const { diagnostics } = checkWorkspace(files);
    expect(diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('writes the same trace for the same seed, in whole-line chunks the JSONL reader reads', () => {
    expect(generateReplayTrace({ events: 3_000, sessions: 30, chunkLines: 1_000 })).toEqual(trace);
    expect(trace.chunks).toHaveLength(3);
    const events = trace.chunks.flatMap((chunk) => {
      const { events: read, diagnostics } = importText(chunk, { file: 'replay.jsonl', format: 'jsonl' });
      expect(diagnostics).toEqual([]);
      return read;
    });
    expect(events).toHaveLength(3_000);
    expect(new Set(events.map((event) => event.session)).size).toBe(30);
    expect(events.every((event, i) => i === 0 || event.time >= events[i - 1]!.time)).toBe(true);
    // Values from untrusted results come back as arguments later.
    const calls = events.filter((event) => event.kind === 'tool_call');
    const results = calls.filter((call) => call.tool === 'read_email' && typeof call.result === 'string' && call.result.includes('Please use ')).map((call) => (call.result as string).split('Please use ')[1]!.split(' ')[0]!);
    expect(calls.some((call) => call.tool === 'send_money' && results.includes(call.args.recipient as string))).toBe(true);
  });
});
