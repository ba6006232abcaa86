// The decision-level verdict: one side's verdict alone, or the agent's and the human's combined
// as an intersection (deny if either denies, approval if either needs it, allow only if both
// allow). It holds every part of a decision that depends only on the sides' verdicts, so it is
// built once per combination and shared by the decisions that reach it.

import type { DecisionEffect, RuleRef } from './decision';
import { frozen, type RulePlan, type SideVerdict } from './evaluate';
import type { CompiledRule, Principal } from './program';

export interface Verdict {
  readonly effect: DecisionEffect;
  /** Which sides decided (0 the agent, 1 the human): those whose effect is the combined one. */
  readonly decidingSides: readonly number[];
  readonly deciding: readonly RuleRef[];
  readonly matching: readonly RuleRef[];
  readonly defaultDeny: boolean;
  /** The approver group of the first deciding approval rule that names one. */
  readonly approver: string | undefined;
  readonly reasons: readonly string[];
  readonly findings: readonly RuleRef[];
  /** Both sides' grants whose conditions hold; a rule that applies to both sides is one object, so once. */
  readonly grantable: readonly CompiledRule[];
  /**
   * When the explanation can be rendered after session state has moved on (no deciding rule is a
   * grant): which of its members can be other than empty. Undefined when it is rendered at once.
   */
  readonly later: LaterMembers | undefined;
  /** The sides it combines: the agent's plan and side verdict, then the human's. */
  readonly plans: readonly RulePlan[];
  readonly sides: readonly SideVerdict[];
}

/** The explanation members of a decision that are rendered on first read. */
export interface LaterMembers {
  readonly conditions: boolean;
  readonly nearMisses: boolean;
  /** Facts reported by the deciding rules' conditions (taint, provenance, the time); delegation is known at once. */
  readonly facts: boolean;
  /** Deciding limits, whose rate facts come from the windows captured when the decision was made. */
  readonly rates: boolean;
}

const COMBINED_CACHE_LIMIT = 1024;
const combined = new WeakMap<SideVerdict, Map<SideVerdict, Verdict>>();

/** Both sides' effect as an intersection: deny if either denies, approval if either needs it, else allow. */
export function worstEffect(agent: DecisionEffect, human: DecisionEffect): DecisionEffect {
  return agent === 'deny' || human === 'deny' ? 'deny' : agent === 'approval' || human === 'approval' ? 'approval' : 'allow';
}

/** The verdict of the agent's side alone (no human), built once per side verdict. */
export function verdictAlone(agentPlan: RulePlan, agent: SideVerdict): Verdict {
  return (agent.alone ??= buildVerdict([agentPlan], [agent], [0], agent.effect));
}

/** The verdict of both sides combined, built once per pair of side verdicts. */
export function verdictCombined(agentPlan: RulePlan, agent: SideVerdict, humanPlan: RulePlan, human: SideVerdict): Verdict {
  let byHuman = combined.get(agent);
  if (byHuman === undefined) combined.set(agent, (byHuman = new Map()));
  let verdict = byHuman.get(human);
  if (verdict === undefined) {
    const worst = worstEffect(agent.effect, human.effect);
    const decidingSides = [agent, human].flatMap((side, index) => (side.effect === worst ? [index] : []));
    verdict = buildVerdict([agentPlan, humanPlan], [agent, human], decidingSides, worst);
    if (byHuman.size >= COMBINED_CACHE_LIMIT) byHuman.clear();
    byHuman.set(human, verdict);
  }
  return verdict;
}

function buildVerdict(plans: readonly RulePlan[], sides: readonly SideVerdict[], decidingSides: readonly number[], effect: DecisionEffect): Verdict {
  const deciding = decidingSides.flatMap((index) => sides[index]!.decidingRefs);
  const matching = dedupe(sides.flatMap((side) => side.matchingRefs));
  const defaultDeny = effect === 'deny' && deciding.length === 0;
  const approver = effect === 'approval' ? deciding.find((rule) => rule.approver)?.approver : undefined;
  const reasons = defaultDeny
    ? decidingSides.map((index) => defaultDenyReason(plans[index]!.principal, plans[index]!.tool))
    : [...new Set(decidingSides.flatMap((index) => sides[index]!.deciding.map((rule) => rule.reason)))];
  return {
    effect,
    decidingSides: frozen([...decidingSides]),
    deciding: frozen(deciding),
    matching: frozen(matching),
    defaultDeny,
    approver,
    reasons: frozen(reasons),
    findings: frozen(matching.filter((rule) => rule.kind === 'monitor')),
    grantable: sides.length === 1 ? sides[0]!.grantable : frozen([...new Set(sides.flatMap((side) => side.grantable))]),
    later: laterMembers(plans, sides, decidingSides, effect),
    plans,
    sides,
  };
}

function laterMembers(plans: readonly RulePlan[], sides: readonly SideVerdict[], decidingSides: readonly number[], effect: DecisionEffect): LaterMembers | undefined {
  const decidingRules = decidingSides.flatMap((index) => sides[index]!.deciding);
  const missedRules = sides.flatMap((side, index) => side.missedAt.map((at) => plans[index]!.rules[at]!));
  // Conditions read the session as of the decision (SessionState), and a limit's window is
  // captured with it; only a deciding grant's facts (which approval opened it) are state that
  // later calls replace.
  if (decidingRules.some((rule) => rule.grant)) return undefined;
  return {
    conditions: decidingRules.some((rule) => rule.conditions.length > 0),
    nearMisses: effect !== 'allow' && missedRules.length > 0,
    facts: decidingRules.some((rule) => rule.conditions.some((condition) => condition.reportsFacts)),
    rates: decidingRules.some((rule) => rule.limit),
  };
}

function defaultDenyReason(principal: Principal, tool: string): string {
  return principal.side === 'agent'
    ? `no rule permits \`${tool}\` for agent \`${principal.id}\`: default deny`
    : `no rule permits \`${tool}\` for \`${principal.id}\`, on whose behalf the agent acts: default deny`;
}

/** Drops repeated (id, side) references, keeping the first. */
function dedupe(rules: readonly RuleRef[]): RuleRef[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = `${rule.id}\u0000${rule.side}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
