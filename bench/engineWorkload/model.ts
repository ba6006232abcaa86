// The abstract model of the `engine` benchmark's stateless workload: agents in roles, tools in
// groups, permit/forbid rules with amount, hour, recipient-glob and path-glob conditions, and
// random requests. Rendered to `.gate` (gate.ts) and to Cedar (cedar.ts); both must decide every
// request alike: default deny, any matching forbid wins, else any matching permit allows.

export type Tier = 'low' | 'medium' | 'high' | 'critical';

export interface AgentModel {
  /** `a01` … `a20`. */
  readonly id: string;
  /** One or two role names (`r01` … `r10`). */
  readonly roles: readonly string[];
  readonly tier: Tier;
}

export interface GroupModel {
  /** The group's name, also the label its tools carry (`payments`). */
  readonly name: string;
  readonly tools: readonly string[];
}

export interface ToolModel {
  /** `payments_send`; every tool takes `{ amount: number, recipient: string, path: string }`. */
  readonly name: string;
  readonly group: string;
}

/** Which tools a rule covers. */
export type TargetModel =
  | { readonly kind: 'tools'; readonly tools: readonly string[] }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'any' };

/** Who a rule applies to (besides the role block it may sit in). */
export type PrincipalModel =
  | { readonly kind: 'agent'; readonly agents: readonly string[] }
  | { readonly kind: 'role'; readonly roles: readonly string[] }
  | { readonly kind: 'tier'; readonly tiers: readonly Tier[] };

export type ComparisonOp = '<' | '<=' | '>' | '>=';

/** One condition; a rule's conditions are all required (`and`). */
export type ConditionModel =
  | { readonly kind: 'amount'; readonly op: ComparisonOp; readonly value: number }
  /** `from <= hour < to` when from < to; wraps midnight (`hour >= from or hour < to`) otherwise. */
  | { readonly kind: 'hour'; readonly from: number; readonly to: number }
  /** `args.recipient ~ pattern` (or `!~` when negated); `*` is the only wildcard used. */
  | { readonly kind: 'recipient'; readonly pattern: string; readonly negate: boolean }
  | { readonly kind: 'path'; readonly pattern: string; readonly negate: boolean };

export interface RuleModel {
  /** `w001` …: the rule id in `.gate` and the policy id in Cedar. */
  readonly id: string;
  readonly effect: 'permit' | 'forbid';
  /** The role block the rule sits in, if any: it then applies only to holders of that role. */
  readonly block?: string;
  readonly principal?: PrincipalModel;
  readonly target: TargetModel;
  readonly conditions: readonly ConditionModel[];
}

export interface WorkloadModel {
  readonly agents: readonly AgentModel[];
  readonly roles: readonly string[];
  /** The groups each role mostly works on (its rules and its agents' calls favour them). */
  readonly homeGroups: Readonly<Record<string, readonly string[]>>;
  readonly groups: readonly GroupModel[];
  readonly tools: readonly ToolModel[];
  readonly rules: readonly RuleModel[];
}

/** One tool call of the workload. Amounts are whole numbers (Cedar has no floats). */
export interface RequestModel {
  readonly agent: string;
  readonly tool: string;
  readonly amount: number;
  readonly recipient: string;
  readonly path: string;
  /** Milliseconds since the epoch (UTC). */
  readonly time: number;
  /** `time`'s hour in UTC (the policies declare `timezone "UTC"`). */
  readonly hour: number;
}

export type Effect = 'allow' | 'deny';
