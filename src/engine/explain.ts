// Explanations as data: the deciding rules' conditions with the values they read, the facts
// they used (with the earlier events behind them), and for denials the near misses. The verdict
// (shared by every decision with the same rule outcomes) supplies the rest of the record.

import type { ToolCallEvent } from '../traces/event';
import { DecisionContext, type TracedEntry } from './context';
import type { ConditionResult, Decision, DecisionEffect, EvaluationError, EventRef, Fact, NearMiss, RuleRef } from './decision';
import { EMPTY, OUTCOME, signatureVerdict, type RulePlan, type SideScratch, type SideVerdict } from './evaluate';
import { renderLocalTime } from './localTime';
import type { CompiledCondition, CompiledRule, DecisionProgram, EvalContext } from './program';
import { windowEvents, type RateWindows, type SessionState, type WindowView } from './session';
import { ConditionError } from './values';
import { verdictAlone, verdictCombined, type Verdict } from './verdict';

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
  readonly setting: DecisionSetting;
  readonly assumedApproved: boolean | undefined;
}

/** The explanation members of a decision. */
interface Explanation {
  readonly conditions: readonly ConditionResult[];
  readonly nearMisses: readonly NearMiss[];
  readonly facts: readonly Fact[];
}


/**
 * Builds the decision record from a verdict, before session state advances. When the verdict
 * allows it (`verdict.later`: no grant decided), the explanation is rendered when first read, from
 * the event, principals and rules, none of which change, and the session as of the decision; otherwise
 * it is rendered now.
 */
export function buildDecision(input: DecisionInput): Decision {
  const { verdict, sides } = input;
  if (!input.setting.explain) return DecisionRecord.settled(input, { conditions: EMPTY, nearMisses: EMPTY, facts: delegationFacts(sides, undefined) ?? EMPTY });
  if (verdict.later !== undefined) return DecisionRecord.settled(input, undefined);
  const context = input.context;
  const { conditions, traced } = decidingConditions(verdict, sides, context);
  let facts = traced !== undefined && traced.length > 0 ? tracedFacts(traced, context) : undefined;
  facts = stateFacts(input, facts);
  const nearMisses = verdict.effect !== 'allow' ? nearMissesOf(sides, context) : EMPTY;
  return DecisionRecord.settled(input, { conditions, nearMisses, facts: delegationFacts(sides, facts) ?? EMPTY });
}

/** One side as evaluateSide left it, for a decision whose verdict is built when first read. */
export interface EvaluatedSide {
  readonly plan: RulePlan;
  readonly scratch: SideScratch;
}

/** What every decision of one engine shares: the program, and whether it explains. */
export interface DecisionSetting {
  readonly program: DecisionProgram;
  readonly explain: boolean;
}

/**
 * What of the session a decision saw, for an explanation rendered after it has moved on: its
 * calls and texts so far (conditions read the session as of them), and the windows of the
 * deciding limits.
 */
interface SessionSnapshot {
  readonly callsAsOf: number;
  readonly textsAsOf: number;
  readonly windows: readonly WindowView[];
}

/** The session as a decision made now sees it. */
function snapshotOf(session: SessionState, windows: readonly WindowView[]): SessionSnapshot {
  return { callsAsOf: session.calls, textsAsOf: session.textCount, windows };
}

/**
 * The windows of a verdict's deciding limits as the call about to be decided sees them, for an
 * explanation rendered after they have moved on (with the session's calls and texts so far,
 * which the decision records: conditions read the session as of them).
 */
export function windowsFor(verdict: Verdict, event: ToolCallEvent, rates: RateWindows): readonly WindowView[] {
  let windows: WindowView[] | undefined;
  if (verdict.later?.rates) {
    for (const index of verdict.decidingSides) {
      for (const rule of verdict.sides[index]!.deciding) {
        if (rule.limit) (windows ??= []).push(rates.window(rule, event).view(event.time, rule.limit.windowMs));
      }
    }
  }
  return windows ?? EMPTY;
}

/**
 * A decision whose explanation can be rendered later (its plans are deferrable, or its verdict
 * says so): its effect and errors now; its verdict (deciding and matching rules, reasons) from
 * the sides' signatures, and its explanation from the event, the rules and the session as it is
 * now, when first read. `windows` (those of the deciding limits, windowsFor) is given when the
 * plans read session state: the decision then records how many calls and texts the session holds.
 */
export function deferredDecision(event: ToolCallEvent, session: SessionState, setting: DecisionSetting, effect: DecisionEffect, assumedApproved: boolean | undefined, agent: EvaluatedSide, human: EvaluatedSide | undefined, windows?: readonly WindowView[]): Decision {
  const agentErrors = agent.scratch.errors;
  const asOf = windows === undefined ? undefined : snapshotOf(session, windows);
  if (human === undefined) return new DecisionRecord(event, session, setting, effect, agentErrors ?? EMPTY, assumedApproved, agent.plan, agent.scratch.signature, undefined, asOf);
  const humanErrors = human.scratch.errors;
  const errors = humanErrors === undefined ? (agentErrors ?? EMPTY) : agentErrors === undefined ? humanErrors : agentErrors.concat(humanErrors);
  return new DecisionRecord(event, session, setting, effect, errors, assumedApproved, agent.plan, agent.scratch.signature, { plan: human.plan, signature: human.scratch.signature }, asOf);
}

