// The decision program: a workspace compiled into rules indexed by tool, each with its
// principal filter and its conditions as closures (no eval, so it runs under a strict CSP).

import type { ToolCallEvent } from '../traces/event';
import type { ConditionResult, RuleRef } from './decision';
import type { LocalTime } from './localTime';
import type { RanCall, SessionState } from './session';
import type { Value } from './values';

/** Who a rule is matched against: the calling agent, or the human it acts for. */
export interface Principal {
  readonly side: 'agent' | 'human';
  readonly id: string;
  readonly roles: ReadonlySet<string>;
  readonly tier: string | undefined;
  /** The principal's fields as `agent.x` / `human.x` read them. */
  readonly fields: { readonly [key: string]: Value };
}

/** What conditions read while one event is decided. */
export interface EvalContext {
  readonly event: ToolCallEvent;
  /** The event's time and arguments, read once (events come in many shapes). */
  readonly time: number;
  readonly args: Readonly<Record<string, unknown>>;
  readonly toolLabels: readonly string[];
  readonly agent: Principal;
  readonly human: Principal | undefined;
  readonly session: SessionState;
  /** What of the session conditions read: its first `callsAsOf` calls and `textsAsOf` texts (all it held when the decision was made). */
  readonly callsAsOf: number;
  readonly textsAsOf: number;
  readonly zone: string;
  /** The event's local time, computed on first use. */
  local(): LocalTime;
  /** `local().hour` and `local().minute`, without building the local time where arithmetic gives them (UTC). */
  localHour(): number;
  localMinute(): number;
  /** The event's argument `argNames[slot]` (null when it has none), read once per event. */
  arg(slot: number): Value;
  /** Set while explaining: conditions report the facts they used here. */
  trace: ((fact: TracedFact) => void) | undefined;
}

/** Facts a condition saw, reported while explaining. */
export type TracedFact =
  | { readonly kind: 'taint'; readonly source: string; readonly call: RanCall }
  | { readonly kind: 'provenance'; readonly argument: string; readonly value: string; readonly seq: number; readonly tool: string | undefined }
  | { readonly kind: 'time' };

/** One condition of a rule (a term of its `when`, or its `after` clause). */
export interface CompiledCondition {
  readonly text: string;
  readonly file: string;
  readonly span: { readonly start: number; readonly end: number };
  /** True or false; throws ConditionError when it cannot be evaluated. */
  readonly test: (context: EvalContext) => boolean;
  /** The values the condition reads, rendered for explanations (`args.amount = 150`). */
  readonly observe: (context: EvalContext) => string | undefined;
  /** Whether evaluating it can report facts (it reads the time, `after` or `from`). */
  readonly reportsFacts: boolean;
  /** Whether it reads session state (`after`, `from`, `session.*`): its result can change as the session advances. */
  readonly readsSession: boolean;
}

export interface CompiledRule {
  /** Position in the program's rule list (stable ids for state such as grants). */
  readonly index: number;
  readonly ref: Omit<RuleRef, 'side'>;
  /** The rule as decisions refer to it, per side (built once: decisions share them). */
  readonly refs: { readonly agent: RuleRef; readonly human: RuleRef };
  /** The reason a decision gives when this rule decides: its `because`, else its kind and id. */
  readonly reason: string;
  readonly kind: RuleRef['kind'];
  readonly appliesTo: (principal: Principal) => boolean;
  readonly conditions: readonly CompiledCondition[];
  /** Limits: the count, window and counter keys. */
  readonly limit?: { readonly count: number; readonly windowMs: number; readonly per: readonly string[] };
  /** Grants: how long, opened by what. */
  readonly grant?: { readonly durationMs: number | undefined; readonly afterApproval: boolean; readonly from: number | undefined; readonly until: number | undefined };
  /** Grants: the near-miss entry for a grant whose conditions hold but that is not open. */
  readonly grantClosed?: ConditionResult;
}

/** What conditions read of a session's history. */
export interface SessionReads {
  /** Whether a `from` test reads the session's texts. */
  readonly texts: boolean;
  /** The tools and labels `after` clauses name. */
  readonly tools: ReadonlySet<string>;
  readonly labels: ReadonlySet<string>;
  /** Whether an `after` clause names a tool pattern or `any tool`: every tool that runs is read. */
  readonly allTools: boolean;
}

export interface DecisionProgram {
  /** Rules per catalog tool, in source order. */
  readonly rulesByTool: ReadonlyMap<string, readonly CompiledRule[]>;
  /** Rules that can match tools outside the catalog (name patterns, `any tool`). */
  readonly rulesForUnknownTools: readonly { readonly rule: CompiledRule; readonly matches: (tool: string) => boolean }[];
  readonly toolLabels: ReadonlyMap<string, readonly string[]>;
  readonly agents: ReadonlyMap<string, Principal>;
  readonly humans: ReadonlyMap<string, Principal>;
  readonly rules: readonly CompiledRule[];
  readonly zone: string;
  readonly policyHash: string;
  /** The argument names conditions read as `args.<name>`, by slot (EvalContext.arg). */
  readonly argNames: readonly string[];
  /** Whether any condition reads session state (`after`, `from`, `session.*`): else calls that ran need not be recorded. */
  readonly readsSession: boolean;
  /** What conditions read of the calls and texts that entered a session: all a session records. */
  readonly sessionReads: SessionReads;
}
