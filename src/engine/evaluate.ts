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
  readonly deciding: CompiledRule[];
  /** Every rule that matched (conditions held or failed closed), monitors included. */
  readonly matching: CompiledRule[];
  /** Permits and grants that matched tool and principal but not their conditions. */
  readonly missed: CompiledRule[];
  /** Limits whose tool, principal and conditions match: a call that runs counts against them. */
  readonly counted: CompiledRule[];
  /** Grants whose conditions hold (open or not): an approved call opens the `after approval` ones. */
  readonly grantable: CompiledRule[];
  readonly errors: EvaluationError[];
}

export const EVALUATION_ERROR_CODE = DIAGNOSTICS.conditionError.code;

/**
 * Whether a rule's conditions hold, in three-valued logic: false when any condition is false
 * (even if another could not be evaluated), `error` when none is false but one could not be
 * evaluated, else true.
 */
export function conditionsHold(rule: CompiledRule, context: EvalContext, errors: EvaluationError[]): boolean | 'error' {
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
  if (!failure) return true;
  errors.push(failure);
  return 'error';
}

/** The counter key of a limit for an event. */
export function limitKey(rule: CompiledRule, event: ToolCallEvent): string {
  const per = rule.limit!.per;
  let key = String(rule.index);
  if (per.length === 0) return `${key}\u0000s\u0000${event.session}`;
  for (const part of per) {
    const value = part === 'agent' ? event.agent : part === 'human' ? (event.onBehalfOf ?? '') : part === 'tool' ? event.tool : event.session;
    key += `\u0000${part[0]}\u0000${value}`;
  }
  return key;
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

/** Decides the rules of one principal. */
export function decideSide(rules: readonly CompiledRule[], principal: Principal, context: EvalContext, rates: RateWindows): SideOutcome {
  const matching: CompiledRule[] = [];
  const missed: CompiledRule[] = [];
  const errors: EvaluationError[] = [];
  const forbids: CompiledRule[] = [];
  const limits: CompiledRule[] = [];
  const approvals: CompiledRule[] = [];
  const permits: CompiledRule[] = [];
  const grants: CompiledRule[] = [];
  const counted: CompiledRule[] = [];
  const grantable: CompiledRule[] = [];
  const time = context.event.time;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (!rule.appliesTo(principal)) continue;
    const holds = conditionsHold(rule, context, errors);
    switch (rule.kind) {
      case 'forbid':
        if (holds !== false) forbids.push(rule);
        break;
      case 'approval':
        if (holds !== false) approvals.push(rule);
        break;
      case 'limit':
        if (holds === true) counted.push(rule);
        if (holds !== false && (holds === 'error' || rates.count(limitKey(rule, context.event), time, rule.limit!.windowMs) >= rule.limit!.count)) limits.push(rule);
        break;
      case 'permit':
        if (holds === true) permits.push(rule);
        else missed.push(rule);
        break;
      case 'grant':
        if (holds === true) grantable.push(rule);
        if (holds === true && grantOpen(rule, context.session, time)) grants.push(rule);
        else missed.push(rule);
        break;
      case 'monitor':
        if (holds !== false) matching.push(rule);
        break;
    }
  }
  matching.push(...forbids, ...limits, ...approvals, ...permits, ...grants);
  const outcome = (effect: DecisionEffect, deciding: CompiledRule[]): SideOutcome => ({ principal, effect, deciding, matching, missed, counted, grantable, errors });
  if (forbids.length > 0 || limits.length > 0) return outcome('deny', [...forbids, ...limits]);
  if (approvals.length > 0 && grants.length === 0) return outcome('approval', approvals);
  if (grants.length > 0) return outcome('allow', grants);
  if (permits.length > 0) return outcome('allow', permits);
  return outcome('deny', []);
}

/** Combines the agent's outcome with the human's (intersection of permissions). */
export function combineSides(agent: SideOutcome, human: SideOutcome | undefined): { effect: DecisionEffect; deciding: SideOutcome[] } {
  if (!human) return { effect: agent.effect, deciding: [agent] };
  const rank = (effect: DecisionEffect) => (effect === 'deny' ? 2 : effect === 'approval' ? 1 : 0);
  const worst = rank(agent.effect) >= rank(human.effect) ? agent.effect : human.effect;
  const deciding = [agent, human].filter((side) => side.effect === worst);
  return { effect: worst, deciding };
}