/**
 * A decision. Its effect, errors and identity are own data properties; its verdict's members
 * (deciding and matching rules, reasons, findings, approver) and its explanation (`conditions`,
 * `nearMisses`, `facts`) are getters of the class, over a verdict shared by every decision that
 * reached it and an explanation rendered on first read, from the session as the decision saw it
 * (at once only when a grant decided). One class for every decision, so reading one is as cheap
 * as reading a plain object; `toJSON` (and so `JSON.stringify`) and `decisionData` give the
 * whole record as plain data.
 */
class DecisionRecord implements Decision {
  readonly session: string;
  readonly seq: number;
  readonly tool: string;
  readonly effect: DecisionEffect;
  readonly errors: readonly EvaluationError[];
  declare readonly assumedApproved?: boolean;
  readonly policyHash: string;
  // What the verdict and explanation are built from: the event, the sides' plans (principals,
  // tool labels, rules) and signatures, none of which change, and the session only for its id
  // and start; then what was built.
  readonly #event: ToolCallEvent;
  readonly #session: SessionState;
  readonly #setting: DecisionSetting;
  readonly #agentPlan: RulePlan;
  readonly #agentSignature: number;
  readonly #human: { readonly plan: RulePlan; readonly signature: number } | undefined;
  /** What of the session the explanation reads (undefined: the plans read none of it). */
  readonly #asOf: SessionSnapshot | undefined;
  #verdict: Verdict | undefined;
  #explanation: Explanation | undefined;

  constructor(
    event: ToolCallEvent,
    session: SessionState,
    setting: DecisionSetting,
    effect: DecisionEffect,
    errors: readonly EvaluationError[],
    assumedApproved: boolean | undefined,
    agentPlan: RulePlan,
    agentSignature: number,
    human: { readonly plan: RulePlan; readonly signature: number } | undefined,
    asOf: SessionSnapshot | undefined,
    verdict?: Verdict,
    explanation?: Explanation,
  ) {
    this.session = event.session;
    this.seq = event.seq;
    this.tool = event.tool;
    this.effect = effect;
    this.errors = errors;
    if (assumedApproved !== undefined) (this as { assumedApproved?: boolean }).assumedApproved = assumedApproved;
    this.policyHash = setting.program.policyHash;
    this.#event = event;
    this.#session = session;
    this.#setting = setting;
    this.#agentPlan = agentPlan;
    this.#agentSignature = agentSignature;
    this.#human = human;
    this.#asOf = asOf;
    this.#verdict = verdict;
    this.#explanation = explanation;
  }

  /** A decision whose verdict is known, and its explanation when rendered now. */
  static settled(input: DecisionInput, explanation: Explanation | undefined): DecisionRecord {
    const { event, verdict, sides } = input;
    const human = sides.length > 1 ? sides[1]! : undefined;
    const asOf = explanation === undefined ? snapshotOf(input.context.session, windowsFor(verdict, event, input.rates)) : undefined;
    return new DecisionRecord(event, input.context.session, input.setting, verdict.effect, errorsOf(sides), input.assumedApproved, sides[0]!.plan, -1, human ? { plan: human.plan, signature: -1 } : undefined, asOf, verdict, explanation);
  }

  get approver(): string | undefined {
    return this.#verdictOf().approver;
  }

  get deciding(): readonly RuleRef[] {
    return this.#verdictOf().deciding;
  }

  get matching(): readonly RuleRef[] {
    return this.#verdictOf().matching;
  }

  get defaultDeny(): boolean {
    return this.#verdictOf().defaultDeny;
  }

  get reasons(): readonly string[] {
    return this.#verdictOf().reasons;
  }

  get findings(): readonly RuleRef[] {
    return this.#verdictOf().findings;
  }

  get conditions(): readonly ConditionResult[] {
    return this.#explained().conditions;
  }

  get nearMisses(): readonly NearMiss[] {
    return this.#explained().nearMisses;
  }

  get facts(): readonly Fact[] {
    return this.#explained().facts;
  }

  /** The plain record, members in the order of the Decision type. */
  toJSON(): Decision {
    return decisionData(this);
  }

