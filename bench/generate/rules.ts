// Generated rules of every kind (permit, forbid, require approval, monitor, limit, grant) with
// tool, list, glob, label and `any tool` targets, principals, conditions, taint (`after`),
// provenance (`from`), ids and reasons, laid out the way people format policies.

import type { Random } from '../random';
import { generateCondition } from './conditions';
import type { ToolSpec } from './catalogModel';
import { toolsLabelled, toolsMatching, type Vocabulary } from './vocabulary';

/** A generated rule: its lines, and a plain description of it for the JSON baseline. */
export interface GeneratedRule {
  readonly lines: readonly string[];
  readonly id: string | undefined;
  readonly record: Readonly<Record<string, unknown>>;
}

interface Target {
  readonly text: string;
  readonly tools: readonly ToolSpec[];
}

const REASONS = [
  'money only moves with a human in the loop',
  'personal data stays inside the company',
  'destructive changes need a second pair of eyes',
  'content from outside may carry injected instructions',
  'bulk reads look like scraping',
  'production is frozen during incidents',
  'night-time activity is unusual for this agent',
  'this agent validates, it never acts',
];
const WINDOWS = ['1m', '5m', '15m', '1h', '1d'];

/** Picks what a rule in a policy about `domain` applies to. */
function generateTarget(rng: Random, domain: string, vocabulary: Vocabulary, allowAny: boolean): Target {
  const own = vocabulary.toolsByDomain.get(domain)!;
  const roll = rng.next();
  if (roll < 0.4) {
    const tool = rng.pick(own);
    return { text: `tool ${tool.name}`, tools: [tool] };
  }
  if (roll < 0.6 && own.length > 1) {
    const tools = rng.sample(own, rng.int(2, Math.min(3, own.length)));
    return { text: `tool [${tools.map((tool) => tool.name).join(', ')}]`, tools };
  }
  if (roll < 0.8) {
    const tool = rng.pick(own);
    const pattern = rng.chance(0.7) ? `${tool.domain}_${tool.verb}_*` : `*_${tool.noun}`;
    return { text: `tool ${pattern}`, tools: toolsMatching(pattern, vocabulary.tools) };
  }
  if (roll < 0.95 || !allowAny) {
    const labels = rng.sample(vocabulary.labels, rng.chance(0.7) ? 1 : 2);
    return { text: labels.length === 1 ? `label ${labels[0]}` : `label [${labels.join(', ')}]`, tools: toolsLabelled(labels, vocabulary.tools) };
  }
  return { text: 'any tool', tools: [] };
}

type PrincipalKind = 'agent' | 'role' | 'tier' | 'human';

function generatePrincipal(rng: Random, kind: PrincipalKind, domain: string, vocabulary: Vocabulary): string {
  switch (kind) {
    case 'agent': {
      const agents = vocabulary.agents.filter((agent) => agent.domain === domain);
      return `agent ${rng.pick(agents.length > 0 ? agents : vocabulary.agents).written}`;
    }
    case 'role': {
      const roles = vocabulary.rolesByDomain.get(domain) ?? vocabulary.roles;
      return rng.chance(0.8) ? `role ${rng.pick(roles)}` : `role [${rng.sample(roles, 2).join(', ')}]`;
    }
    case 'tier':
      return rng.chance(0.5) ? `tier ${rng.pick(['high', 'critical'])}` : 'tier [high, critical]';
    case 'human':
      return `human ${rng.pick(vocabulary.humans)}`;
  }
}

/** Lays out a head and its clauses: one line when short, else one clause per line. */
function layout(head: string, clauses: readonly string[]): string[] {
  const oneLine = [head, ...clauses].join(' ');
  return oneLine.length <= 100 ? [oneLine] : [head, ...clauses.map((clause) => `  ${clause}`)];
}

function tail(rng: Random, id: string, idChance: number): { clauses: string[]; id: string | undefined; because: string | undefined } {
  const withId = rng.chance(idChance) ? id : undefined;
  const because = rng.chance(0.4) ? rng.pick(REASONS) : undefined;
  return { clauses: [...(withId ? [`id ${withId}`] : []), ...(because ? [`because ${JSON.stringify(because)}`] : [])], id: withId, because };
}

/**
 * One rule for a policy about `domain`. Unconditional forbids always name an agent and permits
 * never do, so no permit is shadowed by a forbid that always wins.
 */
