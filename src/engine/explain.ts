// Explanations as data: the deciding rules' conditions with the values they read, the facts
// they used (with the earlier events behind them), and for denials the near misses. The verdict
// (shared by every decision with the same rule outcomes) supplies the rest of the record.

import type { ToolCallEvent } from '../traces/event';
import { DecisionContext, type TracedEntry } from './context';
import type { ConditionResult, Decision, EvaluationError, EventRef, Fact, NearMiss } from './decision';
import { EMPTY, OUTCOME, limitKey, type RulePlan, type SideScratch, type SideVerdict } from './evaluate';
import { renderLocalTime } from './localTime';
import type { CompiledCondition, CompiledRule, EvalContext, Principal } from './program';
import type { RateWindows, SessionState } from './session';
import { ConditionError } from './values';
import type { Verdict } from './verdict';

const NEAR_MISS_LIMIT = 5;

/** One side of a call: the rules that applied to the principal and what they added up to. */
interface Side {
  readonly plan: RulePlan;
  readonly verdict: SideVerdict;
}

/** A side as it was just decided, with the outcome of each rule (only valid until the next call). */
export interface DecidedSide extends Side {
  readonly scratch: SideScratch;
}

export interface DecisionInput {
  readonly event: ToolCallEvent;
  readonly verdict: Verdict;
  /** The agent's side, then the human's when the agent acts for one. */
  readonly sides: readonly DecidedSide[];
  readonly context: DecisionContext;
  readonly rates: RateWindows;
  readonly policyHash: string;
  readonly explain: boolean;
  readonly assumedApproved: boolean | undefined;
}

/** The explanation members of a decision. */
interface Explanation {
  readonly conditions: readonly ConditionResult[];
  readonly nearMisses: readonly NearMiss[];
  readonly facts: readonly Fact[];
}


/**
 * Builds the decision record, before session state advances. When nothing its explanation shows
 * depends on session state (`verdict.later`), the explanation is rendered when first
 * read, from the event, principals and rules, none of which change; otherwise it is rendered now.
 */
export function buildDecision(input: DecisionInput): Decision {
  const { verdict, sides } = input;
  if (!input.explain) return decisionRecord(input, { conditions: EMPTY, nearMisses: EMPTY, facts: delegationFacts(sides, undefined) ?? EMPTY });
  if (verdict.later !== undefined) return new LaterDecision(input) as unknown as Decision;
  const context = input.context;
  const { conditions, traced } = decidingConditions(verdict, sides, context);
  let facts = traced !== undefined && traced.length > 0 ? tracedFacts(traced, context) : undefined;
  facts = stateFacts(input, facts);
  const nearMisses = verdict.effect !== 'allow' ? nearMissesOf(sides, context) : EMPTY;
  return decisionRecord(input, { conditions, nearMisses, facts: delegationFacts(sides, facts) ?? EMPTY });
}

/** The record with its explanation as data. One shape for every decision; the two optional members only when they apply. */
function decisionRecord(input: DecisionInput, explanation: Explanation): Decision {
  const { event, verdict } = input;
  const decision: { -readonly [K in keyof Decision]: Decision[K] } = {
    session: event.session,
    seq: event.seq,
    tool: event.tool,
    effect: verdict.effect,
    deciding: verdict.deciding,
    matching: verdict.matching,
    defaultDeny: verdict.defaultDeny,
    reasons: verdict.reasons,
    conditions: explanation.conditions,
    nearMisses: explanation.nearMisses,
    findings: verdict.findings,
    facts: explanation.facts,
    errors: errorsOf(input.sides),
    policyHash: input.policyHash,
  };
  if (verdict.approver !== undefined) decision.approver = verdict.approver;
  if (input.assumedApproved !== undefined) decision.assumedApproved = input.assumedApproved;
  return decision;
}

/**
 * The same record, members in the same order, with the explanation members that are not empty
 * (`verdict.later` says which) as own enumerable getters that render the explanation on first
 * read: property reads, `Object.keys`, spreads and JSON see the same members and values.
 */
