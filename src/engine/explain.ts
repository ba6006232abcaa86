// Explanations as data, computed after the effect is known and before session state moves:
// the deciding rules' conditions with the values they read, the facts they used (with the
// earlier events behind them), and for denials the near misses.

import type { ToolCallEvent } from '../traces/event';
import type { ConditionResult, Decision, DecisionEffect, EvaluationError, EventRef, Fact, NearMiss, RuleRef } from './decision';
import { EMPTY, limitKey, type SideOutcome } from './evaluate';
import { renderLocalTime } from './localTime';
import type { CompiledCondition, CompiledRule, EvalContext, Principal, TracedFact } from './program';
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

/** The side's references to its rules (the per-side refs are built at compile time). */
function refsOf(rules: readonly CompiledRule[], side: SideOutcome): readonly RuleRef[] {
  const count = rules.length;
  if (count === 0) return EMPTY;
  const refs = new Array<RuleRef>(count);
  if (side.principal.side === 'agent') for (let i = 0; i < count; i++) refs[i] = rules[i]!.refs.agent;
  else for (let i = 0; i < count; i++) refs[i] = rules[i]!.refs.human;
  return refs;
}

function refsOfSides(sides: readonly SideOutcome[], deciding: boolean): readonly RuleRef[] {
  if (sides.length === 1) return refsOf(deciding ? sides[0]!.deciding : sides[0]!.matching, sides[0]!);
  let refs: RuleRef[] = [];
  for (const side of sides) refs = refs.concat(refsOf(deciding ? side.deciding : side.matching, side));
  return refs.length === 0 ? EMPTY : refs;
}

/** Builds the decision record. */
export function buildDecision(input: DecisionInput): Decision {
  const { event, effect, sides, deciding, context } = input;
  const decidingRefs = refsOfSides(deciding, true);
  const matching = dedupe(refsOfSides(sides, false));
  const defaultDeny = effect === 'deny' && decidingRefs.length === 0;
  let approver: string | undefined;
  if (effect === 'approval') {
    for (let i = 0; i < decidingRefs.length; i++) {
      if (decidingRefs[i]!.approver) {
        approver = decidingRefs[i]!.approver;
        break;
      }
    }
  }
  let facts: Fact[] | undefined;
  let conditions: readonly ConditionResult[] = EMPTY;
  let nearMisses: readonly NearMiss[] = EMPTY;
  if (input.explain) {
    let traced: { rule: string; fact: TracedFact }[] | undefined;
    let results: ConditionResult[] | undefined;
    for (const side of deciding) {
      for (const rule of side.deciding) {
        if (rule.conditions.length === 0) continue;
        traced ??= [];
        results = evaluateAll(rule, context, traced, results ?? []);
      }
    }
    if (results !== undefined) conditions = results;
    if (traced !== undefined && traced.length > 0) facts = tracedFacts(traced, context);
    facts = stateFacts(input, facts);
    if (effect !== 'allow') nearMisses = nearMissesOf(sides, context);
  }
  if (sides.length > 1) {
    const human = sides.find((side) => side.principal.side === 'human');
    if (human) {
      const agent = sides[0]!;
      (facts ??= []).push({ kind: 'delegation', human: human.principal.id, agentEffect: agent.effect, humanEffect: human.effect });
    }
  }
  const reasonList = reasons(decidingRefs, defaultDeny, deciding, event);
  const findings = findingsOf(matching);
  const errors = errorsOf(sides);
  // One shape for every decision; the two optional fields are added only when they apply.
  const decision: { -readonly [K in keyof Decision]: Decision[K] } = {
    session: event.session,
    seq: event.seq,
    tool: event.tool,
    effect,
    deciding: decidingRefs,
    matching,
    defaultDeny,
    reasons: reasonList,
    conditions,
    nearMisses,
    findings,
    facts: facts ?? EMPTY,
    errors,
    policyHash: input.policyHash,
  };
  if (approver !== undefined) decision.approver = approver;
  if (input.assumedApproved !== undefined) decision.assumedApproved = input.assumedApproved;
  return decision;
}

function findingsOf(matching: readonly RuleRef[]): readonly RuleRef[] {
  let found: RuleRef[] | undefined;
  for (let i = 0; i < matching.length; i++) {
    const rule = matching[i]!;
    if (rule.kind === 'monitor') (found ??= []).push(rule);
  }
  return found ?? EMPTY;
}

function errorsOf(sides: readonly SideOutcome[]): readonly EvaluationError[] {
  if (sides.length === 1) return sides[0]!.errors;
  let errors: EvaluationError[] = [];
  for (const side of sides) if (side.errors.length > 0) errors = errors.concat(side.errors);
  return errors.length === 0 ? EMPTY : errors;
}

/** Default-deny reasons per principal and tool, built once. */
const defaultDenyReasons = new WeakMap<Principal, Map<string, string>>();

function defaultDenyReason(principal: Principal, tool: string): string {
  let byTool = defaultDenyReasons.get(principal);
  if (!byTool) defaultDenyReasons.set(principal, (byTool = new Map()));
  let reason = byTool.get(tool);
  if (reason === undefined) {
    reason =
      principal.side === 'agent'
        ? `no rule permits \`${tool}\` for agent \`${principal.id}\`: default deny`
        : `no rule permits \`${tool}\` for \`${principal.id}\`, on whose behalf the agent acts: default deny`;
    if (byTool.size > 10_000) byTool.clear();
    byTool.set(tool, reason);
  }
  return reason;
}

