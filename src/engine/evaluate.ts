// Deciding one tool call. Per principal (the agent, and the human it acts for): forbid > rate
// limit > require approval (unless a grant is open) > permit or open grant > default deny.
// On behalf of a human the effects combine as an intersection: deny if either denies, approval
// if either needs it, allow only if both allow. Errors fail closed: a forbid, limit or approval
// rule whose condition cannot be evaluated applies; a permit or grant that cannot be does not.

import { DIAGNOSTICS } from '../language/diagnostics';
import type { ToolCallEvent } from '../traces/event';
import type { DecisionEffect, EvaluationError } from './decision';
import type { CompiledRule, EvalContext, Principal } from './program';
import type { RateWindows, SessionState } from './session';
import { ConditionError } from './values';

/** The outcome for one principal. */
export interface SideOutcome {
  readonly principal: Principal;
  readonly effect: DecisionEffect;
  /** Rules that decided this side's effect. */
  readonly deciding: readonly CompiledRule[];
  /** Every rule that matched (conditions held or failed closed), monitors included. */
  readonly matching: readonly CompiledRule[];
  /** Permits and grants that matched tool and principal but not their conditions. */
  readonly missed: readonly CompiledRule[];
  /** Limits whose tool, principal and conditions match: a call that runs counts against them. */
  readonly counted: readonly CompiledRule[];
  /** Grants whose conditions hold (open or not): an approved call opens the `after approval` ones. */
  readonly grantable: readonly CompiledRule[];
  readonly errors: readonly EvaluationError[];
}

/** The one empty list every empty list of a decision shares (frozen: nobody can fill it). */
export const EMPTY: readonly never[] = Object.freeze([]);

export const EVALUATION_ERROR_CODE = DIAGNOSTICS.conditionError.code;

/** Per limit rule, counter keys by the one value they depend on (the session, agent, human or tool). */
const limitKeys = new WeakMap<CompiledRule, Map<string, string>>();

/** The counter key of a limit for an event. */
export function limitKey(rule: CompiledRule, event: ToolCallEvent): string {
  const per = rule.limit!.per;
  if (per.length > 1) {
    let key = String(rule.index);
    for (let i = 0; i < per.length; i++) {
      const part = per[i]!;
      key += `\u0000${part[0]}\u0000${partValue(part, event)}`;
    }
    return key;
  }
  // Keyed by one value: built once per rule and value.
  const value = per.length === 0 ? event.session : partValue(per[0]!, event);
  let keys = limitKeys.get(rule);
  if (!keys) limitKeys.set(rule, (keys = new Map()));
  let key = keys.get(value);
  if (key === undefined) {
    key = per.length === 0 ? `${rule.index}\u0000s\u0000${value}` : `${rule.index}\u0000${per[0]![0]}\u0000${value}`;
    if (keys.size > 100_000) keys.clear();
    keys.set(value, key);
  }
  return key;
}

function partValue(part: string, event: ToolCallEvent): string {
  return part === 'agent' ? event.agent : part === 'human' ? (event.onBehalfOf ?? '') : part === 'tool' ? event.tool : event.session;
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

/** Appends to a list allocated on first use. */
function add<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}

/** Two lists as one, reusing either when the other is empty. */
function join<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.concat(b);
}

/** Decides the rules of one principal; `applying` says the rules are already those that apply to it. */
export function decideSide(rules: readonly CompiledRule[], principal: Principal, context: EvalContext, rates: RateWindows, applying = false): SideOutcome {
  let monitors: CompiledRule[] | undefined;
  let missed: CompiledRule[] | undefined;
  let errors: EvaluationError[] | undefined;
  let forbids: CompiledRule[] | undefined;
  let limits: CompiledRule[] | undefined;
  let approvals: CompiledRule[] | undefined;
  let permits: CompiledRule[] | undefined;
  let grants: CompiledRule[] | undefined;
  let counted: CompiledRule[] | undefined;
  let grantable: CompiledRule[] | undefined;
  const time = context.event.time;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (!applying && !rule.appliesTo(principal)) continue;
    let holds: boolean | 'error';
    const conditions = rule.conditions;
    if (conditions.length === 0) holds = true;
    else {
      const held = conditionsHoldOrError(rule, context);
      if (typeof held === 'boolean') holds = held;
      else {
        holds = 'error';
        errors = add(errors, held);
      }
    }
    switch (rule.kind) {
      case 'forbid':
        if (holds !== false) forbids = add(forbids, rule);
        break;
      case 'approval':
        if (holds !== false) approvals = add(approvals, rule);
        break;
      case 'limit':
        if (holds === true) counted = add(counted, rule);
        if (holds !== false && (holds === 'error' || rates.count(limitKey(rule, context.event), time, rule.limit!.windowMs) >= rule.limit!.count)) limits = add(limits, rule);
        break;
      case 'permit':
        if (holds === true) permits = add(permits, rule);
        else missed = add(missed, rule);
        break;
      case 'grant':
        if (holds === true) grantable = add(grantable, rule);
        if (holds === true && grantOpen(rule, context.session, time)) grants = add(grants, rule);
        else missed = add(missed, rule);
        break;
      case 'monitor':
        if (holds !== false) monitors = add(monitors, rule);
        break;
    }
  }
  // Matching in order: monitors, forbids, limits, approvals, permits, grants.
  const matching = join(join(join(join(join(monitors, forbids), limits), approvals), permits), grants) ?? EMPTY;
  let effect: DecisionEffect;
  let deciding: readonly CompiledRule[];
  if (forbids !== undefined || limits !== undefined) {
    effect = 'deny';
    deciding = join(forbids, limits)!;
  } else if (approvals !== undefined && grants === undefined) {
    effect = 'approval';
    deciding = approvals;
  } else if (grants !== undefined) {
    effect = 'allow';
    deciding = grants;
  } else if (permits !== undefined) {
    effect = 'allow';
    deciding = permits;
  } else {
    effect = 'deny';
    deciding = EMPTY;
  }
  return { principal, effect, deciding, matching, missed: missed ?? EMPTY, counted: counted ?? EMPTY, grantable: grantable ?? EMPTY, errors: errors ?? EMPTY };
}

/**
 * Whether a rule's conditions hold, in three-valued logic: false when any condition is false
 * (even if another could not be evaluated), the evaluation error when none is false but one
 * could not be evaluated, else true.
 */
function conditionsHoldOrError(rule: CompiledRule, context: EvalContext): boolean | EvaluationError {
  const conditions = rule.conditions;
  let failure: EvaluationError | undefined;
  for (let i = 0; i < conditions.length; i++) {
    try {
      if (!conditions[i]!.test(context)) return false;
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      failure ??= { code: EVALUATION_ERROR_CODE, rule: rule.ref.id, message: `${conditions[i]!.text}: ${error.message}` };
    }
  }
  return failure ?? true;
}

/** Combines the agent's outcome with the human's (intersection of permissions). */
export function combineSides(agent: SideOutcome, human: SideOutcome | undefined): { effect: DecisionEffect; deciding: SideOutcome[] } {
  if (!human) return { effect: agent.effect, deciding: [agent] };
  const rank = (effect: DecisionEffect) => (effect === 'deny' ? 2 : effect === 'approval' ? 1 : 0);
  const worst = rank(agent.effect) >= rank(human.effect) ? agent.effect : human.effect;
  const deciding = [agent, human].filter((side) => side.effect === worst);
  return { effect: worst, deciding };
}
