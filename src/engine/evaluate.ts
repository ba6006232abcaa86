// Deciding one principal's side of a tool call: forbid > rate limit > require approval (unless a
// grant is open) > permit or open grant > default deny. Errors fail closed: a forbid, limit or
// approval rule whose condition cannot be evaluated applies; a permit or grant that cannot be
// does not. Each rule's outcome is a small code, and the codes together a signature; the side's
// effect follows from the codes as they are decided, and its verdict (deciding and matching
// rules, near-miss candidates) depends only on the signature, so it is built once per rule plan
// and signature, and shared by every decision that reaches it.

import { DIAGNOSTICS } from '../language/diagnostics';
import type { DecisionEffect, EvaluationError, RuleRef } from './decision';
import type { CompiledRule, EvalContext, Principal } from './program';
import type { RateWindow, RateWindows, SessionState } from './session';
import type { Verdict } from './verdict';
import { ConditionError } from './values';

/** A rule's outcome on one event (`active`: a limit that is exceeded, a grant that is open). */
export const OUTCOME = { false: 0, true: 1, error: 2, active: 3 } as const;

/** The one empty list every empty list of a decision shares (frozen: nobody can fill it). */
export const EMPTY: readonly never[] = Object.freeze([]);

export const EVALUATION_ERROR_CODE = DIAGNOSTICS.conditionError.code;

/** Outcome codes of up to this many rules make one exact number (4^26 = 2^52). */
const SIGNATURE_RULES = 26;
const VERDICT_CACHE_LIMIT = 4096;

/** What a rule's outcome adds to its side's effect (S-4, S-5): bits by rule kind and outcome. */
const HOLDS = { forbid: 1, limit: 2, approval: 4, grant: 8, permit: 16 } as const;
const KIND_CODE: Readonly<Record<CompiledRule['kind'], number>> = { forbid: 0, limit: 1, approval: 2, grant: 3, permit: 4, monitor: 5 };
/** Indexed by kind code * 4 + outcome. */
const EFFECT_BITS = Uint8Array.from([
  [0, HOLDS.forbid, HOLDS.forbid, HOLDS.forbid], // a forbid that holds or cannot be evaluated applies
  [0, 0, HOLDS.limit, HOLDS.limit], // a limit applies when exceeded or when it cannot be evaluated
  [0, HOLDS.approval, HOLDS.approval, HOLDS.approval],
  [0, 0, 0, HOLDS.grant], // a grant allows only when open
  [0, HOLDS.permit, 0, 0], // a permit allows only when it holds
  [0, 0, 0, 0], // monitors never change the effect
].flat());

/** A side's effect from the bits its rules' outcomes set. */
export function effectOf(bits: number): DecisionEffect {
  if ((bits & (HOLDS.forbid | HOLDS.limit)) !== 0) return 'deny';
  if ((bits & HOLDS.approval) !== 0 && (bits & HOLDS.grant) === 0) return 'approval';
  return (bits & (HOLDS.grant | HOLDS.permit)) !== 0 ? 'allow' : 'deny';
}

/** The rules that apply to one principal for one tool, and the verdicts reached with them. */
export class RulePlan {
  readonly verdicts = new Map<number, SideVerdict>();
  /** The verdict reached last, by its signature: calls of one principal and tool often repeat it. */
  lastSignature = -1;
  lastVerdict: SideVerdict | undefined = undefined;
  /** Per rule, its kind as an index into EFFECT_BITS. */
  readonly kindCodes: readonly number[];
  /**
   * Whether a decision may build its verdict from the signature when first read: no limit or
   * grant (whose state a call that runs advances, and whose facts are state), no condition that
   * reads session state, and few enough rules for an exact signature.
   */
  readonly deferrable: boolean;
  /**
   * Whether a decision may build its verdict from the signature when first read though the plan
   * has limits or reads session state (the decision then records what the session held): no grant
   * (whose facts are state later calls replace), and few enough rules for an exact signature.
   */
  readonly withoutGrants: boolean;
  /** Whether a rule is a limit or a condition reads session state. */
  readonly readsState: boolean;
  /**
   * Every rule's condition tests, rule after rule, and where each rule's end. Within a rule, the
   * conditions that read session state (provenance searches, taint) come after the others, which
   * often settle the rule alone; `positions` gives each test's condition number in the rule.
   */
  readonly tests: readonly ((context: EvalContext) => boolean)[];
  readonly positions: readonly number[];
  readonly ends: readonly number[];

