// The engine's public face: compile a checked workspace into a decision program once, then
// decide events one by one against per-session state. Pure: time comes from the events, never
// from a clock, so the same program and trace give the same decisions everywhere.

import type { Diagnostic } from '../language/diagnostics';
import type { TraceEvent } from '../traces/event';
import type { Decision } from './decision';

export interface ReplayOptions {
  /** How approval-required calls are treated in replay: as approved (they run) or rejected. */
  readonly approvals: 'approve' | 'reject';
  /**
   * Whether decisions carry full explanations (per-condition results, near misses, facts).
   * On by default; the effect and deciding rules are the same either way.
   */
  readonly explain?: boolean;
}

/** A session-aware decider for one compiled policy. */
export interface Engine {
  /** Decides a tool call, or records a user/agent message (returns undefined for messages). */
  decide(event: TraceEvent): Decision | undefined;
  /** Forgets all session state. */
  reset(): void;
  /** The policy version hash every decision carries. */
  readonly policyHash: string;
}

export interface CompileResult<T> {
  readonly value: T | undefined;
  /** Check diagnostics of the workspace; `value` is undefined when any is an error. */
  readonly diagnostics: readonly Diagnostic[];
}
