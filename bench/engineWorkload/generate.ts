// A deterministic generator of the `engine` benchmark's stateless workload (see model.ts): 20
// agents in 10 roles, 200 tools in 10 groups, about 300 permit/forbid rules, and random requests.
// The same seed always gives the same model and requests.

import { Random } from '../random';
import type { AgentModel, ConditionModel, GroupModel, PrincipalModel, RequestModel, RuleModel, TargetModel, Tier, ToolModel, WorkloadModel } from './model';

export const WORKLOAD_SEED = 20260701;

const GROUPS = ['payments', 'files', 'email', 'crm', 'tickets', 'infra', 'hr', 'analytics', 'chat', 'billing'];
const VERBS = ['get', 'list', 'create', 'update', 'delete', 'send', 'export', 'import', 'search', 'approve', 'sync', 'archive', 'restore', 'share', 'move', 'copy', 'scan', 'tag', 'merge', 'close'];
const TIERS: readonly Tier[] = ['low', 'medium', 'high', 'critical'];
const ROLE_COUNT = 10;
/** The share of requests for a tool of the agent's roles' home groups. */
const HOME_SHARE = 0.75;
const AGENT_COUNT = 20;

/** Thresholds amount conditions compare with; requests hit them exactly now and then. */
export const AMOUNT_THRESHOLDS = [100, 500, 1_000, 2_500, 5_000, 10_000, 25_000];
export const RECIPIENT_PATTERNS = ['*@corp.example', '*@*.corp.example', '*@partner.example', 'GB*', 'DE*', 'US*'];
export const PATH_PATTERNS = ['reports/*', 'reports/2026/*', 'tmp/*', 'secrets/*', '*.csv', 'home/*/notes/*'];
const PERMIT_HOURS: readonly (readonly [number, number])[] = [[8, 18], [9, 17], [6, 22], [7, 20], [0, 12]];
const FORBID_HOURS: readonly (readonly [number, number])[] = [[22, 6], [0, 5], [23, 5], [1, 4], [21, 7]];

const NAMES = ['dana', 'lee', 'mira', 'omar', 'sven', 'yuki', 'ana', 'li', 'noah', 'ines', 'kofi', 'eva'];
/** 2026-07-01T00:00:00Z: requests fall in the 30 days from here. */
const START = Date.UTC(2026, 6, 1);
const SPAN = 30 * 24 * 3_600_000;

/** The model: agents, roles, groups, tools and about 300 rules. */
export function generateModel(seed = WORKLOAD_SEED): WorkloadModel {
  const rng = new Random(seed);
  const roles = Array.from({ length: ROLE_COUNT }, (_, i) => `r${pad(i + 1)}`);
  const groups: GroupModel[] = GROUPS.map((group) => ({ name: group, tools: VERBS.map((verb) => `${group}_${verb}`) }));
  const tools: ToolModel[] = groups.flatMap((group) => group.tools.map((name) => ({ name, group: group.name })));
  const agents: AgentModel[] = Array.from({ length: AGENT_COUNT }, (_, i) => {
    const primary = roles[i % ROLE_COUNT]!;
    const second = rng.chance(0.5) ? rng.pick(roles.filter((role) => role !== primary)) : undefined;
    return { id: `a${pad(i + 1)}`, roles: second ? [primary, second] : [primary], tier: rng.pick(TIERS) };
  });
  // Each role works mostly on two "home" groups.
  const home = new Map(roles.map((role, i) => [role, [groups[i]!, groups[(i + 3) % groups.length]!]]));
  const rules: RuleModel[] = [];
  const nextId = (): string => `w${String(rules.length + 1).padStart(3, '0')}`;
  const add = (effect: 'permit' | 'forbid', preferred: readonly GroupModel[], extra: { block?: string; principal?: PrincipalModel }): void => {
    const covered = target(rng, effect, groups, preferred);
    rules.push({ id: nextId(), effect, ...extra, target: covered, conditions: conditions(rng, effect, covered) });
  };

  for (const role of roles) {
    const holders = agents.filter((agent) => agent.roles.includes(role));
    for (let i = 0; i < 18; i++) {
      const effect = rng.chance(0.25) ? 'forbid' : 'permit';
      const principal: PrincipalModel | undefined = rng.chance(0.1) ? { kind: 'agent', agents: [rng.pick(holders).id] } : undefined;
      add(effect, home.get(role)!, { block: role, ...(principal ? { principal } : {}) });
    }
  }
  for (let i = 0; i < 60; i++) {
    const agent = rng.pick(agents);
    const homes = agent.roles.flatMap((role) => home.get(role)!);
    add(rng.chance(0.25) ? 'forbid' : 'permit', homes, { principal: { kind: 'agent', agents: [agent.id] } });
  }
  for (let i = 0; i < 30; i++) {
    const chosen = rng.sample(roles, rng.int(1, 2));
    add(rng.chance(0.3) ? 'forbid' : 'permit', chosen.flatMap((role) => home.get(role)!), { principal: { kind: 'role', roles: chosen } });
  }
  for (let i = 0; i < 15; i++) {
    const tiers = rng.sample(TIERS, rng.int(1, 2));
    add(rng.chance(0.4) ? 'forbid' : 'permit', groups, { principal: { kind: 'tier', tiers } });
  }
  for (let i = 0; i < 15; i++) {
    add(rng.chance(0.6) ? 'forbid' : 'permit', groups, {});
  }
  const homeGroups = Object.fromEntries([...home].map(([role, homes]) => [role, homes.map((group) => group.name)]));
  return { agents, roles, homeGroups, groups, tools, rules };
}