  constructor(
    readonly principal: Principal,
    readonly tool: string,
    readonly toolLabels: readonly string[],
    /** In source order. */
    readonly rules: readonly CompiledRule[],
  ) {
    this.kindCodes = rules.map((rule) => KIND_CODE[rule.kind]);
    const ordered = rules.map((rule) => {
      const numbered = rule.conditions.map((condition, position) => ({ condition, position }));
      return [...numbered.filter(({ condition }) => !condition.readsSession), ...numbered.filter(({ condition }) => condition.readsSession)];
    });
    this.tests = ordered.flatMap((conditions) => conditions.map(({ condition }) => condition.test));
    this.positions = ordered.flatMap((conditions) => conditions.map(({ position }) => position));
    let end = 0;
    this.ends = rules.map((rule) => (end += rule.conditions.length));
    this.readsState = rules.some((rule) => rule.limit || rule.conditions.some((condition) => condition.readsSession));
    this.withoutGrants = rules.length <= SIGNATURE_RULES && rules.every((rule) => !rule.grant);
    this.deferrable = this.withoutGrants && !this.readsState;
  }
}

/** What one side's rule outcomes add up to; shared by every decision with the same outcomes. */
export interface SideVerdict {
  readonly effect: DecisionEffect;
  /** Rules that decided this side's effect, and their positions in the plan. */
  readonly deciding: readonly CompiledRule[];
  readonly decidingAt: readonly number[];
  /** Every rule that matched (conditions held or failed closed), monitors included. */
  readonly matching: readonly CompiledRule[];
  /** Positions of the permits and grants that covered tool and principal but did not allow. */
  readonly missedAt: readonly number[];
  /** Grants whose conditions hold (open or not): an approved call opens the `after approval` ones. */
  readonly grantable: readonly CompiledRule[];
  /** The side's references to its deciding and matching rules. */
  readonly decidingRefs: readonly RuleRef[];
  readonly matchingRefs: readonly RuleRef[];
  /** The decision-level verdict of this side alone (no human), once built. */
  alone: Verdict | undefined;
}

/** Per side, the outcome of each rule of the plan for the event being decided (reused across events). */
export class SideScratch {
  outcomes = new Uint8Array(32);
  errors: EvaluationError[] | undefined = undefined;
  /** The outcome codes as one number (-1 for plans with more than SIGNATURE_RULES rules). */
  signature = 0;
  effect: DecisionEffect = 'deny';
  /** The windows of the limits that count the call if it runs (conditions held, exceeded or not): the first `countedSize`. */
  readonly counted: RateWindow[] = [];
  countedSize = 0;
  /** Whether a limit applies (exceeded, or not evaluable): the decision's facts then include its window. */
  limited = false;

  reserve(count: number): void {
    if (count <= this.outcomes.length) return;
    const size = Math.max(count, this.outcomes.length * 2);
    this.outcomes = new Uint8Array(size);
  }
}

/** Whether a grant rule is open for this event. */
export function grantOpen(rule: CompiledRule, session: SessionState, time: number): boolean {
  const grant = rule.grant!;
  if (grant.afterApproval) {
    const open = session.grants.get(rule.index);
    return open !== undefined && time < open.expires;
  }
  if (grant.from !== undefined && grant.until !== undefined) return time >= grant.from && time < grant.until;
  if (grant.durationMs !== undefined) return time >= session.started && time < session.started + grant.durationMs;
  return false;
}

/**
 * Decides the plan's rules on the event in `context`: writes each rule's outcome (and where its
 * conditions stopped holding) to `scratch`, with the evaluation errors, the signature and the
 * side's effect. Conditions combine in three-valued logic: false when any is false (even if
 * another could not be evaluated), an error when none is false but one could not be evaluated,
 * else true.
 */
export function evaluateSide(plan: RulePlan, context: EvalContext, rates: RateWindows, scratch: SideScratch): void {
  const rules = plan.rules;
  const kindCodes = plan.kindCodes;
  const count = rules.length;
  scratch.reserve(count);
  scratch.errors = undefined;
  let counted = 0;
  const outcomes = scratch.outcomes;
  const time = context.time;
  const tests = plan.tests;
  const positions = plan.positions;
  const ends = plan.ends;
  let signature = 0;
  let bits = 0;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = ends[i]!;
    let holds: number = OUTCOME.true;
    // The first condition (in source order) that could not be evaluated.
    let failed = -1;
    let failure: ConditionError | undefined;
    for (let t = start; t < end; t++) {
      try {
        if (!tests[t]!(context)) {
          holds = OUTCOME.false;
          break;
        }
      } catch (error) {
        if (!(error instanceof ConditionError)) throw error;
        const position = positions[t]!;
        if (failed < 0 || position < failed) {
          failed = position;
          failure = error;
        }
      }
    }
    start = end;
    const kind = kindCodes[i]!;
    if (holds === OUTCOME.true) {
      if (failed >= 0) {
        holds = OUTCOME.error;
        const rule = rules[i]!;
        (scratch.errors ??= []).push({ code: EVALUATION_ERROR_CODE, rule: rule.ref.id, message: `${rule.conditions[failed]!.text}: ${failure!.message}` });
      } else if (kind === KIND_CODE.limit) {
        const rule = rules[i]!;
        const limit = rule.limit!;
        const window = rates.window(rule, context.event);
        if (window.count(time, limit.windowMs) >= limit.count) holds = OUTCOME.active;
        scratch.counted[counted++] = window;
      } else if (kind === KIND_CODE.grant && grantOpen(rules[i]!, context.session, time)) holds = OUTCOME.active;
    }
    outcomes[i] = holds;
    signature = signature * 4 + holds;
    bits |= EFFECT_BITS[kind * 4 + holds]!;
  }
  scratch.countedSize = counted;
  scratch.limited = (bits & HOLDS.limit) !== 0;
  scratch.signature = count > SIGNATURE_RULES ? -1 : signature;
  scratch.effect = effectOf(bits);
}

