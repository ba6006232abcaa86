// The engine: decides events in order against session state, and advances the state only for
// calls the decision lets run (allowed, or approval-required and assumed approved in replay).

import type { ToolCallEvent, TraceEvent } from '../traces/event';
import type { Engine, ReplayOptions } from './api';
import { principal } from './compile';
import type { Decision } from './decision';
import { combineSides, decideSide, limitKey, type SideOutcome } from './evaluate';
import { buildDecision } from './explain';
import { localTime, type LocalTime } from './localTime';
import type { CompiledRule, DecisionProgram, EvalContext, Principal } from './program';
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

  const decideCall = (event: ToolCallEvent): Decision => {
    const session = sessionOf(event.session, event.time);
    const rules = rulesFor(event.tool);
    const toolLabels = program.toolLabels.get(event.tool) ?? [];
    const agent = principalOf('agent', event.agent);
    const human = event.onBehalfOf !== undefined ? principalOf('human', event.onBehalfOf) : undefined;
    let local: LocalTime | undefined;
    const context: EvalContext = { event, toolLabels, agent, human, session, zone: program.zone, local: () => (local ??= localTime(event.time, program.zone)), trace: undefined };
    const agentSide = decideSide(rules, agent, context, rates);
    const humanSide = human ? decideSide(rules, human, context, rates) : undefined;
    const { effect, deciding } = combineSides(agentSide, humanSide);
    const sides = humanSide ? [agentSide, humanSide] : [agentSide];
    const approved = effect === 'approval' ? options.approvals === 'approve' : undefined;
    const decision = buildDecision({ event, effect, sides, deciding, context, rates, policyHash: program.policyHash, explain, assumedApproved: approved });
    if (effect === 'allow' || approved === true) advance(event, session, toolLabels, sides, effect === 'approval');
    return decision;
  };

  const advance = (event: ToolCallEvent, session: SessionState, labels: readonly string[], sides: readonly SideOutcome[], approval: boolean): void => {
    const ref = { session: event.session, seq: event.seq, tool: event.tool };
    // A failed call's error text entered the agent's context as much as a result would have.
    const text = [resultText(event.result), event.error].filter((part) => part).join('\n') || undefined;
    session.recordCall({ seq: event.seq, time: event.time, tool: event.tool }, labels, text);
    // Both sides' limits and grants; a rule that applies to both sides is one object, so once.
    for (const rule of new Set(sides.flatMap((side) => side.counted))) rates.record(limitKey(rule, event), event.time, ref);
    if (!approval) return;
    for (const rule of new Set(sides.flatMap((side) => side.grantable))) {
      const grant = rule.grant!;
      if (grant.afterApproval && grant.durationMs !== undefined) session.grants.set(rule.index, { expires: event.time + grant.durationMs, openedBy: ref });
    }
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

function resultText(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === 'string') return result;
  try {
    return JSON.stringify(result);
  } catch {
    return String(result);
  }
}
