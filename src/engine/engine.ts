// The engine: decides events in order against session state, and advances the state only for
// calls the decision lets run (allowed, or approval-required and assumed approved in replay).

import type { ToolCallEvent, TraceEvent } from '../traces/event';
import type { Engine, ReplayOptions } from './api';
import { principal as principalOf } from './compile';
import type { Decision } from './decision';
import { EMPTY, RulePlan, SideScratch, evaluateSide, scratchVerdict, type SideVerdict } from './evaluate';
import { DecisionContext } from './context';
import { buildDecision, deferredDecision, windowsFor, type DecidedSide, type DecisionSetting } from './explain';
import type { CompiledRule, DecisionProgram, Principal } from './program';
import { RateWindows, SessionState, type CallKeys, type WindowView } from './session';
import { TextArena } from './sessionTexts';
import { verdictAlone, verdictCombined, worstEffect, type Verdict } from './verdict';

/** A principal as one engine knows it, with its number in every tool's list of plans. */
interface KnownPrincipal {
  readonly principal: Principal;
  readonly ordinal: number;
}

const PLAN_CACHE_LIMIT = 10_000;

/** Creates an engine with empty state for a compiled program. */
export function createEngine(program: DecisionProgram, options: ReplayOptions): Engine {
  let sessions = new Map<string, SessionState>();
  let rates = new RateWindows();
  let arena = new TextArena();
  const unknownToolRules = new Map<string, readonly CompiledRule[]>();
  const known = { agent: new Map<string, KnownPrincipal>(), human: new Map<string, KnownPrincipal>() };
  /** Per tool, the plans of the principals known so far, by ordinal. */
  const plansByTool = new Map<string, (RulePlan | undefined)[]>();
  let ordinals = 0;
  const setting: DecisionSetting = { program, explain: options.explain !== false };

  const rulesFor = (tool: string): readonly CompiledRule[] => {
    const catalog = program.rulesByTool.get(tool);
    if (catalog) return catalog;
    let rules = unknownToolRules.get(tool);
    if (!rules) {
      rules = program.rulesForUnknownTools.filter((entry) => entry.matches(tool)).map((entry) => entry.rule);
      if (unknownToolRules.size > PLAN_CACHE_LIMIT) unknownToolRules.clear();
      unknownToolRules.set(tool, rules);
    }
    return rules;
  };
  const knownPrincipal = (side: 'agent' | 'human', id: string): KnownPrincipal => {
    const byId = known[side];
    let entry = byId.get(id);
    if (!entry) {
      const principal = (side === 'agent' ? program.agents : program.humans).get(id) ?? principalOf(side, id, [], undefined, undefined);
      byId.set(id, (entry = { principal, ordinal: ordinals++ }));
    }
    return entry;
  };
  /** The rules for a tool that apply to a principal (appliesTo is pure on it), as a plan. */
  const planFor = (entry: KnownPrincipal, tool: string): RulePlan => {
    let plans = plansByTool.get(tool);
    if (plans === undefined) {
      if (plansByTool.size > PLAN_CACHE_LIMIT) plansByTool.clear();
      plansByTool.set(tool, (plans = []));
    }
    let plan = plans[entry.ordinal];
    if (plan === undefined) {
      const rules = rulesFor(tool).filter((rule) => rule.appliesTo(entry.principal));
      plans[entry.ordinal] = plan = new RulePlan(entry.principal, tool, program.toolLabels.get(tool) ?? EMPTY, rules);
    }
    return plan;
  };
  // A program without conditions on session state and without grants reads no session's state:
  // one state stands for them all.
  const oneSession = program.readsSession || program.rules.some((rule) => rule.grant) ? undefined : new SessionState('', 0);
  const sessionOf = (id: string, time: number): SessionState => {
    if (oneSession !== undefined) return oneSession;
    let session = sessions.get(id);
    if (!session) sessions.set(id, (session = new SessionState(id, time, arena)));
    return session;
  };

  const context = new DecisionContext(program.zone, program.argNames);
  // The sides of the call being decided, reused from call to call (decisions keep none of them).
  const agentSide: { plan: RulePlan; verdict: SideVerdict; readonly scratch: SideScratch } = { plan: undefined!, verdict: undefined!, scratch: new SideScratch() };
  const humanSide: typeof agentSide = { plan: undefined!, verdict: undefined!, scratch: new SideScratch() };
  const agentOnly: readonly DecidedSide[] = [agentSide];
  const bothSides: readonly DecidedSide[] = [agentSide, humanSide];

  const decideCall = (event: ToolCallEvent): Decision => {
    if (ordinals >= PLAN_CACHE_LIMIT) {
      // Too many principals (undeclared ones, say): start over, plans included (between calls,
      // so no principal of a call outlives its ordinal).
      known.agent.clear();
      known.human.clear();
      plansByTool.clear();
      ordinals = 0;
    }
    const session = sessionOf(event.session, event.time);
    const agent = knownPrincipal('agent', event.agent);
    const human = event.onBehalfOf !== undefined ? knownPrincipal('human', event.onBehalfOf) : undefined;
    const agentPlan = planFor(agent, event.tool);
    context.reset(event, agentPlan.toolLabels, agent.principal, human?.principal, session);
    agentSide.plan = agentPlan;
    evaluateSide(agentPlan, context, rates, agentSide.scratch);
    let effect = agentSide.scratch.effect;
    let humanPlan: RulePlan | undefined;
    if (human) {
      humanSide.plan = humanPlan = planFor(human, event.tool);
      evaluateSide(humanPlan, context, rates, humanSide.scratch);
      effect = worstEffect(effect, humanSide.scratch.effect);
    }
    const approved = effect === 'approval' ? options.approvals === 'approve' : undefined;
    const runs = effect === 'allow' || approved === true;
    if (agentPlan.withoutGrants && (humanPlan === undefined || humanPlan.withoutGrants)) {
      // No grant: the verdict and explanation are built when first read, from the signatures and
      // the session as of now (recorded by the decision when the plans read it); only a limit
      // that applies adds its window now.
      let windows: readonly WindowView[] | undefined;
      if (setting.explain && (agentPlan.readsState || (humanPlan !== undefined && humanPlan.readsState))) {
        windows = agentSide.scratch.limited || (humanPlan !== undefined && humanSide.scratch.limited) ? windowsFor(currentVerdict(agentPlan, humanPlan), event, rates) : EMPTY;
      }
      const decision = deferredDecision(event, session, setting, effect, approved, agentSide, humanPlan ? humanSide : undefined, windows);
      if (runs) advance(event, session, agentPlan, humanPlan !== undefined, EMPTY);
      return decision;
    }
    // A grant may decide (its facts are state later calls replace), or a plan has too many rules for a signature.
    const verdict = currentVerdict(agentPlan, humanPlan);
    const later = (verdict.later !== undefined || !setting.explain) && agentSide.scratch.signature >= 0 && (humanPlan === undefined || humanSide.scratch.signature >= 0);
    const decision = later
      ? deferredDecision(event, session, setting, effect, approved, agentSide, humanPlan ? humanSide : undefined, setting.explain ? windowsFor(verdict, event, rates) : undefined)
      : buildDecision({ event, verdict, sides: humanPlan ? bothSides : agentOnly, context, rates, setting, assumedApproved: approved });
    if (runs) advance(event, session, agentPlan, humanPlan !== undefined, effect === 'approval' ? verdict.grantable : EMPTY);
    return decision;
  };

  /** The verdict of the sides just evaluated. */
  const currentVerdict = (agentPlan: RulePlan, humanPlan: RulePlan | undefined): Verdict => {
    agentSide.verdict = scratchVerdict(agentPlan, agentSide.scratch);
    if (humanPlan === undefined) return verdictAlone(agentPlan, agentSide.verdict);
    humanSide.verdict = scratchVerdict(humanPlan, humanSide.scratch);
    return verdictCombined(agentPlan, agentSide.verdict, humanPlan, humanSide.verdict);
  };

  const reads = program.sessionReads;
  /**
   * Advances state for a call that runs: the session's record of it, the windows of the limits
   * that count it (as the sides' evaluation found them), and the grants an approval opens.
   */
  const advance = (event: ToolCallEvent, session: SessionState, agentPlan: RulePlan, human: boolean, opened: readonly CompiledRule[]): void => {
    if (program.readsSession) {
      // A failed call's error text entered the agent's context as much as a result would have.
      const text = reads.texts ? callText(resultText(event.result), event.error) : undefined;
      session.recordCall(event.seq, event.time, keysOf(agentPlan), text);
    }
    const countedSize = agentSide.scratch.countedSize;
    if (countedSize === 0 && !human && opened.length === 0) return;
    const counted = agentSide.scratch.counted;
    const sessionId = oneSession === undefined ? session.id : event.session;
    for (let i = 0; i < countedSize; i++) counted[i]!.record(event.time, sessionId, event.seq, agentPlan.tool);
    if (human) {
      // A limit that applies to both sides counts the call once.
      const also = humanSide.scratch;
      for (let i = 0; i < also.countedSize; i++) {
        const window = also.counted[i]!;
        let once = true;
        for (let j = 0; j < countedSize && once; j++) once = counted[j] !== window;
        if (once) window.record(event.time, sessionId, event.seq, agentPlan.tool);
      }
    }
    for (let i = 0; i < opened.length; i++) {
      const rule = opened[i]!;
      const grant = rule.grant!;
      if (grant.afterApproval && grant.durationMs !== undefined) session.grants.set(rule.index, { expires: event.time + grant.durationMs, openedBy: { session: event.session, seq: event.seq, tool: event.tool } });
    }
  };

  /** Per tool, what a session records of its calls (one object per tool, shared by every text its results left). */
  const callKeys = new Map<string, CallKeys>();
  const keysOf = (plan: RulePlan): CallKeys => {
    let keys = callKeys.get(plan.tool);
    if (keys === undefined) {
      const tool = plan.tool;
      keys = { tool, labels: new Set(plan.toolLabels), trackTool: reads.allTools || reads.tools.has(tool), trackedLabels: plan.toolLabels.filter((label) => reads.labels.has(label)) };
      if (callKeys.size > PLAN_CACHE_LIMIT) callKeys.clear();
      callKeys.set(tool, keys);
    }
    return keys;
  };

  return {
    policyHash: program.policyHash,
    decide(event: TraceEvent): Decision | undefined {
      if (event.kind === 'tool_call') return decideCall(event);
      const session = sessionOf(event.session, event.time);
      if (event.kind === 'user_message' && reads.texts) session.recordUserText(event.text, event.seq);
      return undefined;
    },
    reset() {
      sessions = new Map();
      rates = new RateWindows();
      arena = new TextArena();
    },
  };
}

/** The result and error texts joined by a newline, leaving out empty ones; undefined when none. */
function callText(result: string | undefined, error: string | undefined): string | undefined {
  if (!result) return error || undefined;
  if (!error) return result;
  return `${result}\n${error}`;
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