/** The verdict of the side just evaluated into `scratch`. */
export function scratchVerdict(plan: RulePlan, scratch: SideScratch): SideVerdict {
  const signature = scratch.signature;
  if (signature < 0) return sideVerdict(plan, scratch.outcomes);
  if (signature === plan.lastSignature) return plan.lastVerdict!;
  let verdict = plan.verdicts.get(signature);
  if (verdict === undefined) {
    verdict = sideVerdict(plan, scratch.outcomes);
    if (plan.verdicts.size >= VERDICT_CACHE_LIMIT) plan.verdicts.clear();
    plan.verdicts.set(signature, verdict);
  }
  plan.lastSignature = signature;
  plan.lastVerdict = verdict;
  return verdict;
}

/** The verdict of a signature reached earlier (of a plan with at most SIGNATURE_RULES rules). */
export function signatureVerdict(plan: RulePlan, signature: number): SideVerdict {
  let verdict = plan.verdicts.get(signature);
  if (verdict === undefined) {
    const outcomes = new Uint8Array(plan.rules.length);
    for (let i = outcomes.length - 1, rest = signature; i >= 0; i--, rest = Math.floor(rest / 4)) outcomes[i] = rest % 4;
    verdict = sideVerdict(plan, outcomes);
    if (plan.verdicts.size >= VERDICT_CACHE_LIMIT) plan.verdicts.clear();
    plan.verdicts.set(signature, verdict);
  }
  return verdict;
}

/** The verdict of a plan's rules with these outcomes (the precedence of S-4 and S-5). */
function sideVerdict(plan: RulePlan, outcomes: Uint8Array): SideVerdict {
  const monitors: CompiledRule[] = [];
  const forbids: number[] = [];
  const limits: number[] = [];
  const approvals: number[] = [];
  const permits: number[] = [];
  const grants: number[] = [];
  const missedAt: number[] = [];
  const grantable: CompiledRule[] = [];
  const rules = plan.rules;
  let bits = 0;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = outcomes[i]!;
    const holds = outcome !== OUTCOME.false;
    bits |= EFFECT_BITS[plan.kindCodes[i]! * 4 + outcome]!;
    switch (rule.kind) {
      case 'forbid':
        if (holds) forbids.push(i);
        break;
      case 'approval':
        if (holds) approvals.push(i);
        break;
      case 'limit':
        if (outcome === OUTCOME.error || outcome === OUTCOME.active) limits.push(i);
        break;
      case 'permit':
        if (outcome === OUTCOME.true) permits.push(i);
        else missedAt.push(i);
        break;
      case 'grant':
        if (outcome === OUTCOME.true || outcome === OUTCOME.active) grantable.push(rule);
        if (outcome === OUTCOME.active) grants.push(i);
        else missedAt.push(i);
        break;
      case 'monitor':
        if (holds) monitors.push(rule);
        break;
    }
  }
  const at = (positions: readonly number[]) => positions.map((i) => rules[i]!);
  // Matching in order: monitors, forbids, limits, approvals, permits, grants.
  const matching = [...monitors, ...at(forbids), ...at(limits), ...at(approvals), ...at(permits), ...at(grants)];
  // The effect as evaluateSide reaches it; the rules that decided it (none: default deny).
  const effect = effectOf(bits);
  const decidingAt = effect === 'deny' ? [...forbids, ...limits] : effect === 'approval' ? approvals : grants.length > 0 ? grants : permits;
  const deciding = at(decidingAt);
  const side = plan.principal.side;
  return {
    effect,
    deciding: frozen(deciding),
    decidingAt: frozen(decidingAt),
    matching: frozen(matching),
    missedAt: frozen(missedAt),
    grantable: frozen(grantable),
    decidingRefs: frozen(deciding.map((rule) => rule.refs[side])),
    matchingRefs: frozen(matching.map((rule) => rule.refs[side])),
    alone: undefined,
  };
}

/** A list shared by many decisions: frozen, and the one EMPTY list when empty. */
export function frozen<T>(list: T[]): readonly T[] {
  return list.length === 0 ? EMPTY : Object.freeze(list);
}
