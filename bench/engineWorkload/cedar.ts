// Renders the stateless workload model to Cedar, schema-free: one policy per rule (the policy id
// is the rule id), principals `Agent::"a01"` whose parents are their `Role::"r03"`s and who carry
// a `tier` attribute, one action per tool (`Action::"payments_send"`) whose parent is its group's
// action (`Action::"group:payments"`), a fixed `Resource::"default"`, and the call in the context
// `{ amount: Long, recipient: String, path: String, hour: Long }`. Cedar's `like` (`*` any run)
// is the `.gate` glob for patterns that use only `*`. Cedar denies by default and any satisfied
// forbid overrides every permit, as Gatehouse does for permit/forbid-only policies.

import type { ConditionModel, PrincipalModel, RequestModel, RuleModel, TargetModel, WorkloadModel } from './model';

/** Cedar's JSON entity uid and entity shapes (as `@cedar-policy/cedar-wasm` takes them). */
export interface CedarUid {
  readonly type: string;
  readonly id: string;
}
export interface CedarEntity {
  readonly uid: CedarUid;
  readonly attrs: Readonly<Record<string, string | number | boolean>>;
  readonly parents: readonly CedarUid[];
}
export interface CedarRequest {
  readonly principal: CedarUid;
  readonly action: CedarUid;
  readonly resource: CedarUid;
  readonly context: { readonly amount: number; readonly recipient: string; readonly path: string; readonly hour: number };
  /** The request's entities: the agent (with its roles) and the tool's action (with its group). */
  readonly entities: readonly CedarEntity[];
}

export const RESOURCE: CedarUid = { type: 'Resource', id: 'default' };

/** The policy set: Cedar policy text by policy id (= rule id). */
export function renderCedarPolicies(model: WorkloadModel): Record<string, string> {
  return Object.fromEntries(model.rules.map((rule) => [rule.id, renderPolicy(rule)]));
}

export function renderPolicy(rule: RuleModel): string {
  const when: string[] = [];
  let principal = 'principal';
  if (rule.block !== undefined) principal = `principal in Role::"${rule.block}"`;
  if (rule.principal) {
    const scope = principalScope(rule.principal);
    if (principal === 'principal' && scope.scope) principal = scope.scope;
    else when.push(scope.condition);
  }
  when.push(...rule.conditions.map(renderCondition));
  const head = `${rule.effect} (${principal}, ${actionScope(rule.target)}, resource)`;
  return when.length === 0 ? `${head};` : `${head}\nwhen { ${when.join(' && ')} };`;
}

/** A principal constraint as a scope (when it fits one) and always as a condition. */
function principalScope(principal: PrincipalModel): { scope?: string; condition: string } {
  const any = (terms: readonly string[]): string => (terms.length === 1 ? terms[0]! : `(${terms.join(' || ')})`);
  switch (principal.kind) {
    case 'agent': {
      const terms = principal.agents.map((agent) => `principal == Agent::"${agent}"`);
      return { ...(terms.length === 1 ? { scope: terms[0]! } : {}), condition: any(terms) };
    }
    case 'role': {
      const terms = principal.roles.map((role) => `principal in Role::"${role}"`);
      return { ...(terms.length === 1 ? { scope: terms[0]! } : {}), condition: any(terms) };
    }
    case 'tier':
      return { condition: any(principal.tiers.map((tier) => `principal.tier == "${tier}"`)) };
  }
}

function actionScope(target: TargetModel): string {
  switch (target.kind) {
    case 'any':
      return 'action';
    case 'group':
      return `action in Action::"group:${target.group}"`;
    case 'tools':
      return target.tools.length === 1 ? `action == Action::"${target.tools[0]}"` : `action in [${target.tools.map((tool) => `Action::"${tool}"`).join(', ')}]`;
  }
}

function renderCondition(condition: ConditionModel): string {
  switch (condition.kind) {
    case 'amount':
      return `context.amount ${condition.op} ${condition.value}`;
    case 'hour': {
      const { from, to } = condition;
      if (from > to) return `(context.hour >= ${from} || context.hour < ${to})`;
      return from === 0 ? `context.hour < ${to}` : `context.hour >= ${from} && context.hour < ${to}`;
    }
    case 'recipient':
    case 'path': {
      const like = `context.${condition.kind} like "${condition.pattern}"`;
      return condition.negate ? `!(${like})` : like;
    }
  }
}

/** Entities and uids prepared once per agent and per tool; requests reuse them. */
export class CedarEncoder {
  private readonly agents = new Map<string, { uid: CedarUid; entity: CedarEntity }>();
  private readonly tools = new Map<string, { uid: CedarUid; entity: CedarEntity }>();

  constructor(model: WorkloadModel) {
    for (const agent of model.agents) {
      const uid = { type: 'Agent', id: agent.id };
      this.agents.set(agent.id, { uid, entity: { uid, attrs: { tier: agent.tier }, parents: agent.roles.map((role) => ({ type: 'Role', id: role })) } });
    }
    for (const tool of model.tools) {
      const uid = { type: 'Action', id: tool.name };
      this.tools.set(tool.name, { uid, entity: { uid, attrs: {}, parents: [{ type: 'Action', id: `group:${tool.group}` }] } });
    }
  }

  /** The Cedar request of one call, with its own entity list and context. */
  encode(request: Pick<RequestModel, 'agent' | 'tool' | 'amount' | 'recipient' | 'path' | 'hour'>): CedarRequest {
    const agent = this.agents.get(request.agent);
    const tool = this.tools.get(request.tool);
    if (!agent || !tool) throw new Error(`unknown agent ${request.agent} or tool ${request.tool}`);
    return {
      principal: agent.uid,
      action: tool.uid,
      resource: RESOURCE,
      context: { amount: request.amount, recipient: request.recipient, path: request.path, hour: request.hour },
      entities: [agent.entity, tool.entity],
    };
  }
}
