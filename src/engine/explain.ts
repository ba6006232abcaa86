// Explanations as data, computed after the effect is known and before session state moves:
// the deciding rules' conditions with the values they read, the facts they used (with the
// earlier events behind them), and for denials the near misses.

import type { ToolCallEvent } from '../traces/event';
import type { ConditionResult, Decision, DecisionEffect, EventRef, Fact, NearMiss, RuleRef } from './decision';
import { limitKey, type SideOutcome } from './evaluate';
import { renderLocalTime } from './localTime';
import type { CompiledRule, EvalContext, TracedFact } from './program';
import type { RateWindows } from './session';
import { ConditionError } from './values';

const NEAR_MISS_LIMIT = 5;

export interface DecisionInput {
  readonly event: ToolCallEvent;
  readonly effect: DecisionEffect;
  readonly sides: readonly SideOutcome[];
  readonly deciding: readonly SideOutcome[];
  readonly context: EvalContext;
  readonly rates: RateWindows;
  readonly policyHash: string;
  readonly explain: boolean;
  readonly assumedApproved: boolean | undefined;
}

function refOf(rule: CompiledRule, side: SideOutcome): RuleRef {
  return { ...rule.ref, side: side.principal.side };
}

/** Builds the decision record. */
export function buildDecision(input: DecisionInput): Decision {
  const { event, effect, sides, deciding, context } = input;
  const decidingRefs = deciding.flatMap((side) => side.deciding.map((rule) => refOf(rule, side)));
  const matching = dedupe(sides.flatMap((side) => side.matching.map((rule) => refOf(rule, side))));
  const defaultDeny = effect === 'deny' && decidingRefs.length === 0;
  const approver = effect === 'approval' ? decidingRefs.find((rule) => rule.approver)?.approver : undefined;
  const facts: Fact[] = [];
  let conditions: ConditionResult[] = [];
  let nearMisses: NearMiss[] = [];
  if (input.explain) {
    const traced: { rule: string; fact: TracedFact }[] = [];
    for (const side of deciding) {
      for (const rule of side.deciding) conditions = conditions.concat(evaluateAll(rule, context, traced));
    }
    facts.push(...tracedFacts(traced, context));
    facts.push(...stateFacts(input));
    if (effect !== 'allow') nearMisses = nearMissesOf(sides, context);
  }
  const human = sides.find((side) => side.principal.side === 'human');
  if (human) {
    const agent = sides[0]!;
    facts.push({ kind: 'delegation', human: human.principal.id, agentEffect: agent.effect, humanEffect: human.effect });
  }
  return {
    session: event.session,
    seq: event.seq,
    tool: event.tool,
    effect,
    ...(approver !== undefined ? { approver } : {}),
    deciding: decidingRefs,
    matching,
    defaultDeny,
    reasons: reasons(decidingRefs, defaultDeny, deciding, event),
    conditions,
    nearMisses,
    findings: matching.filter((rule) => rule.kind === 'monitor'),
    facts,
    errors: sides.flatMap((side) => side.errors),
    ...(input.assumedApproved !== undefined ? { assumedApproved: input.assumedApproved } : {}),
    policyHash: input.policyHash,
  };
}

function reasons(deciding: readonly RuleRef[], defaultDeny: boolean, sides: readonly SideOutcome[], event: ToolCallEvent): string[] {
  if (defaultDeny) {
    return sides.map((side) =>
      side.principal.side === 'agent'
        ? `no rule permits \`${event.tool}\` for agent \`${side.principal.id}\`: default deny`
        : `no rule permits \`${event.tool}\` for \`${side.principal.id}\`, on whose behalf the agent acts: default deny`,
    );
  }
  return [...new Set(deciding.map((rule) => rule.because ?? `${rule.kind} rule \`${rule.id}\``))];
}

/** Every condition of a rule, not short-circuited, with the facts each reports. */
function evaluateAll(rule: CompiledRule, context: EvalContext, traced: { rule: string; fact: TracedFact }[]): ConditionResult[] {
  const results: ConditionResult[] = [];
  const previous = context.trace;
  context.trace = (fact) => traced.push({ rule: rule.ref.id, fact });
  try {
    for (const condition of rule.conditions) {
      let value: boolean | 'error';
      let error: string | undefined;
      try {
        value = condition.test(context);
      } catch (caught) {
        if (!(caught instanceof ConditionError)) throw caught;
        value = 'error';
        error = caught.message;
      }
      const observed = condition.observe(context);
      results.push({ text: condition.text, span: condition.span, file: condition.file, value, ...(observed !== undefined ? { observed } : {}), ...(error !== undefined ? { error } : {}) });
    }
  } finally {
    context.trace = previous;
  }
  return results;
}

function tracedFacts(traced: readonly { rule: string; fact: TracedFact }[], context: EvalContext): Fact[] {
  const facts: Fact[] = [];
  let time = false;
  for (const { rule, fact } of traced) {
    if (fact.kind === 'taint') facts.push({ kind: 'taint', rule, source: fact.source, event: { session: context.event.session, seq: fact.call.seq, tool: fact.call.tool } });
    else if (fact.kind === 'provenance') {
      const origin = { session: context.event.session, seq: fact.seq, role: 'tool_result' as const, ...(fact.tool !== undefined ? { tool: fact.tool } : {}) };
      facts.push({ kind: 'provenance', rule, argument: fact.argument, value: fact.value, origin });
    } else time = true;
  }
  if (time) facts.push({ kind: 'time', zone: context.zone, local: renderLocalTime(context.local()) });
  return facts;
}

/** Rate windows of deciding limits and the grants that allowed. */
function stateFacts(input: DecisionInput): Fact[] {
  const facts: Fact[] = [];
  for (const side of input.deciding) {
    for (const rule of side.deciding) {
      if (rule.limit) {
        const events: readonly EventRef[] = input.rates.inWindow(limitKey(rule, input.event), input.event.time, rule.limit.windowMs);
        facts.push({ kind: 'rate', rule: rule.ref.id, limit: rule.limit.count, windowMs: rule.limit.windowMs, events });
      }
      if (rule.grant) {
        const open = input.context.session.grants.get(rule.index);
        facts.push({ kind: 'grant', rule: rule.ref.id, ...(open ? { openedBy: open.openedBy, expires: open.expires } : { expires: rule.grant.until ?? input.context.session.started + (rule.grant.durationMs ?? 0) }) });
      }
    }
  }
  return facts;
}

function nearMissesOf(sides: readonly SideOutcome[], context: EvalContext): NearMiss[] {
  const misses: NearMiss[] = [];
  for (const side of sides) {
    for (const rule of side.missed) {
      if (misses.length >= NEAR_MISS_LIMIT) return misses;
      const failed = evaluateAll(rule, context, []).filter((result) => result.value !== true);
      if (rule.grant && failed.length === 0) {
        failed.push({ text: 'grant', span: rule.ref.span, file: rule.ref.file, value: false, observed: rule.grant.afterApproval ? 'no approval has opened this grant, or it has expired' : 'outside the granted time window' });
      }
      misses.push({ rule: refOf(rule, side), failed });
    }
  }
  return misses;
}

function dedupe(rules: readonly RuleRef[]): RuleRef[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = `${rule.id}\u0000${rule.side}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