  /** The verdict, built from the signatures on first read (shared with every decision that reached it). */
  #verdictOf(): Verdict {
    if (this.#verdict !== undefined) return this.#verdict;
    const agentPlan = this.#agentPlan;
    const agent = signatureVerdict(agentPlan, this.#agentSignature);
    const human = this.#human;
    return (this.#verdict = human === undefined ? verdictAlone(agentPlan, agent) : verdictCombined(agentPlan, agent, human.plan, signatureVerdict(human.plan, human.signature)));
  }

  #explained(): Explanation {
    return (this.#explanation ??= this.#render(this.#verdictOf()));
  }

  #render(verdict: Verdict): Explanation {
    const sides: Side[] = verdict.plans.map((plan, i) => ({ plan, verdict: verdict.sides[i]! }));
    const agentPlan = verdict.plans[0]!;
    const humanPlan = verdict.plans[1];
    const later = this.#setting.explain ? verdict.later : undefined;
    if (later === undefined) return { conditions: EMPTY, nearMisses: EMPTY, facts: delegationFacts(sides, undefined) ?? EMPTY };
    const program = this.#setting.program;
    const context = new DecisionContext(program.zone, program.argNames);
    const session = this.#session;
    const asOf = this.#asOf;
    context.reset(this.#event, agentPlan.toolLabels, agentPlan.principal, humanPlan?.principal, session, asOf?.callsAsOf ?? session.calls, asOf?.textsAsOf ?? -1);
    const { conditions, traced } = later.conditions || later.facts ? decidingConditions(verdict, sides, context) : { conditions: EMPTY, traced: undefined };
    let facts = traced !== undefined && traced.length > 0 ? tracedFacts(traced, context) : undefined;
    if (later.rates && asOf !== undefined) facts = rateFacts(verdict, asOf.windows, facts);
    const nearMisses = later.nearMisses ? nearMissesOf(sides, context) : EMPTY;
    return { conditions, nearMisses, facts: delegationFacts(sides, facts) ?? EMPTY };
  }
}

/** A decision as plain data (own enumerable members, explanation included), as JSON or a worker message carries it. */
export function decisionData(decision: Decision): Decision {
  const data: { -readonly [K in keyof Decision]: Decision[K] } = {
    session: decision.session,
    seq: decision.seq,
    tool: decision.tool,
    effect: decision.effect,
    deciding: decision.deciding,
    matching: decision.matching,
    defaultDeny: decision.defaultDeny,
    reasons: decision.reasons,
    conditions: decision.conditions,
    nearMisses: decision.nearMisses,
    findings: decision.findings,
    facts: decision.facts,
    errors: decision.errors,
    policyHash: decision.policyHash,
  };
  if (decision.approver !== undefined) data.approver = decision.approver;
  if (decision.assumedApproved !== undefined) data.assumedApproved = decision.assumedApproved;
  return data;
}

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

/** The conditions of a rule that were false or errored, every one run (a decision's evaluation stops at the first false). */
function failedConditions(rule: CompiledRule, context: EvalContext): ConditionResult[] {
  const failed: ConditionResult[] = [];
  const conditions = rule.conditions;
  for (let i = 0; i < conditions.length; i++) {
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
        const view = input.rates.window(rule, input.event).view(input.event.time, rule.limit.windowMs);
        (facts ??= []).push(rateFact(rule.ref.id, rule.limit.count, rule.limit.windowMs, view));
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

/** The rate facts of the deciding limits, from the windows captured in their order, appended to `facts`. */
function rateFacts(verdict: Verdict, windows: readonly WindowView[], facts: Fact[] | undefined): Fact[] | undefined {
  let next = 0;
  for (const index of verdict.decidingSides) {
    for (const rule of verdict.sides[index]!.deciding) {
      if (rule.limit) (facts ??= []).push(rateFact(rule.ref.id, rule.limit.count, rule.limit.windowMs, windows[next++]!));
    }
  }
  return facts;
}

/**
 * The rate fact of a deciding limit: the calls in its window, listed when first read (a window
 * can hold thousands) from a view that later calls do not change; an own enumerable member, so
 * the fact reads, spreads and serializes as plain data.
 */
function rateFact(rule: string, limit: number, windowMs: number, view: WindowView): Fact {
  const fact = { kind: 'rate', rule, limit, windowMs } as { kind: 'rate'; rule: string; limit: number; windowMs: number; events: readonly EventRef[] };
  let events: readonly EventRef[] | undefined;
  Object.defineProperty(fact, 'events', { get: () => (events ??= windowEvents(view)), enumerable: true, configurable: true });
  return fact;
}

/** Up to five permits and grants that covered the call but did not allow, with what failed. */
function nearMissesOf(sides: readonly Side[], context: EvalContext): readonly NearMiss[] {
  let misses: NearMiss[] | undefined;
  for (let s = 0; s < sides.length; s++) {
    const side = sides[s]!;
    const { plan, verdict } = side;
    const refs = plan.principal.side;
    const missedAt = verdict.missedAt;
    for (let i = 0; i < missedAt.length; i++) {
      if (misses !== undefined && misses.length >= NEAR_MISS_LIMIT) return misses;
      const at = missedAt[i]!;
      const rule = plan.rules[at]!;
      const failed = failedConditions(rule, context);
      if (rule.grant && failed.length === 0) failed.push(rule.grantClosed!);
      (misses ??= []).push({ rule: rule.refs[refs], failed });
    }
  }
  return misses ?? EMPTY;
}
