// The floor of `engine.vs_floor`: about the least work any evaluator of the stateless workload
// can do per call. Rules are compiled once into closures and indexed by tool, split into forbids
// and permits, with a per-agent applicability table; a decision reads the tool call's fields,
// looks the tool up, runs forbids then permits and stops at the first match. No explanations,
// no allocation per decision. It takes the same ToolCallEvent the engine takes.

import { compileGlob } from '../../src/language/glob';
import type { ToolCallEvent } from '../../src/traces/event';
import type { ConditionModel, RuleModel, WorkloadModel } from './model';

type Test = (amount: number, recipient: string, path: string, hour: number) => boolean;

interface FloorRule {
  /** Indexed by agent number: 1 when the rule applies to that agent. */
  readonly applies: Uint8Array;
  /** Whether it applies to an agent the model does not declare (rules for everyone). */
  readonly appliesToUnknown: boolean;
  readonly test: Test;
}

interface ToolRules {
  readonly forbids: readonly FloorRule[];
  readonly permits: readonly FloorRule[];
}

const HOUR_MS = 3_600_000;
const NO_RULES: ToolRules = { forbids: [], permits: [] };

export class FloorEvaluator {
  private readonly agentIndex = new Map<string, number>();
  private readonly byTool = new Map<string, ToolRules>();

  constructor(model: WorkloadModel) {
    model.agents.forEach((agent, i) => this.agentIndex.set(agent.id, i));
    const compiled = model.rules.map((rule) => ({ rule, floor: compileRule(rule, model) }));
    for (const tool of model.tools) {
      const covering = compiled.filter(({ rule }) => covers(rule, tool.name, tool.group));
      this.byTool.set(tool.name, {
        forbids: covering.filter(({ rule }) => rule.effect === 'forbid').map(({ floor }) => floor),
        permits: covering.filter(({ rule }) => rule.effect === 'permit').map(({ floor }) => floor),
      });
    }
  }

  /** True when the call is allowed. */
  allows(event: ToolCallEvent): boolean {
    const rules = this.byTool.get(event.tool) ?? NO_RULES;
    const agent = this.agentIndex.get(event.agent) ?? -1;
    const args = event.args;
    const amount = args.amount as number;
    const recipient = args.recipient as string;
    const path = args.path as string;
    const hour = Math.floor(event.time / HOUR_MS) % 24;
    const forbids = rules.forbids;
    for (let i = 0; i < forbids.length; i++) {
      const rule = forbids[i]!;
      if ((agent < 0 ? rule.appliesToUnknown : rule.applies[agent] === 1) && rule.test(amount, recipient, path, hour)) return false;
    }
    const permits = rules.permits;
    for (let i = 0; i < permits.length; i++) {
      const rule = permits[i]!;
      if ((agent < 0 ? rule.appliesToUnknown : rule.applies[agent] === 1) && rule.test(amount, recipient, path, hour)) return true;
    }
    return false;
  }
}

function covers(rule: RuleModel, tool: string, group: string): boolean {
  switch (rule.target.kind) {
    case 'any':
      return true;
    case 'group':
      return rule.target.group === group;
    case 'tools':
      return rule.target.tools.includes(tool);
  }
}

function compileRule(rule: RuleModel, model: WorkloadModel): FloorRule {
  const applies = new Uint8Array(model.agents.length);
  model.agents.forEach((agent, i) => {
    if (rule.block !== undefined && !agent.roles.includes(rule.block)) return;
    const principal = rule.principal;
    if (principal?.kind === 'agent' && !principal.agents.includes(agent.id)) return;
    if (principal?.kind === 'role' && !principal.roles.some((role) => agent.roles.includes(role))) return;
    if (principal?.kind === 'tier' && !principal.tiers.includes(agent.tier)) return;
    applies[i] = 1;
  });
  const tests = rule.conditions.map(compileCondition);
  return { applies, appliesToUnknown: rule.block === undefined && rule.principal === undefined, test: conjunction(tests) };
}

function conjunction(tests: readonly Test[]): Test {
  switch (tests.length) {
    case 0:
      return () => true;
    case 1:
      return tests[0]!;
    case 2: {
      const [a, b] = tests as [Test, Test];
      return (amount, recipient, path, hour) => a(amount, recipient, path, hour) && b(amount, recipient, path, hour);
    }
    default: {
      const [first, ...rest] = tests as [Test, ...Test[]];
      const tail = conjunction(rest);
      return (amount, recipient, path, hour) => first(amount, recipient, path, hour) && tail(amount, recipient, path, hour);
    }
  }
}

function compileCondition(condition: ConditionModel): Test {
  switch (condition.kind) {
    case 'amount': {
      const value = condition.value;
      switch (condition.op) {
        case '<':
          return (amount) => amount < value;
        case '<=':
          return (amount) => amount <= value;
        case '>':
          return (amount) => amount > value;
        case '>=':
          return (amount) => amount >= value;
      }
      break;
    }
    case 'hour': {
      const { from, to } = condition;
      return from > to ? (_a, _r, _p, hour) => hour >= from || hour < to : (_a, _r, _p, hour) => hour >= from && hour < to;
    }
    case 'recipient': {
      const match = compileGlob(condition.pattern);
      return condition.negate ? (_a, recipient) => !match(recipient) : (_a, recipient) => match(recipient);
    }
    case 'path': {
      const match = compileGlob(condition.pattern);
      return condition.negate ? (_a, _r, path) => !match(path) : (_a, _r, path) => match(path);
    }
  }
}
