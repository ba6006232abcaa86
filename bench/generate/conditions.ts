// Generated `when` conditions: comparisons of arguments, identities, time, context and session,
// with globs, `in` sets and provenance. Each path appears at most once per condition, so no two
// bounds can contradict (the checker would rightly call that impossible).

import type { Random } from '../random';
import type { ArgSpec, ToolSpec } from './catalogModel';
import type { Vocabulary } from './vocabulary';

const DOMAINS_WRITTEN = ['*@corp.example', '*.corp.example', '*@partner.example'];
const STRING_VALUES = ['main', 'prod', 'finance', 'ops', 'q3-review', 'GB29NWBK60161331926819', 'eu-archive'];

/** A comparison on one argument, by its type. */
function argumentTerm(arg: ArgSpec, rng: Random, vocabulary: Vocabulary): string {
  const path = `args.${arg.name}`;
  switch (arg.type.kind) {
    case 'string':
      switch (rng.int(0, 5)) {
        case 0: return `${path} == ${JSON.stringify(rng.pick(STRING_VALUES))}`;
        case 1: return `${path} ~ ${JSON.stringify(rng.pick(DOMAINS_WRITTEN))}`;
        case 2: return `${path} !~ ${rng.pick(vocabulary.patternSets)}`;
        case 3: return `${path} in ${rng.pick(vocabulary.valueSets)}`;
        case 4: return `${path} from label ${rng.pick(vocabulary.sourceLabels)}`;
        default: return `${path} != ""`;
      }
    case 'number': {
      const low = rng.int(1, 50) * 100;
      return rng.chance(0.5) ? `${path} > ${rng.int(1, 100) * 500}` : `${path} >= ${low} and ${path} < ${low * rng.int(2, 20)}`;
    }
    case 'int':
      return rng.chance(0.5) ? `${path} > ${rng.int(1, 200)}` : `${path} <= ${rng.int(1, 1000)}`;
    case 'enum': {
      const values = arg.type.values!;
      if (rng.chance(0.5)) return `${path} ${rng.pick(['==', '!='])} ${JSON.stringify(rng.pick(values))}`;
      return `${path} in [${rng.sample(values, rng.int(1, Math.min(3, values.length))).map((value) => JSON.stringify(value)).join(', ')}]`;
    }
    case 'bool':
      return rng.chance(0.5) ? `${path} == ${rng.pick(['true', 'false'])}` : `not ${path}`;
    case 'strings':
      return rng.chance(0.5) ? `${path} ~ ${JSON.stringify(rng.pick(DOMAINS_WRITTEN))}` : `${JSON.stringify(rng.pick(STRING_VALUES))} in ${path}`;
    case 'object':
    case 'any':
      return `${path} != null`;
  }
}

/** Terms that do not depend on the selected tools, keyed by the path they read. */
function environmentTerms(rng: Random, vocabulary: Vocabulary): [string, string][] {
  const role = rng.pick(vocabulary.roles);
  return [
    ['agent.tier', rng.chance(0.5) ? `agent.tier == "${rng.pick(['high', 'critical'])}"` : 'agent.tier in ["high", "critical"]'],
    ['agent.roles', rng.chance(0.5) ? `"${role}" in agent.roles` : `agent.roles in ["${role}"]`],
    ['agent.owner', 'agent.owner ~ "*@corp.example"'],
    ['human.id', `human.id == "${rng.pick(vocabulary.humans)}"`],
    ['time.hour', rng.chance(0.5) ? `time.hour < ${rng.int(5, 8)}` : `time.hour >= ${rng.int(18, 22)}`],
    ['time.weekday', rng.chance(0.5) ? 'time.weekday in ["sat", "sun"]' : `time.weekday == "${rng.pick(['mon', 'fri'])}"`],
    ['context.environment', `context.environment == "${rng.pick(['prod', 'staging'])}"`],
    ['context.incident', 'context.incident == true'],
    ['context.risk_score', `context.risk_score > ${rng.int(50, 90)}`],
    ['context.freeze', 'context.freeze != null'],
    ['context.region', 'context.region in blocked_regions'],
    ['session.calls', `session.calls > ${rng.int(20, 200)}`],
    ['tool.name', `tool.name ~ "*_${rng.pick(['delete', 'export', 'send'])}_*"`],
    ['tool.labels', `"${rng.pick(vocabulary.labels)}" in tool.labels`],
  ];
}

/** A condition of one to three terms over distinct paths, joined with `and`, `or`, `not`. */
export function generateCondition(rng: Random, tools: readonly ToolSpec[], vocabulary: Vocabulary): string {
  const args = new Map<string, ArgSpec>();
  for (const tool of tools) for (const arg of tool.args) if (!args.has(arg.name)) args.set(arg.name, arg);
  const candidates = environmentTerms(rng, vocabulary);
  const terms: string[] = [];
  if (args.size > 0 && rng.chance(0.75)) terms.push(argumentTerm(rng.pick([...args.values()]), rng, vocabulary));
  for (const [, term] of rng.sample(candidates, rng.int(terms.length > 0 ? 0 : 1, 2))) terms.push(term);
  return combine(terms, rng);
}

function combine(terms: readonly string[], rng: Random): string {
  const [a, b, c] = terms.map((term) => (/ (and|or) /.test(term) ? `(${term})` : term));
  if (b === undefined) return terms[0]!;
  if (c === undefined) return rng.pick([`${a} and ${b}`, `${a} or ${b}`, `${a} and not (${terms[1]})`]);
  return rng.pick([`${a} and ${b} and ${c}`, `${a} and (${b} or ${c})`, `(${a} or ${b}) and ${c}`]);
}