/** `count` random requests over the model's agents and tools. */
export function generateRequests(model: WorkloadModel, count: number, seed = WORKLOAD_SEED + 1): RequestModel[] {
  const rng = new Random(seed);
  const groups = new Map(model.groups.map((group) => [group.name, group.tools]));
  // Agents mostly call the tools of their roles' home groups, now and then anything.
  const usual = new Map(model.agents.map((agent) => [agent.id, [...new Set(agent.roles.flatMap((role) => model.homeGroups[role] ?? []))].flatMap((group) => groups.get(group) ?? [])]));
  const requests: RequestModel[] = [];
  for (let i = 0; i < count; i++) {
    const time = START + Math.floor(rng.next() * SPAN);
    const agent = rng.pick(model.agents).id;
    const tools = usual.get(agent)!;
    requests.push({
      agent,
      tool: rng.chance(HOME_SHARE) && tools.length > 0 ? rng.pick(tools) : rng.pick(model.tools).name,
      amount: amount(rng),
      recipient: recipient(rng),
      path: path(rng),
      time,
      hour: new Date(time).getUTCHours(),
    });
  }
  return requests;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** What a rule covers: a group, one tool or a few tools of one group; every tool only for forbids. */
function target(rng: Random, effect: 'permit' | 'forbid', groups: readonly GroupModel[], preferred: readonly GroupModel[]): TargetModel {
  const group = rng.chance(0.85) ? rng.pick(preferred) : rng.pick(groups);
  const roll = rng.next();
  if (roll < 0.45) return { kind: 'group', group: group.name };
  if (roll < 0.8) return { kind: 'tools', tools: [rng.pick(group.tools)] };
  if (roll < 0.95 || effect === 'permit') return { kind: 'tools', tools: rng.sample(group.tools, rng.int(2, 4)) };
  return { kind: 'any' };
}

/**
 * Permits: 0–3 conditions; forbids: 1–2, 2 when they target every tool (an unconditional
 * forbid would shadow permits, a broad one would deny almost everything).
 */
function conditions(rng: Random, effect: 'permit' | 'forbid', target: TargetModel): ConditionModel[] {
  const roll = rng.next();
  const count = effect === 'forbid' ? (roll < 0.7 && target.kind !== 'any' ? 1 : 2) : roll < 0.1 ? 0 : roll < 0.5 ? 1 : roll < 0.85 ? 2 : 3;
  const kinds = rng.sample(['amount', 'hour', 'recipient', 'path'] as const, count);
  return kinds.map((kind): ConditionModel => {
    switch (kind) {
      case 'amount': {
        if (effect === 'permit') return { kind, op: rng.pick(['<', '<=', '<=', '>='] as const), value: rng.pick(AMOUNT_THRESHOLDS) };
        // A forbid stops large amounts (now and then it keeps a tool to small ones).
        return rng.chance(0.9) ? { kind, op: rng.pick(['>', '>='] as const), value: rng.pick(AMOUNT_THRESHOLDS.slice(3)) } : { kind, op: '<', value: rng.pick(AMOUNT_THRESHOLDS.slice(0, 2)) };
      }
      case 'hour': {
        const [from, to] = rng.pick(effect === 'permit' ? PERMIT_HOURS : FORBID_HOURS);
        return { kind, from, to };
      }
      case 'recipient':
        return { kind, pattern: rng.pick(RECIPIENT_PATTERNS), negate: rng.chance(0.15) };
      case 'path':
        return { kind, pattern: rng.pick(PATH_PATTERNS), negate: rng.chance(0.15) };
    }
  });
}

function amount(rng: Random): number {
  const roll = rng.next();
  if (roll < 0.15) return rng.pick(AMOUNT_THRESHOLDS) + rng.int(-1, 1); // on and beside the thresholds
  if (roll < 0.55) return rng.int(0, 1_000);
  if (roll < 0.85) return rng.int(1_000, 10_000);
  return rng.int(10_000, 60_000);
}

function recipient(rng: Random): string {
  const name = rng.pick(NAMES);
  const digits = String(rng.int(0, 9_999)).padStart(4, '0');
  switch (rng.int(0, 7)) {
    case 0:
      return `${name}@corp.example`;
    case 1:
      return `${name}@eu.corp.example`;
    case 2:
      return `${name}@partner.example`;
    case 3:
      return `${name}@mail.example`;
    case 4:
      return `GB29NWBK6016133192${digits}`;
    case 5:
      return `DE8937040044053201${digits}`;
    case 6:
      return `US1330000001212121${digits}`;
    default:
      return `FR7630006000011234567890${digits}`;
  }
}

function path(rng: Random): string {
  const n = rng.int(1, 400);
  switch (rng.int(0, 6)) {
    case 0:
      return `reports/q${n % 4 + 1}-${n}.csv`;
    case 1:
      return `reports/2026/${n}.pdf`;
    case 2:
      return `tmp/${n}.txt`;
    case 3:
      return `secrets/key${n}.pem`;
    case 4:
      return `home/${rng.pick(NAMES)}/notes/${n}.md`;
    case 5:
      return `src/module${n}.ts`;
    default:
      return `exports/${n}.csv`;
  }
}