export function generateRule(rng: Random, domain: string, vocabulary: Vocabulary, id: string): GeneratedRule {
  const roll = rng.next();
  if (roll < 0.25) return generateEffectRule(rng, 'permit', domain, vocabulary, id);
  if (roll < 0.5) return generateEffectRule(rng, 'forbid', domain, vocabulary, id);
  if (roll < 0.65) return generateEffectRule(rng, 'approval', domain, vocabulary, id);
  if (roll < 0.75) return generateEffectRule(rng, 'monitor', domain, vocabulary, id);
  if (roll < 0.9) return generateLimit(rng, domain, vocabulary, id);
  return generateGrant(rng, domain, vocabulary, id);
}

function generateEffectRule(rng: Random, effect: 'permit' | 'forbid' | 'approval' | 'monitor', domain: string, vocabulary: Vocabulary, id: string): GeneratedRule {
  const target = generateTarget(rng, domain, vocabulary, effect === 'monitor');
  const unconditionalForbid = effect === 'forbid' && rng.chance(0.15);
  const principalKinds: PrincipalKind[] = effect === 'forbid' ? ['agent', 'role', 'tier'] : ['role', 'tier', 'human'];
  const principal = unconditionalForbid ? generatePrincipal(rng, 'agent', domain, vocabulary) : rng.chance(0.5) ? generatePrincipal(rng, rng.pick(principalKinds), domain, vocabulary) : undefined;
  const when = unconditionalForbid || (effect !== 'forbid' && rng.chance(0.25)) ? undefined : generateCondition(rng, target.tools, vocabulary);
  const after = !unconditionalForbid && effect !== 'permit' && rng.chance(0.15) ? `after label ${rng.pick(vocabulary.sourceLabels)}${rng.chance(0.6) ? ` within ${rng.pick(['10m', '30m', '1h'])}` : ''}` : undefined;
  const { clauses, id: ruleId, because } = tail(rng, id, 0.6);
  const head = effect === 'approval' ? `require approval by ${domain}-approvers for ${target.text}` : `${effect} ${target.text}`;
  const all = [...(principal ? [`for ${principal}`] : []), ...(when ? [`when ${when}`] : []), ...(after ? [after] : []), ...clauses];
  return { lines: layout(head, all), id: ruleId, record: { kind: 'rule', effect, target: target.text, principal, when, after, id: ruleId, because } };
}

function generateLimit(rng: Random, domain: string, vocabulary: Vocabulary, id: string): GeneratedRule {
  const target = generateTarget(rng, domain, vocabulary, false);
  const count = rng.pick([3, 5, 10, 20, 50, 100, 1000]);
  const window = rng.pick(WINDOWS);
  const per = rng.sample(['agent', 'session', 'tool', 'human'], rng.int(0, 2)).map((key) => `per ${key}`);
  const principal = rng.chance(0.3) ? `for ${generatePrincipal(rng, rng.pick(['role', 'tier', 'agent'] as const), domain, vocabulary)}` : undefined;
  const when = rng.chance(0.3) ? generateCondition(rng, target.tools, vocabulary) : undefined;
  const { clauses, id: ruleId, because } = tail(rng, id, 0.7);
  const head = `limit ${target.text} to ${count} per ${window}${per.length > 0 ? ` ${per.join(' ')}` : ''}`;
  const all = [...(principal ? [principal] : []), ...(when ? [`when ${when}`] : []), ...clauses];
  return { lines: layout(head, all), id: ruleId, record: { kind: 'limit', target: target.text, count, window, per, principal, when, id: ruleId, because } };
}

function generateGrant(rng: Random, domain: string, vocabulary: Vocabulary, id: string): GeneratedRule {
  const target = generateTarget(rng, domain, vocabulary, false);
  const principal = generatePrincipal(rng, rng.pick(['agent', 'role', 'human'] as const), domain, vocabulary);
  const day = String(rng.int(1, 28)).padStart(2, '0');
  const period = rng.chance(0.7)
    ? `for ${rng.pick(['15m', '30m', '1h', '4h'])}${rng.chance(0.7) ? ' after approval' : ''}`
    : `from "2026-07-${day}T08:00:00Z" until "2026-07-${day}T18:00:00+02:00"`;
  const when = rng.chance(0.3) ? generateCondition(rng, target.tools, vocabulary) : undefined;
  const { clauses, id: ruleId, because } = tail(rng, id, 0.6);
  const head = `grant ${target.text} to ${principal} ${period}`;
  const all = [...(when ? [`when ${when}`] : []), ...clauses];
  return { lines: layout(head, all), id: ruleId, record: { kind: 'grant', target: target.text, principal, period, when, id: ruleId, because } };
}
