// The engine: decides events in order against session state, and advances the state only for
// calls the decision lets run (allowed, or approval-required and assumed approved in replay).

import type { ToolCallEvent, TraceEvent } from '../traces/event';
import type { Engine, ReplayOptions } from './api';
import { principal } from './compile';
import type { Decision, DecisionEffect } from './decision';
import { EMPTY, combineSides, decideSide, limitKey, type SideOutcome } from './evaluate';
import { buildDecision } from './explain';
import { localTime, type LocalTime } from './localTime';
import type { CompiledRule, DecisionProgram, EvalContext, Principal, TracedFact } from './program';
import { RateWindows, SessionState } from './session';

/** Creates an engine with empty state for a compiled program. */
export function createEngine(program: DecisionProgram, options: ReplayOptions): Engine {
  let sessions = new Map<string, SessionState>();
  let rates = new RateWindows();
  const unknownToolRules = new Map<string, readonly CompiledRule[]>();
  const undeclared = new Map<string, Principal>();
  const explain = options.explain !== false;

  const rulesFor = (tool: string): readonly CompiledRule[] => {
    const known = program.rulesByTool.get(tool);
    if (known) return known;
    let rules = unknownToolRules.get(tool);
    if (!rules) {
      rules = program.rulesForUnknownTools.filter((entry) => entry.matches(tool)).map((entry) => entry.rule);
      unknownToolRules.set(tool, rules);
    }
    return rules;
  };
  /** Per principal and tool, the rules that apply to the principal (appliesTo is pure on it). */
  const applicable = new WeakMap<Principal, Map<string, readonly CompiledRule[]>>();
  const rulesApplying = (tool: string, principal: Principal): readonly CompiledRule[] => {
    let byTool = applicable.get(principal);
    if (!byTool) applicable.set(principal, (byTool = new Map()));
    let rules = byTool.get(tool);
    if (!rules) {
      const all = rulesFor(tool);
      const filtered = all.filter((rule) => rule.appliesTo(principal));
      rules = filtered.length === 0 ? EMPTY : filtered.length === all.length ? all : filtered;
      if (byTool.size > 10_000) byTool.clear();
      byTool.set(tool, rules);
    }
    return rules;
  };
  const principalOf = (side: 'agent' | 'human', id: string): Principal => {
    const declared = (side === 'agent' ? program.agents : program.humans).get(id);
    if (declared) return declared;
    const key = `${side}\u0000${id}`;
    let found = undeclared.get(key);
    if (!found) undeclared.set(key, (found = principal(side, id, [], undefined, undefined)));
    return found;
  };
  const sessionOf = (id: string, time: number): SessionState => {
    let session = sessions.get(id);
    if (!session) sessions.set(id, (session = new SessionState(id, time)));
    return session;
  };

  const context = new DecisionContext(program.zone);

  const decideCall = (event: ToolCallEvent): Decision => {
    const session = sessionOf(event.session, event.time);
    const toolLabels = program.toolLabels.get(event.tool) ?? EMPTY;
    const agent = principalOf('agent', event.agent);
    const human = event.onBehalfOf !== undefined ? principalOf('human', event.onBehalfOf) : undefined;
    context.reset(event, toolLabels, agent, human, session);
    const agentSide = decideSide(rulesApplying(event.tool, agent), agent, context, rates, true);
    let effect: DecisionEffect;
    let sides: readonly SideOutcome[];
    let deciding: readonly SideOutcome[];
    if (human) {
      const humanSide = decideSide(rulesApplying(event.tool, human), human, context, rates, true);
      ({ effect, deciding } = combineSides(agentSide, humanSide));
      sides = [agentSide, humanSide];
    } else {
      effect = agentSide.effect;
      sides = deciding = [agentSide];
    }
    const approved = effect === 'approval' ? options.approvals === 'approve' : undefined;
    const decision = buildDecision({ event, effect, sides, deciding, context, rates, policyHash: program.policyHash, explain, assumedApproved: approved });
    if (effect === 'allow' || approved === true) advance(event, session, toolLabels, sides, effect === 'approval');
    context.clear();
    return decision;
  };

  const advance = (event: ToolCallEvent, session: SessionState, labels: readonly string[], sides: readonly SideOutcome[], approval: boolean): void => {
    const ref = { session: event.session, seq: event.seq, tool: event.tool };
    // A failed call's error text entered the agent's context as much as a result would have.
    const text = callText(resultText(event.result), event.error);
    session.recordCall({ seq: event.seq, time: event.time, tool: event.tool }, labels, text, labelSetOf(event.tool, labels));
    // Both sides' limits and grants; a rule that applies to both sides is one object, so once.
    if (sides.length === 1) {
      const counted = sides[0]!.counted;
      for (let i = 0; i < counted.length; i++) rates.record(limitKey(counted[i]!, event), event.time, ref);
    } else {
      for (const rule of new Set(sides.flatMap((side) => side.counted))) rates.record(limitKey(rule, event), event.time, ref);
    }
    if (!approval) return;
    for (const rule of new Set(sides.flatMap((side) => side.grantable))) {
      const grant = rule.grant!;
      if (grant.afterApproval && grant.durationMs !== undefined) session.grants.set(rule.index, { expires: event.time + grant.durationMs, openedBy: ref });
    }
  };

  /** One label set per tool, shared by every text its results stored. */
  const labelSets = new Map<string, { labels: readonly string[]; set: ReadonlySet<string> }>();
  const labelSetOf = (tool: string, labels: readonly string[]): ReadonlySet<string> => {
    let entry = labelSets.get(tool);
    if (!entry || entry.labels !== labels) labelSets.set(tool, (entry = { labels, set: new Set(labels) }));
    return entry.set;
  };

  return {
    policyHash: program.policyHash,
    decide(event: TraceEvent): Decision | undefined {
      if (event.kind === 'tool_call') return decideCall(event);
      const session = sessionOf(event.session, event.time);
      if (event.kind === 'user_message') session.recordUserText(event.text, event.seq);
      return undefined;
    },
    reset() {
      sessions = new Map();
      rates = new RateWindows();
    },
  };
}

/** The result and error texts joined by a newline, leaving out empty ones; undefined when none. */
function callText(result: string | undefined, error: string | undefined): string | undefined {
  if (!result) return error || undefined;
  if (!error) return result;
  return `${result}\n${error}`;
}

/** The evaluation context, one per engine, reset for each call decided. */
class DecisionContext implements EvalContext {
  event!: ToolCallEvent;
  toolLabels: readonly string[] = EMPTY;
  agent!: Principal;
  human: Principal | undefined = undefined;
  session!: SessionState;
  trace: ((fact: TracedFact) => void) | undefined = undefined;
  private cachedLocal: LocalTime | undefined = undefined;

  constructor(readonly zone: string) {}

  reset(event: ToolCallEvent, toolLabels: readonly string[], agent: Principal, human: Principal | undefined, session: SessionState): void {
    this.event = event;
    this.toolLabels = toolLabels;
    this.agent = agent;
    this.human = human;
    this.session = session;
    this.trace = undefined;
    this.cachedLocal = undefined;
  }

  /** Drops what was computed for the call just decided. */
  clear(): void {
    this.cachedLocal = undefined;
    this.trace = undefined;
  }

  local(): LocalTime {
    return (this.cachedLocal ??= localTime(this.event.time, this.zone));
  }
}

function resultText(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === 'string') return result;
  try {
    return JSON.stringify(result);
  } catch {
    return String(result);
  }
}