class LaterDecision {
  // What the explanation is rendered from: the event, principals, tool labels and verdicts, none
  // of which change (the session only for its id and start; nothing shown reads its state).
  readonly #event: ToolCallEvent;
  readonly #toolLabels: readonly string[];
  readonly #agent: Principal;
  readonly #human: Principal | undefined;
  readonly #session: SessionState;
  readonly #zone: string;
  readonly #verdict: Verdict;
  readonly #agentPlan: RulePlan;
  readonly #agentVerdict: SideVerdict;
  readonly #humanPlan: RulePlan | undefined;
  readonly #humanVerdict: SideVerdict | undefined;
  #rendered: Explanation | undefined = undefined;

  constructor(input: DecisionInput) {
    const { event, verdict, context, sides } = input;
    this.#event = event;
    // Copied: the engine's context moves on to the next call.
    this.#toolLabels = context.toolLabels;
    this.#agent = context.agent;
    this.#human = context.human;
    this.#session = context.session;
    this.#zone = context.zone;
    this.#verdict = verdict;
    this.#agentPlan = sides[0]!.plan;
    this.#agentVerdict = sides[0]!.verdict;
    this.#humanPlan = sides.length > 1 ? sides[1]!.plan : undefined;
    this.#humanVerdict = sides.length > 1 ? sides[1]!.verdict : undefined;
    const later = verdict.later!;
    const self = this as unknown as { -readonly [K in keyof Decision]: Decision[K] };
    self.session = event.session;
    self.seq = event.seq;
    self.tool = event.tool;
    self.effect = verdict.effect;
    self.deciding = verdict.deciding;
    self.matching = verdict.matching;
    self.defaultDeny = verdict.defaultDeny;
    self.reasons = verdict.reasons;
    if (later.conditions) Object.defineProperty(this, 'conditions', LATER_CONDITIONS);
    else self.conditions = EMPTY;
    if (later.nearMisses) Object.defineProperty(this, 'nearMisses', LATER_NEAR_MISSES);
    else self.nearMisses = EMPTY;
    self.findings = verdict.findings;
    if (later.facts) Object.defineProperty(this, 'facts', LATER_FACTS);
    else self.facts = delegationFacts(sides, undefined) ?? EMPTY;
    self.errors = errorsOf(sides);
    self.policyHash = input.policyHash;
    if (verdict.approver !== undefined) self.approver = verdict.approver;
    if (input.assumedApproved !== undefined) self.assumedApproved = input.assumedApproved;
  }

