// A decision is data: what was decided, by which rules, why, on which facts, with which errors.
// The UI, the CLI and the tests read these; nothing here is a pre-rendered sentence except the
// rules' own `because` texts.

import type { Span } from '../language/ast';

export type DecisionEffect = 'allow' | 'deny' | 'approval';

/** A rule as a decision refers to it. */
export interface RuleRef {
  readonly id: string;
  /** `permit`, `forbid`, `approval`, `monitor`, `limit` or `grant`. */
  readonly kind: 'permit' | 'forbid' | 'approval' | 'monitor' | 'limit' | 'grant';
  readonly file: string;
  readonly span: Span;
  /** The role the rule sits in, if any. */
  readonly role?: string;
  readonly because?: string;
  readonly approver?: string;
  /** Whose permissions the rule matched for: the agent's own, or the human's it acts for. */
  readonly side: 'agent' | 'human';
}

/** One condition of a rule, evaluated on the event. */
export interface ConditionResult {
  /** The condition's source text. */
  readonly text: string;
  readonly span: Span;
  readonly file: string;
  /** True, false, or an error (the condition could not be evaluated). */
  readonly value: boolean | 'error';
  /** The values the condition compared, rendered (`args.amount = 150`). */
  readonly observed?: string;
  readonly error?: string;
}

/** A permit (or approval/grant) that matched the tool and principal but failed on conditions. */
export interface NearMiss {
  readonly rule: RuleRef;
  /** The conditions that were false or errored. */
  readonly failed: readonly ConditionResult[];
}

/** A fact from session state the decision used, linked to the earlier events that made it. */
export type Fact =
  | {
      readonly kind: 'taint';
      readonly rule: string;
      /** The selector that tainted, as written (`label untrusted_source`). */
      readonly source: string;
      /** The earlier event that tainted the session. */
      readonly event: EventRef;
    }
  | {
      readonly kind: 'provenance';
      readonly rule: string;
      readonly argument: string;
      readonly value: string;
      /** Where the value first appeared: a tool result (untrusted or not) or the user's request. */
      readonly origin: EventRef & { readonly role: 'tool_result' | 'user_message' };
    }
  | {
      readonly kind: 'rate';
      readonly rule: string;
      readonly limit: number;
      readonly windowMs: number;
      /** The events in the window that count against the limit. */
      readonly events: readonly EventRef[];
    }
  | {
      readonly kind: 'grant';
      readonly rule: string;
      /** The approval that opened the grant, for `after approval` grants. */
      readonly openedBy?: EventRef;
      readonly expires: number;
    }
  | {
      readonly kind: 'delegation';
      readonly human: string;
      /** The effect the agent alone would get and the effect the human alone would get. */
      readonly agentEffect: DecisionEffect;
      readonly humanEffect: DecisionEffect;
    }
  | {
      readonly kind: 'time';
      readonly zone: string;
      /** Local time of the event in the workspace zone, `2026-07-01 17:30 wed`. */
      readonly local: string;
    };

export interface EventRef {
  readonly session: string;
  readonly seq: number;
  readonly tool?: string;
}

/** An evaluation problem; evaluation continues (fail closed). */
export interface EvaluationError {
  readonly code: string;
  readonly rule?: string;
  readonly message: string;
}

/**
 * A decision record. The engine's records hold the verdict members and `conditions`,
 * `nearMisses` and `facts` as getters over a verdict and an explanation built on first read, from
 * the decided event (which, like every event, is not changed once decided), the rules and the
 * session as the decision saw it; `JSON.stringify` and `decisionData` (explain.ts) give the whole
 * record as plain data.
 */
export interface Decision {
  readonly session: string;
  readonly seq: number;
  readonly tool: string;
  readonly effect: DecisionEffect;
  /** The approver group when the effect is `approval`. */
  readonly approver?: string;
  /** The rules that decided the effect (empty for default deny). */
  readonly deciding: readonly RuleRef[];
  /** Every rule that matched, including monitors and rules that lost on precedence. */
  readonly matching: readonly RuleRef[];
  /** True when no rule permitted: default deny. */
  readonly defaultDeny: boolean;
  /** The `because` texts of the deciding rules, or the default-deny reason. */
  readonly reasons: readonly string[];
  /** Per-condition results of the deciding rules. */
  readonly conditions: readonly ConditionResult[];
  /** For denials and holds: the rules that would have permitted but for their conditions. */
  readonly nearMisses: readonly NearMiss[];
  /** Monitor rules that matched: findings that never change the effect. */
  readonly findings: readonly RuleRef[];
  readonly facts: readonly Fact[];
  readonly errors: readonly EvaluationError[];
  /** For approval effects in replay: whether the replay assumed it approved. */
  readonly assumedApproved?: boolean;
  /** Stable hash of the policy version that made the decision. */
  readonly policyHash: string;
}