function reasons(deciding: readonly RuleRef[], defaultDeny: boolean, sides: readonly SideOutcome[], event: ToolCallEvent): string[] {
  if (defaultDeny) {
    const list = new Array<string>(sides.length);
    for (let i = 0; i < sides.length; i++) list[i] = defaultDenyReason(sides[i]!.principal, event.tool);
    return list;
  }
  const list: string[] = [];
  for (const side of sides) {
    for (const rule of side.deciding) {
      const reason = rule.reason;
      if (!list.includes(reason)) list.push(reason);
    }
  }
  return list;
}

/** One condition's result, shaped as before: optional members only when present. */
function conditionResult(condition: CompiledCondition, value: boolean | 'error', observed: string | undefined, error: string | undefined): ConditionResult {
  if (error === undefined) {
    if (observed === undefined) return { text: condition.text, span: condition.span, file: condition.file, value };
    return { text: condition.text, span: condition.span, file: condition.file, value, observed };
  }
  if (observed === undefined) return { text: condition.text, span: condition.span, file: condition.file, value, error };
  return { text: condition.text, span: condition.span, file: condition.file, value, observed, error };
}

/** Evaluates one condition, turning an evaluation failure into the `error` value. */
function runCondition(condition: CompiledRule['conditions'][number], context: EvalContext): ConditionResult {
  let value: boolean | 'error';
  let error: string | undefined;
  try {
    value = condition.test(context);
  } catch (caught) {
    if (!(caught instanceof ConditionError)) throw caught;
    value = 'error';
    error = caught.message;
  }
  return conditionResult(condition, value, condition.observe(context), error);
}

/** Every condition of a rule, not short-circuited, with the facts each reports. */
function evaluateAll(rule: CompiledRule, context: EvalContext, traced: { rule: string; fact: TracedFact }[], results: ConditionResult[]): ConditionResult[] {
  const previous = context.trace;
  const id = rule.ref.id;
  context.trace = (fact) => traced.push({ rule: id, fact });
  try {
    for (const condition of rule.conditions) results.push(runCondition(condition, context));
  } finally {
    context.trace = previous;
  }
  return results;
}

/** The conditions of a rule that were false or errored (facts are not collected). */
function failedConditions(rule: CompiledRule, context: EvalContext): ConditionResult[] {
  const failed: ConditionResult[] = [];
  const previous = context.trace;
  context.trace = undefined;
  try {
    for (const condition of rule.conditions) {
      const result = runCondition(condition, context);
      if (result.value !== true) failed.push(result);
    }
  } finally {
    context.trace = previous;
  }
  return failed;
}

function tracedFacts(traced: readonly { rule: string; fact: TracedFact }[], context: EvalContext): Fact[] {
  const facts: Fact[] = [];
  let time = false;
  for (const { rule, fact } of traced) {
    if (fact.kind === 'taint') facts.push({ kind: 'taint', rule, source: fact.source, event: { session: context.event.session, seq: fact.call.seq, tool: fact.call.tool } });
    else if (fact.kind === 'provenance') {
      const origin =
        fact.tool !== undefined
          ? { session: context.event.session, seq: fact.seq, role: 'tool_result' as const, tool: fact.tool }
          : { session: context.event.session, seq: fact.seq, role: 'tool_result' as const };
      facts.push({ kind: 'provenance', rule, argument: fact.argument, value: fact.value, origin });
    } else time = true;
  }
  if (time) facts.push({ kind: 'time', zone: context.zone, local: renderLocalTime(context.local()) });
  return facts;
}

/** Rate windows of deciding limits and the grants that allowed, appended to `facts`. */
function stateFacts(input: DecisionInput, facts: Fact[] | undefined): Fact[] | undefined {
  for (const side of input.deciding) {
    for (const rule of side.deciding) {
      if (rule.limit) {
        const events: readonly EventRef[] = input.rates.inWindow(limitKey(rule, input.event), input.event.time, rule.limit.windowMs);
        (facts ??= []).push({ kind: 'rate', rule: rule.ref.id, limit: rule.limit.count, windowMs: rule.limit.windowMs, events });
      }
      if (rule.grant) {
        const open = input.context.session.grants.get(rule.index);
        (facts ??= []).push(
          open
            ? { kind: 'grant', rule: rule.ref.id, openedBy: open.openedBy, expires: open.expires }
            : { kind: 'grant', rule: rule.ref.id, expires: rule.grant.until ?? input.context.session.started + (rule.grant.durationMs ?? 0) },
        );
      }
    }
  }
  return facts;
}

function nearMissesOf(sides: readonly SideOutcome[], context: EvalContext): readonly NearMiss[] {
  let misses: NearMiss[] | undefined;
  for (const side of sides) {
    const refs = side.principal.side === 'agent' ? 'agent' : 'human';
    for (const rule of side.missed) {
      if (misses !== undefined && misses.length >= NEAR_MISS_LIMIT) return misses;
      const failed = failedConditions(rule, context);
      if (rule.grant && failed.length === 0) {
        failed.push({ text: 'grant', span: rule.ref.span, file: rule.ref.file, value: false, observed: rule.grant.afterApproval ? 'no approval has opened this grant, or it has expired' : 'outside the granted time window' });
      }
      (misses ??= []).push({ rule: rule.refs[refs], failed });
    }
  }
  return misses ?? EMPTY;
}

/** Drops repeated (id, side) references, keeping the first; the list itself when none repeats. */
function dedupe(rules: readonly RuleRef[]): readonly RuleRef[] {
  const count = rules.length;
  if (count < 2) return rules;
  if (count <= 16) {
    let repeated = false;
    outer: for (let i = 1; i < count; i++) {
      const rule = rules[i]!;
      for (let j = 0; j < i; j++) {
        if (rules[j]!.id === rule.id && rules[j]!.side === rule.side) {
          repeated = true;
          break outer;
        }
      }
    }
    if (!repeated) return rules;
  }
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = `${rule.id}\u0000${rule.side}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