  /** The explanation, rendered on first read. */
  static explanationOf(decision: LaterDecision): Explanation {
    return (decision.#rendered ??= decision.#render());
  }

  #render(): Explanation {
    const context = new DecisionContext(this.#zone);
    context.reset(this.#event, this.#toolLabels, this.#agent, this.#human, this.#session);
    const sides: Side[] = [{ plan: this.#agentPlan, verdict: this.#agentVerdict }];
    if (this.#humanVerdict !== undefined) sides.push({ plan: this.#humanPlan!, verdict: this.#humanVerdict });
    const { conditions, traced } = decidingConditions(this.#verdict, sides, context);
    const facts = traced !== undefined && traced.length > 0 ? tracedFacts(traced, context) : undefined;
    const nearMisses = this.#verdict.effect !== 'allow' ? nearMissesOf(sides, context) : EMPTY;
    return { conditions, nearMisses, facts: delegationFacts(sides, facts) ?? EMPTY };
  }
}

/** The getters every LaterDecision shares. */
const LATER_CONDITIONS: PropertyDescriptor = {
  get(this: LaterDecision) {
    return LaterDecision.explanationOf(this).conditions;
  },
  enumerable: true,
  configurable: true,
};
const LATER_NEAR_MISSES: PropertyDescriptor = {
  get(this: LaterDecision) {
    return LaterDecision.explanationOf(this).nearMisses;
  },
  enumerable: true,
  configurable: true,
};
const LATER_FACTS: PropertyDescriptor = {
  get(this: LaterDecision) {
    return LaterDecision.explanationOf(this).facts;
  },
  enumerable: true,
  configurable: true,
};

function errorsOf(sides: readonly DecidedSide[]): readonly EvaluationError[] {
  const first = sides[0]!.scratch.errors;
  if (sides.length === 1) return first ?? EMPTY;
  const second = sides[1]!.scratch.errors;
  if (first === undefined) return second ?? EMPTY;
  return second === undefined ? first : first.concat(second);
}

/** The delegation fact (both sides' effects) appended when the agent acts for a human. */
function delegationFacts(sides: readonly Side[], facts: Fact[] | undefined): Fact[] | undefined {
  if (sides.length < 2) return facts;
  const human = sides[1]!;
  (facts ??= []).push({ kind: 'delegation', human: human.plan.principal.id, agentEffect: sides[0]!.verdict.effect, humanEffect: human.verdict.effect });
  return facts;
}

/** The outcomes of the call being decided, when a side still has them. */
function scratchOf(side: Side): SideScratch | undefined {
  return (side as Partial<DecidedSide>).scratch;
}

/**
 * Every condition of the deciding rules, not short-circuited, with the facts they report. With
 * the call's outcomes at hand, a rule that held without error had every condition hold, so only
 * the conditions that report facts run again.
 */
function decidingConditions(verdict: Verdict, sides: readonly Side[], context: DecisionContext): { conditions: readonly ConditionResult[]; traced: readonly TracedEntry[] | undefined } {
  let results: ConditionResult[] | undefined;
  const decidingSides = verdict.decidingSides;
  for (let s = 0; s < decidingSides.length; s++) {
    const side = sides[decidingSides[s]!]!;
    const outcomes = scratchOf(side)?.outcomes;
    const decidingAt = side.verdict.decidingAt;
    for (let i = 0; i < decidingAt.length; i++) {
      const at = decidingAt[i]!;
      const rule = side.plan.rules[at]!;
      if (rule.conditions.length === 0) continue;
      results = evaluateAll(rule, outcomes !== undefined && outcomes[at] !== OUTCOME.error, context, results ?? []);
    }
  }
  const traced = context.traced;
  context.traced = undefined;
  return { conditions: results ?? EMPTY, traced };
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
function runCondition(condition: CompiledCondition, context: EvalContext): ConditionResult {
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

/** Every condition of a rule with the facts each reports; when the rule `held`, only those that report facts run again. */
function evaluateAll(rule: CompiledRule, held: boolean, context: DecisionContext, results: ConditionResult[]): ConditionResult[] {
  context.tracedRule = rule.ref.id;
  context.trace = context.tracer;
  try {
    const conditions = rule.conditions;
    for (let i = 0; i < conditions.length; i++) {
      const condition = conditions[i]!;
      if (!held || condition.reportsFacts) results.push(runCondition(condition, context));
      else results.push(conditionResult(condition, true, condition.observe(context), undefined));
    }
  } finally {
    context.trace = undefined;
  }
  return results;
}

/** The conditions of a rule that were false or errored, from `from` (those before it held). */
function failedConditions(rule: CompiledRule, from: number, context: EvalContext): ConditionResult[] {
  const failed: ConditionResult[] = [];
  const conditions = rule.conditions;
  for (let i = from; i < conditions.length; i++) {
    const result = runCondition(conditions[i]!, context);
    if (result.value !== true) failed.push(result);
  }
  return failed;
}

function tracedFacts(traced: readonly TracedEntry[], context: EvalContext): Fact[] {
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
  const decidingSides = input.verdict.decidingSides;
  for (let s = 0; s < decidingSides.length; s++) {
    const deciding = input.sides[decidingSides[s]!]!.verdict.deciding;
    for (let i = 0; i < deciding.length; i++) {
      const rule = deciding[i]!;
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

/** Up to five permits and grants that covered the call but did not allow, with what failed. */
function nearMissesOf(sides: readonly Side[], context: EvalContext): readonly NearMiss[] {
  let misses: NearMiss[] | undefined;
  for (let s = 0; s < sides.length; s++) {
    const side = sides[s]!;
    const { plan, verdict } = side;
    // Conditions before the first that did not hold held; without the outcomes, all run again.
    const unsettled = scratchOf(side)?.unsettled;
    const refs = plan.principal.side;
    const missedAt = verdict.missedAt;
    for (let i = 0; i < missedAt.length; i++) {
      if (misses !== undefined && misses.length >= NEAR_MISS_LIMIT) return misses;
      const at = missedAt[i]!;
      const rule = plan.rules[at]!;
      const failed = failedConditions(rule, unsettled !== undefined ? unsettled[at]! : 0, context);
      if (rule.grant && failed.length === 0) failed.push(rule.grantClosed!);
      (misses ??= []).push({ rule: rule.refs[refs], failed });
    }
  }
  return misses ?? EMPTY;
}
