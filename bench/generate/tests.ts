// Generated `test` blocks: a caller, a session, a time, sometimes context and a user request,
// and calls with well-typed arguments that expect a decision, often naming the deciding rule.

import type { Random } from '../random';
import type { ArgSpec, ToolSpec } from './catalogModel';
import type { Vocabulary } from './vocabulary';

export interface GeneratedTest {
  readonly lines: readonly string[];
  readonly record: Readonly<Record<string, unknown>>;
}

/** A literal of the argument's type. */
function valueFor(arg: ArgSpec, rng: Random): string {
  switch (arg.type.kind) {
    case 'string': return JSON.stringify(rng.pick(['GB29NWBK60161331926819', 'ops@corp.example', 'q3 numbers', 'r-2026-07', '/exports/run.csv']));
    case 'number': return String(rng.int(1, 2000) * 25);
    case 'int': return String(rng.int(1, 500));
    case 'enum': return JSON.stringify(rng.pick(arg.type.values!));
    case 'bool': return rng.pick(['true', 'false']);
    case 'strings': return `[${JSON.stringify('ops@corp.example')}, ${JSON.stringify('finance')}]`;
    case 'object': return '{ source: "bench", version: 2 }';
    case 'any': return '"payload"';
  }
}

function call(tool: ToolSpec, rng: Random, ruleIds: readonly string[], domain: string, hour: number): { line: string; record: Record<string, unknown> } {
  const args = tool.args.filter((arg) => !arg.optional || rng.chance(0.3));
  const object = args.length > 0 ? ` { ${args.map((arg) => `${arg.name}: ${valueFor(arg, rng)}`).join(', ')} }` : ' { }';
  const effect = rng.pick(['allow', 'deny', 'approval'] as const);
  const by = effect === 'approval' && rng.chance(0.5) ? ` by ${domain}-approvers` : '';
  const rule = ruleIds.length > 0 && rng.chance(0.4) ? ` rule ${rng.pick(ruleIds)}` : '';
  const at = rng.chance(0.3) ? ` at "2026-07-01T${String(hour).padStart(2, '0')}:${String(rng.int(10, 59))}:00Z"` : '';
  const result = rng.chance(0.2) ? ` result ${JSON.stringify('ok: 3 records')}` : '';
  return { line: `  call ${tool.name}${object}${at}${result} expect ${effect}${by}${rule}`, record: { tool: tool.name, args: args.map((arg) => arg.name), expect: effect, rule: rule.trim() || undefined } };
}

/** One test about the tools of `domain`; `ruleIds` are ids the test may expect. */
export function generateTest(rng: Random, name: string, domain: string, vocabulary: Vocabulary, ruleIds: readonly string[]): GeneratedTest {
  const agents = vocabulary.agents.filter((agent) => agent.domain === domain);
  const agent = rng.pick(agents.length > 0 ? agents : vocabulary.agents);
  const hour = rng.int(6, 20);
  const lines = [`test ${JSON.stringify(name)} {`, `  agent ${agent.written}`];
  if (rng.chance(0.3)) lines.push(`  on_behalf_of ${rng.pick(vocabulary.humans)}`);
  lines.push(`  session "s-${rng.int(1000, 9999)}"`, `  at "2026-07-0${rng.int(1, 9)}T${String(hour).padStart(2, '0')}:00:00Z"`);
  if (rng.chance(0.3)) lines.push(`  context { environment: "${rng.pick(['prod', 'staging', 'dev'])}", region: "eu", incident: false, risk_score: ${rng.int(0, 100)} }`);
  if (rng.chance(0.3)) lines.push(`  approvals ${rng.pick(['approve', 'reject'])}`);
  if (rng.chance(0.3)) lines.push(`  user ${JSON.stringify('Please prepare the monthly numbers and send them to finance')}`);
  const calls = [];
  const tools = vocabulary.toolsByDomain.get(domain)!;
  for (let i = rng.int(1, 4); i > 0; i--) {
    const made = call(rng.pick(tools), rng, ruleIds, domain, hour);
    lines.push(made.line);
    calls.push(made.record);
  }
  lines.push('}');
  return { lines, record: { kind: 'test', name, agent: agent.name, calls } };
}
